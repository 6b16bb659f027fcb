"""The static-data stores (DDragon, CDragon, MerakiCDN, ValorantContent) over real HTTP
against the emulator's static sources, alone and behind RiotAPI and cache stores."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from asgiref.sync import async_to_sync

from pyot_django.exceptions import (
    ImproperlyConfiguredPipeline,
    NotFindable,
    NotFound,
    ResponseTooLarge,
    ServerError,
    Timeout,
)
from pyot_django.pipeline import Pipeline
from pyot_django.riot import get_endpoint
from pyot_django.riot.deadline import deadline_scope
from pyot_django.riot.static_catalogue import STATIC_ENDPOINTS
from pyot_django.testing import RunningEmulator
from pyot_django.testing.data.lol_static import CHAMPIONS
from pyot_django.testing.static.lol import VERSIONS
from tests.helpers import CACHE_STORES, make_pipeline, riot_store

GAME_OF_FAMILY = {"ddragon": "lol", "cdragon": "lol", "meraki": "lol", "valorant": "val"}
FAST = {"TIMEOUT": 2, "ERROR_HANDLING": {500: ("R", [2]), 503: ("E", [0.05, 3]), 504: ("R", [1])}}
# A value for every path parameter of the static catalogue.
SAMPLES = {
    "version": "latest",
    "locale": "en_US",
    "championKey": "Fiora",
    "championId": "114",
    "itemId": "3031",
    "set": "1",
    "agentUuid": "",
    "mapUuid": "",
    "weaponUuid": "",
}
PER_SOURCE = {
    "cdragon": {"locale": "default"},
    "ddragon.lorSet": {"locale": "en_us"},
    "ddragon.lorCore": {"locale": "en_us"},
}


def static_pipeline(emu: RunningEmulator, game: str = "lol", *caches: dict[str, Any], **options: Any) -> Pipeline:
    riot = riot_store(emu.base_url, RATE_LIMITER=None)
    return make_pipeline(*caches, riot, *emu.static_stores(**{**FAST, **options}), name=game)


def game_of(operation: str) -> str:
    endpoint = STATIC_ENDPOINTS[operation]
    return (
        "lor"
        if "lor" in endpoint.games
        else "tft"
        if endpoint.games == {"tft", "lol"} and operation == "cdragon.tft"
        else GAME_OF_FAMILY[endpoint.family]
    )


def params_for(operation: str, uuid: str = "") -> dict[str, str]:
    endpoint = STATIC_ENDPOINTS[operation]
    family = endpoint.family
    values = {**SAMPLES, **PER_SOURCE.get(family, {}), **PER_SOURCE.get(operation, {})}
    params = {name: values[name] for name in endpoint.path_params}
    for name in params:
        if name.endswith("Uuid"):
            params[name] = uuid
    return params


async def first_uuid(pipeline: Pipeline, operation: str) -> str:
    listing = {
        "valorant.agent": "valorant.agents",
        "valorant.map": "valorant.maps",
        "valorant.weapon": "valorant.weapons",
    }[operation]
    answer = await pipeline.get(pipeline.token(listing, "global"))
    return str(answer["data"][0]["uuid"])


@pytest.mark.parametrize("operation", sorted(STATIC_ENDPOINTS))
async def test_every_static_operation_over_http(emu: RunningEmulator, operation: str) -> None:
    pipeline = static_pipeline(emu, game_of(operation))
    uuid = await first_uuid(pipeline, operation) if operation.endswith(("agent", "map", "weapon")) else ""
    try:
        value = await asyncio.wait_for(
            pipeline.get(pipeline.token(operation, "global", **params_for(operation, uuid))), 30
        )
    finally:
        await pipeline.aclose()
    assert value, operation
    declared = STATIC_ENDPOINTS[operation].response_annotation
    assert isinstance(value, list if declared.startswith("list") else dict), (operation, type(value))
    served = emu.emulator.stats()["by_status"]
    assert served[operation] == {"200": 1}  # RiotAPI passed it on without a request


async def test_a_static_token_walks_past_riotapi_to_the_store_that_serves_it(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu, "lol", CACHE_STORES["memory"])
    stores = [store.name for store in pipeline]
    assert stores == ["Memory", "RiotAPI", "DDragon", "CDragon", "MerakiCDN", "ValorantContent"]
    riot = pipeline.stores[1]
    token = pipeline.token("cdragon.championSummary", "global", version="latest", locale="default")
    with pytest.raises(NotFindable):
        await riot.get(token)  # RiotAPI does not serve static data ...
    with pytest.raises(NotFindable):
        await pipeline.stores[2].get(token)  # ... nor does Data Dragon serve CommunityDragon's
    summary = await pipeline.get(token)
    assert {entry["id"] for entry in summary} == {-1, *(cid for cid, _ in CHAMPIONS)}
    assert pipeline.health[3].hits == 1 and pipeline.health[1].misses == 1
    assert await pipeline.get(token) == summary  # the Memory store in front kept it
    assert emu.emulator.stats()["by_status"] == {"cdragon.championSummary": {"200": 1}}
    await pipeline.aclose()


async def test_latest_is_resolved_once_per_expiry(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu, "lol", EXPIRATIONS={"ddragon.versions": 1})
    ddragon = pipeline.stores[1]
    try:
        for key in ("Fiora", "Trundle", "Ahri"):
            champion = await pipeline.fetch(
                "ddragon.champion", "global", version="latest", locale="en_US", championKey=key
            )
            assert champion["data"][key]["version"] == VERSIONS[0]
        champions, items = await asyncio.gather(
            pipeline.fetch("ddragon.champions", "global", version="latest", locale="en_US"),
            pipeline.fetch("ddragon.items", "global", version="latest", locale="ko_KR"),
        )
        assert champions["version"] == items["version"] == VERSIONS[0]
        assert ddragon.version_fetches == 1
        assert emu.emulator.stats()["by_status"]["ddragon.versions"] == {"200": 1}
        await asyncio.sleep(1.1)  # the resolved version expires
        await pipeline.fetch("ddragon.champions", "global", version="latest", locale="en_GB")
        assert ddragon.version_fetches == 2
    finally:
        await pipeline.aclose()


async def test_a_pinned_version_needs_no_resolution_and_unknown_ones_are_not_found(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu)
    try:
        items = await pipeline.fetch("ddragon.items", "global", version=VERSIONS[-1], locale="en_US")
        assert items["version"] == VERSIONS[-1]
        assert pipeline.stores[1].version_fetches == 0
        with pytest.raises(NotFound):
            await pipeline.fetch("ddragon.items", "global", version="1.0.0", locale="en_US")
        with pytest.raises(NotFound):
            await pipeline.fetch("ddragon.champion", "global", version=VERSIONS[0], locale="en_US", championKey="Zzz")
    finally:
        await pipeline.aclose()


async def test_errors_follow_the_strategies(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu)
    args = {"version": "latest", "locale": "default"}
    try:
        emu.emulator.script("cdragon.items", [503, 503, 200])
        assert await pipeline.fetch("cdragon.items", "global", **args)
        assert emu.emulator.stats()["by_status"]["cdragon.items"] == {"200": 1, "503": 2}
        emu.emulator.script("cdragon.perks", [500, 500, 500])
        with pytest.raises(ServerError) as failed:
            await pipeline.fetch("cdragon.perks", "global", **args)
        assert failed.value.status == 500
        emu.emulator.script("cdragon.queues", [{"fault": "malformed"}, 200])
        assert await pipeline.fetch("cdragon.queues", "global", **args)
        emu.emulator.script("cdragon.maps", [{"fault": "timeout"}, {"fault": "timeout"}])
        started = time.monotonic()
        with pytest.raises(Timeout):
            await asyncio.wait_for(pipeline.fetch("cdragon.maps", "global", **args), 30)
        assert time.monotonic() - started < 20
        emu.emulator.script("cdragon.skins", [{"fault": "timeout"}])
        started = time.monotonic()
        with pytest.raises(Timeout), deadline_scope(0.5):  # the lookup's deadline bounds the attempt
            await asyncio.wait_for(pipeline.fetch("cdragon.skins", "global", **args), 30)
        assert time.monotonic() - started < 1.9  # well inside the store's own TIMEOUT of 2 s
    finally:
        await pipeline.aclose()


async def test_a_body_past_max_response_size_is_refused(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu, MAX_RESPONSE_SIZE=10_000)
    try:
        with pytest.raises(ResponseTooLarge, match="MAX_RESPONSE_SIZE") as refused:
            await pipeline.fetch("ddragon.champions", "global", version=VERSIONS[0], locale="en_US")
        assert refused.value.method == "ddragon.champions" and refused.value.server == "global"
    finally:
        await pipeline.aclose()


async def test_the_callers_deadline_and_the_deadline_option_bound_static_lookups(emu: RunningEmulator) -> None:
    # The same client as RiotAPI's: a Retry-After or backoff that would end past the deadline
    # fails at once with retry_after, and an attempt is cut by what the deadline leaves.
    pipeline = static_pipeline(emu)
    patient = static_pipeline(emu, DEADLINE=0.5)
    args = {"version": "latest", "locale": "default"}
    try:
        emu.emulator.script("cdragon.items", [{"status": 503, "retry_after": 5}, 200])
        started = time.monotonic()
        with pytest.raises(ServerError) as refused:
            await asyncio.wait_for(pipeline.fetch("cdragon.items", "global", deadline=1.0, **args), 30)
        assert refused.value.status == 503 and refused.value.retry_after == 5
        assert time.monotonic() - started < 4  # it did not wait the 5 s
        emu.emulator.script("cdragon.perks", [{"fault": "timeout"}])
        started = time.monotonic()
        with pytest.raises(Timeout):
            await asyncio.wait_for(patient.fetch("cdragon.perks", "global", **args), 30)
        assert time.monotonic() - started < 1.9  # DEADLINE=0.5 cut the 2 s TIMEOUT
    finally:
        await pipeline.aclose()
        await patient.aclose()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache", ["orm", "redis", "locmem"])
async def test_caches_in_front_keep_static_data(emu: RunningEmulator, cache: str, redis_cache: Any) -> None:
    pipeline = static_pipeline(emu, "lol", CACHE_STORES["memory"], CACHE_STORES[cache])
    token = pipeline.token("meraki.champion", "global", championKey="Fiora")
    try:
        fiora = await pipeline.get(token)
        assert fiora["name"] == "Fiora" and fiora["id"] == 114
        await pipeline.stores[0].clear()
        assert await pipeline.get(token) == fiora  # from the second cache
        assert emu.emulator.stats()["by_status"]["meraki.champion"] == {"200": 1}
        assert pipeline.stores[1].expirations.ttl("meraki.champion") == 6 * 3600  # hours, by default
        assert await pipeline.contains(token)
        await pipeline.clear()
    finally:
        await pipeline.aclose()


def test_sync_callers(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu, "val", CACHE_STORES["memory"])
    agents = pipeline.fetch_sync("valorant.agents", "global", queries={"language": "en-US"})
    assert agents["status"] == 200 and any(a["displayName"] == "Jett" for a in agents["data"])
    assert pipeline.fetch_sync("valorant.agents", "global", queries={"language": "en-US"}) == agents
    assert emu.emulator.stats()["by_status"]["valorant.agents"] == {"200": 1}
    async_to_sync(pipeline.aclose)()


def test_icons_are_pngs(emu: RunningEmulator, http: httpx.Client) -> None:
    for path in (
        f"/_static/ddragon/cdn/{VERSIONS[0]}/img/champion/Fiora.png",
        "/_static/cdragon/latest/plugins/rcp-be-lol-game-data/global/default/v1/champion-icons/114.png",
        "/_static/ddragon/cdn/img/perk-images/Styles/8010.png",
    ):
        response = http.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n") and len(response.content) < 2000


def test_static_operations_belong_to_their_games_and_route_by_global() -> None:
    assert get_endpoint("lol", "ddragon.champions").route == "static"
    assert get_endpoint("val", "valorant.agents").family == "valorant"
    with pytest.raises(NotFindable, match="static data served by pipelines of val"):
        get_endpoint("lol", "valorant.agents")
    from pyot_django.exceptions import RoutingError

    with pytest.raises(RoutingError, match="static data"):
        make_pipeline(CACHE_STORES["memory"]).token("ddragon.versions", "na1")


async def test_a_static_store_limits_only_when_asked_and_in_its_own_scope(emu: RunningEmulator) -> None:
    pipeline = static_pipeline(emu)
    limited = static_pipeline(emu, RATE_LIMITER={})
    try:
        assert [store.describe()["limiter"] for store in pipeline.stores[1:]] == ["off"] * 4
        assert {store.client.key_id for store in limited.stores[1:]} == {"ddragon", "cdragon", "meraki", "valorant"}
        assert await limited.fetch("meraki.champion", "global", championKey="Fiora")
        assert type(limited.stores[3].limiter).__name__ == "MemoryLimiter"
    finally:
        await pipeline.aclose()
        await limited.aclose()


def test_bad_options_name_the_key() -> None:
    with pytest.raises(ImproperlyConfiguredPipeline, match=r"\['BASE_URL'\]"):
        make_pipeline({"BACKEND": "pyot_django.stores.CDragon", "BASE_URL": "ftp://x"})
    with pytest.raises(ImproperlyConfiguredPipeline, match=r"\['TIMEOUT'\]"):
        make_pipeline({"BACKEND": "pyot_django.stores.DDragon", "TIMEOUT": 0})


def test_E028_and_no_W001_for_service_stores_in_a_row() -> None:
    from pyot_django.conf import config_problems

    riot = riot_store("http://127.0.0.1:1/{server}")
    good = {"lol": {"STORES": [CACHE_STORES["memory"], riot, {"BACKEND": "pyot_django.stores.DDragon"},
                               {"BACKEND": "pyot_django.stores.CDragon"}]}}  # fmt: skip
    assert config_problems(good) == []
    meraki = {
        "BACKEND": "pyot_django.stores.MerakiCDN",
        "BASE_URL": "cdn.example",
        "MAX_RESPONSE_SIZE": 0,
        "DEADLINE": -1,
        "RATE_LIMITER": {"BACKEND": "nope.Limiter"},
    }
    bad = {"lol": {"STORES": [riot, meraki]}}
    problems = config_problems(bad)
    # The client's options are checked as RiotAPI's are, under the same ids.
    assert [(p.check_id, p.key) for p in problems] == [
        ("E028", "PYOT['lol']['STORES'][1]['BASE_URL']"),
        ("E023", "PYOT['lol']['STORES'][1]['DEADLINE']"),
        ("E024", "PYOT['lol']['STORES'][1]['MAX_RESPONSE_SIZE']"),
        ("E018", "PYOT['lol']['STORES'][1]['RATE_LIMITER']"),
    ]
    cache_after = {"lol": {"STORES": [riot, CACHE_STORES["memory"]]}}
    assert [p.check_id for p in config_problems(cache_after)] == ["W001"]
