"""The RiotAPI store over real HTTP against the emulator."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from asgiref.sync import async_to_sync

from pyot_django.exceptions import (
    BadRequest,
    Forbidden,
    NotFindable,
    NotFound,
    ParameterError,
    RoutingError,
    RSOTokenRequired,
    ServerError,
    Timeout,
    Unauthorized,
)
from pyot_django.pipeline import PipelineToken
from pyot_django.riot import ENDPOINTS, endpoints_for_game
from pyot_django.riot.served_on import RSO_OPERATIONS, served_on
from pyot_django.testing.rules import ENUMS
from tests.helpers import API_KEY, CACHE_STORES, OTHER_API_KEY, make_pipeline, match_id, puuid, riot_store

NO_LIMITER = {"RATE_LIMITER": None}


def pipeline_for(emulator, game="lol", *caches, **options):
    return make_pipeline(*caches, riot_store(emulator.base_url, **{**NO_LIMITER, **options}), name=game)


_MATCH_ID_PLATFORM = {"europe": "EUW1", "americas": "NA1"}  # a match id's platform fits its region


def _sample_params(endpoint) -> dict[str, str]:
    """Values Riot's rules accept (the emulator is strict by default): 78-char PUUIDs, match ids
    of the region asked, enum members."""
    values = {
        "game": "lol" if endpoint.operation_id == "account-v1.getActiveRegion" else "val",
        "puuid": puuid("p1"),
        "encryptedPUUID": puuid("p1"),
    }
    if endpoint.route == "regional":
        values["matchId"] = match_id(1, _MATCH_ID_PLATFORM[_server_for(endpoint)])
    values.update({name: allowed[0] for (op, name), allowed in ENUMS.items() if op == endpoint.operation_id})
    return {name: values.get(name, "1" if name.endswith(("Id", "id")) else f"x{name}") for name in endpoint.path_params}


def _server_for(endpoint) -> str:
    """Europe's value of the operation's kind where Riot serves it there (tournaments: americas)."""
    preferred = {"platform": "euw1", "regional": "europe", "val-platform": "eu"}[endpoint.route]
    return preferred if preferred in served_on(endpoint) else "americas"


GAME_OF = {"riot": "lol", "riftbound": "riftbound"}


@pytest.mark.parametrize("operation", sorted(ENDPOINTS))
async def test_every_operation_resolves_to_its_url_and_the_emulator_answers(operation, riot_emulator):
    endpoint = ENDPOINTS[operation]
    game = GAME_OF.get(endpoint.game, endpoint.game)
    pipeline = pipeline_for(riot_emulator, game)
    store = pipeline.stores[-1]
    params = _sample_params(endpoint)
    queries = {name: ENUMS.get((operation, name), (1,))[0] for name, q in endpoint.query_params.items() if q.required}
    token = PipelineToken(game, _server_for(endpoint), operation, params, queries)
    if operation in RSO_OPERATIONS:  # needs the player's Bearer token: refused before sending
        with pytest.raises(RSOTokenRequired, match="RSO operation: needs the player's Bearer token"):
            await pipeline.get(token) if endpoint.http_method == "GET" else await pipeline.post(token, {})
        assert riot_emulator.emulator.stats()["total"] == 0
        return
    url = store.url_for(token)
    assert url.startswith(riot_emulator.base_url.format(server=_server_for(endpoint)))
    assert url.endswith(endpoint.path.format(**params))
    if endpoint.http_method == "GET":
        value = await pipeline.get(token)
    elif endpoint.http_method == "POST":
        value = await pipeline.post(token, {"region": "EUW", "url": "https://example.com/cb", "providerId": 1})
    else:
        value = await pipeline.put(token, {"mapType": "SUMMONERS_RIFT"})
    if endpoint.http_method != "PUT":
        assert value is not None
    stats = riot_emulator.emulator.stats()
    assert stats["by_operation"] == {operation: 1}


def test_each_game_accepts_its_operations_plus_account_v1():
    lol = endpoints_for_game("lol")
    assert "account-v1.getByRiotId" in lol and "match-v5.getMatch" in lol
    assert "tft-match-v1.getMatch" not in lol
    assert set(endpoints_for_game("riot")) == {op for op in ENDPOINTS if op.startswith("account-v1.")}


@pytest.mark.parametrize(
    ("method", "server", "params"),
    [
        ("summoner-v4.getByPUUID", "americas", {"encryptedPUUID": "x"}),
        ("match-v5.getMatch", "na1", {"matchId": "NA1_1"}),
        ("val-match-v1.getMatch", "na1", {"matchId": "x"}),
        ("summoner-v4.getByPUUID", "mars1", {"encryptedPUUID": "x"}),
    ],
)
async def test_routing_errors_raise_before_any_request(method, server, params, riot_emulator):
    pipeline = pipeline_for(riot_emulator, "val" if method.startswith("val") else "lol")
    with pytest.raises(RoutingError) as info:
        await pipeline.get(PipelineToken(pipeline.model, server, method, params, {}))
    assert server in str(info.value)
    assert riot_emulator.emulator.stats()["total"] == 0


async def test_unknown_operation_and_bad_parameters_raise_before_any_request(riot_emulator):
    pipeline = pipeline_for(riot_emulator)
    with pytest.raises(NotFindable):
        await pipeline.get(PipelineToken("lol", "na1", "tft-summoner-v1.getByPUUID", {"encryptedPUUID": "x"}))
    with pytest.raises(ParameterError, match="encryptedPUUID"):
        await pipeline.get(PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"puuid": "x"}))
    with pytest.raises(ParameterError, match="count"):
        await pipeline.get(PipelineToken("lol", "americas", "match-v5.getMatchIdsByPUUID", {"puuid": "x"}, {"cnt": 1}))
    assert riot_emulator.emulator.stats()["total"] == 0


@pytest.mark.parametrize("game_name", ["Hide on bush", "명예", "a/b", "50% off?#&"])
async def test_awkward_riot_ids_are_url_encoded(game_name, riot_emulator):
    pipeline = pipeline_for(riot_emulator)
    account = await pipeline.fetch("account-v1.getByRiotId", "asia", gameName=game_name, tagLine="KR 1")
    assert account["gameName"] == game_name
    assert account["tagLine"] == "KR 1"


async def test_list_query_parameters_are_repeated(riot_emulator):
    pipeline = pipeline_for(riot_emulator)
    queries = {"count": 3, "queue": 420}
    token = pipeline.token("match-v5.getMatchIdsByPUUID", "americas", puuid=puuid("p"), queries=queries)
    assert len(await pipeline.get(token)) == 3
    from pyot_django.riot import encode_query

    assert encode_query({"a": [1, 2]}) == [("a", "1"), ("a", "2")]


async def test_404_is_final_and_not_retried(riot_emulator):
    pipeline = pipeline_for(riot_emulator)
    with pytest.raises(NotFound) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="404-nobody")
    assert info.value.status == 404 and info.value.method == "summoner-v4.getByPUUID"
    assert riot_emulator.emulator.stats()["total"] == 1


async def test_throw_strategy_raises_at_once(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [400])
    pipeline = pipeline_for(riot_emulator)
    with pytest.raises(BadRequest) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert info.value.status == 400
    assert riot_emulator.emulator.stats()["total"] == 1


async def test_retry_strategy_retries_exactly_n_times(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [500, 500, 500, 200])
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={500: ("R", [2])})
    with pytest.raises(ServerError) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert info.value.status == 500
    assert riot_emulator.emulator.stats()["total"] == 3  # the first try and 2 retries


async def test_exponential_backoff_waits_base_then_double(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [503, 503, 200])
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={503: ("E", [0.2, 3])})
    value = await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert value["puuid"] == puuid("x")
    times = [entry["t"] if isinstance(entry, dict) else entry[0] for entry in riot_emulator.emulator.stats()["log"]]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.2 * 0.95
    assert times[2] - times[1] >= 0.4 * 0.95


async def test_retry_after_is_honoured(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"status": 429, "retry_after": 1, "type": "service"}, 200])
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={429: ("E", [0.01, 3])})
    await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    times = [entry["t"] if isinstance(entry, dict) else entry[0] for entry in riot_emulator.emulator.stats()["log"]]
    # 2 requests; on a loaded machine a retry may itself time out (TIMEOUT bounds the whole attempt).
    assert 2 <= len(times) <= 3
    assert times[1] - times[0] >= 1.0


async def test_429_without_retry_after_backs_off_on_its_own(riot_emulator):
    riot_emulator.emulator.script(
        "summoner-v4.getByPUUID", [{"status": 429, "retry_after": None, "type": "unknownType"}, 200]
    )
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={429: ("E", [0.3, 3])})
    started = time.monotonic()
    await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    elapsed = time.monotonic() - started
    statuses = [entry["status"] for entry in riot_emulator.emulator.stats()["log"]]
    assert statuses == [429, 200]
    # Measured on the caller's clock: the backoff is a sleep here, so the lookup cannot be faster
    # than it, however late the emulator's thread gets to stamp its log on a busy machine.
    assert elapsed >= 0.3


async def test_timeouts_are_bounded_and_end_in_timeout(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"fault": "timeout"}] * 3)
    pipeline = pipeline_for(riot_emulator, TIMEOUT=0.3, ERROR_HANDLING={504: ("E", [0.05, 2])})
    started = time.monotonic()
    with pytest.raises(Timeout) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3.0  # three tries of 0.3 s plus 0.05 + 0.1 s of backoff
    assert info.value.status == 504
    assert API_KEY not in str(info.value)


async def test_connection_resets_are_retried_like_5xx(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"fault": "reset"}, {"fault": "malformed"}, 200])
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={504: ("E", [0.01, 2]), 500: ("R", [2])})
    assert (await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x")))["puuid"] == puuid("x")


async def test_resets_that_never_stop_end_in_server_error(riot_emulator):
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"fault": "reset"}] * 3)
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={504: ("E", [0.01, 2])})
    with pytest.raises((ServerError, Timeout)):
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert riot_emulator.emulator.stats()["total"] == 3


async def test_missing_or_wrong_key_gives_401_and_403(riot_emulator):
    riot_emulator.emulator.configure(api_keys=[OTHER_API_KEY])
    pipeline = pipeline_for(riot_emulator)
    with pytest.raises(Forbidden) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)
    import httpx

    async with httpx.AsyncClient() as client:
        response = await client.get(riot_emulator.base_url.format(server="na1") + "/lol/status/v4/platform-data")
    assert response.status_code == 401
    assert Unauthorized.status == 401


async def test_post_and_put_bodies_arrive(riot_emulator):
    pipeline = pipeline_for(riot_emulator)
    token = pipeline.token(
        "tournament-stub-v5.createTournamentCode", "americas", queries={"tournamentId": 7, "count": 3}
    )
    codes = await pipeline.post(token, {"mapType": "SUMMONERS_RIFT", "pickType": "TOURNAMENT_DRAFT", "teamSize": 5})
    assert len(codes) == 3
    put = pipeline.token("tournament-v5.updateCode", "americas", tournamentCode="EUW-1")
    assert (
        await pipeline.put(put, {"mapType": "SUMMONERS_RIFT", "pickType": "BLIND_PICK", "spectatorType": "ALL"}) is None
    )
    bodies = riot_emulator.emulator.stats().get("bodies")
    if bodies is not None:
        assert bodies[-1]["pickType"] == "BLIND_PICK"
    assert not await pipeline.contains(token)


async def test_the_key_is_only_in_the_header(riot_emulator, caplog):
    caplog.set_level(logging.DEBUG)
    pipeline = pipeline_for(riot_emulator, "lol", CACHE_STORES["memory"], LOG_LEVEL="INFO")
    store = pipeline.stores[-1]
    await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert API_KEY not in repr(store) and API_KEY not in str(store.describe())
    assert API_KEY not in pipeline.namespace
    request_lines = [r.getMessage() for r in caplog.records if r.name == "pyot_django.riot"]
    assert any(
        line.startswith("GET na1 summoner-v4.getByPUUID 200 ") and line.endswith(" ms") for line in request_lines
    )
    assert all(API_KEY not in record.getMessage() for record in caplog.records)


async def test_two_api_keys_never_see_each_others_cached_entries(riot_emulator, redis_url):
    caches = (CACHE_STORES["memory"], CACHE_STORES["redis"])
    first = pipeline_for(riot_emulator, "lol", *caches)
    second = pipeline_for(riot_emulator, "lol", *caches, API_KEY=OTHER_API_KEY)
    assert first.namespace != second.namespace
    a = await first.fetch("account-v1.getByRiotId", "americas", gameName="Faker", tagLine="KR1")
    b = await second.fetch("account-v1.getByRiotId", "americas", gameName="Faker", tagLine="KR1")
    assert a["puuid"] != b["puuid"]  # Riot encrypts PUUIDs per key
    assert riot_emulator.emulator.stats()["total"] == 2
    await first.clear()
    await second.clear()


def test_sync_callers_reuse_nothing_from_dead_loops(riot_emulator):
    import gc
    import warnings

    pipeline = pipeline_for(riot_emulator)
    store = pipeline.stores[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        for index in range(50):
            token = pipeline.token("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid(f"sync-{index}"))
            assert async_to_sync(pipeline.get)(token)["puuid"] == puuid(f"sync-{index}")
        gc.collect()
    # The sends ran on the process's I/O loop (riot/http/io_loop.py): one pool there, reused by all
    # 50 calls, and none left behind by the 50 loops that async_to_sync made and closed.
    assert len(store._clients) == 1


async def test_one_connection_pool_per_loop(riot_emulator):
    pipeline = pipeline_for(riot_emulator)
    store = pipeline.stores[-1]
    await asyncio.gather(
        *(pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid(f"pool-{n}")) for n in range(20))
    )
    first = await store._clients.get()
    await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("pool-x"))
    assert await store._clients.get() is first


async def test_a_session_id_uses_the_pipelines_session(riot_emulator):
    import httpx

    pipeline = pipeline_for(riot_emulator)
    seen = []

    async def hook(request):
        seen.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [hook]}) as client:
        pipeline.sessions["mine"] = client
        token = pipeline.token("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("sid"))
        await pipeline.get(token, sid="mine")
    assert seen == [f"/na1/lol/summoner/v4/summoners/by-puuid/{puuid('sid')}"]


@pytest.mark.django_db(transaction=True)
async def test_full_pipeline_end_to_end(riot_emulator, redis_url):
    pipeline = pipeline_for(riot_emulator, "lol", CACHE_STORES["memory"], CACHE_STORES["redis"], CACHE_STORES["orm"])
    from pyot_django.pipeline.trace import trace_lookups

    account = await pipeline.fetch("account-v1.getByRiotId", "americas", gameName="Doublelift", tagLine="NA1")
    ids = await pipeline.fetch("match-v5.getMatchIdsByPUUID", "americas", puuid=account["puuid"], queries={"count": 5})
    matches = await asyncio.gather(*(pipeline.fetch("match-v5.getMatch", "americas", matchId=i) for i in ids))
    assert all(account["puuid"] in match["metadata"]["participants"] for match in matches)
    assert riot_emulator.emulator.stats()["total"] == 7
    memory = pipeline.stores[0]
    await memory.clear()
    with trace_lookups() as trace:
        again = await pipeline.fetch("match-v5.getMatch", "americas", matchId=ids[0])
    assert again == matches[0]
    assert trace.records[0].store_name == "DjangoCache"
    await pipeline.stores[1].clear()
    await memory.clear()
    with trace_lookups() as trace:
        await pipeline.fetch("match-v5.getMatch", "americas", matchId=ids[0])
    assert trace.records[0].store_name == "DjangoORM"
    assert riot_emulator.emulator.stats()["total"] == 7
    await pipeline.clear()


async def test_rate_limited_carries_riots_retry_after(riot_emulator):
    from pyot_django.exceptions import RateLimited

    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"status": 429, "retry_after": 0, "type": "service"}] * 2)
    pipeline = pipeline_for(riot_emulator, ERROR_HANDLING={429: ("R", [1])})
    with pytest.raises(RateLimited) as info:
        await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("x"))
    assert info.value.retry_after == 0


def test_fetch_sync_reads_the_cache_in_this_thread(riot_emulator):
    pipeline = pipeline_for(riot_emulator, "lol", CACHE_STORES["memory"])
    first = pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("fs"))
    assert pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid("fs")) == first
    assert riot_emulator.emulator.stats()["total"] == 1
    assert pipeline.health[0].hits == 1
