"""The pipeline's rules (DESIGN §2) over the real cache stores."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from asgiref.sync import async_to_sync
from django.test import override_settings

from pyot_django.exceptions import NotFindable, NotFound
from pyot_django.pipeline import PipelineToken, pipelines
from tests.fakes import FakeService
from tests.helpers import CACHE_STORES, FAKE, make_pipeline, summoner_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_ready(redis_cache):
    return redis_cache


async def test_get_walks_stores_and_sinks_into_every_earlier_cache(redis_ready):
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES["redis"], CACHE_STORES["orm"], {"BACKEND": FAKE})
    memory, cache, orm, service = pipeline.stores
    token = summoner_token("sink")
    value = await pipeline.get(token)
    assert value["id"] == "sink"
    assert service.calls == 1
    for store in (memory, cache, orm):
        assert await store.get(token) == value
    # Served from memory now: the service is not asked again.
    assert await pipeline.get(token) == value
    assert service.calls == 1
    assert [health.hits for health in pipeline.health] == [1, 0, 0, 1]


async def test_sink_stops_at_the_store_that_supplied(redis_ready):
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES["redis"], CACHE_STORES["orm"], {"BACKEND": FAKE})
    memory, cache, orm, service = pipeline.stores
    token = summoner_token("middle")
    await cache.set(token, {"from": "cache"})
    assert await pipeline.get(token) == {"from": "cache"}
    assert await memory.get(token) == {"from": "cache"}
    with pytest.raises(NotFound):
        await orm.get(token)
    assert service.calls == 0


async def test_set_with_stop_fills_only_the_stores_before_it():
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES["locmem"], CACHE_STORES["orm"], {"BACKEND": FAKE})
    memory, cache, orm, _ = pipeline.stores
    token = summoner_token("stop")
    await pipeline.set(token, {"v": 1}, stop=orm)
    assert await memory.get(token) == {"v": 1}
    assert await cache.get(token) == {"v": 1}
    assert not await orm.contains(token)
    await pipeline.set(token, {"v": 2})
    assert await orm.get(token) == {"v": 2}
    await pipeline.set(token, {"v": 3}, stop=1)
    assert await memory.get(token) == {"v": 3}
    assert await cache.get(token) == {"v": 2}


async def test_service_404_is_final_and_nothing_is_cached():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE}, {"BACKEND": FAKE})
    token = summoner_token("404-missing")
    with pytest.raises(NotFound):
        await pipeline.get(token)
    assert pipeline.stores[1].calls == 1
    assert pipeline.stores[2].calls == 0  # a service's 404 is not passed on
    assert not await pipeline.contains(token)


async def test_not_findable_passes_on_to_the_next_store():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE, "NOT_FINDABLE": True}, {"BACKEND": FAKE})
    value = await pipeline.get(summoner_token("nf"))
    assert value["id"] == "nf"
    assert [store.calls for store in pipeline.stores[1:]] == [1, 1]


async def test_last_stores_exception_is_raised_when_nobody_can():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE, "NOT_FINDABLE": True})
    with pytest.raises(NotFindable):
        await pipeline.get(summoner_token("nobody"))


async def test_post_and_put_go_to_the_service_and_are_never_cached():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE})
    token = PipelineToken("lol", "americas", "tournament-stub-v5.registerProviderData", {}, {})
    assert await pipeline.post(token, {"region": "NA"}) == {"posted": {"region": "NA"}}
    assert await pipeline.put(token, {"x": 1}) is None
    assert pipeline.stores[1].posts == [{"region": "NA"}, {"x": 1}]
    assert not await pipeline.contains(token)


@pytest.mark.parametrize("kind", list(CACHE_STORES))
async def test_clear_expire_delete_contains_per_store_kind(kind, redis_url):
    from django.core.cache import caches

    if kind == "redis":
        caches["redis"].delete_pattern("pyot:*")
    options = dict(CACHE_STORES[kind], EXPIRATIONS={"*": 60, "league-v4.getLeagueEntriesByPUUID": 1})
    pipeline = make_pipeline(options, {"BACKEND": FAKE})
    store = pipeline.stores[0]
    keep = summoner_token("keep")
    gone = summoner_token("gone")
    short = PipelineToken("lol", "na1", "league-v4.getLeagueEntriesByPUUID", {"id": "short"}, {})
    for token in (keep, gone, short):
        await pipeline.get(token)
    assert await pipeline.contains(keep) and await store.contains(gone)
    assert await pipeline.delete(gone) is True
    assert await pipeline.delete(gone) is False
    assert not await store.contains(gone)
    await asyncio.sleep(1.1)
    assert not await store.contains(short)  # expired entries are not served
    expired = await pipeline.expire()
    if kind.startswith("orm") or kind == "memory":
        assert expired == {0: 1}
    with pytest.raises(NotFound):
        await store.get(short)
    assert await store.contains(keep)
    await pipeline.clear()
    assert not await store.contains(keep)
    assert pipeline.stores[1].calls == 3


@pytest.mark.parametrize("kind", ["memory", "locmem", "redis", "orm"])
async def test_zero_expiration_means_never_kept(kind, redis_url):
    pipeline = make_pipeline(dict(CACHE_STORES[kind], EXPIRATIONS={"summoner-v4.getByPUUID": 0}), {"BACKEND": FAKE})
    token = summoner_token("zero")
    await pipeline.get(token)
    await pipeline.get(token)
    assert pipeline.stores[1].calls == 2
    assert not await pipeline.contains(token)


@pytest.mark.parametrize("kind", ["locmem", "redis", "orm", "memory"])
async def test_clear_leaves_other_pipelines_and_foreign_keys_intact(kind, redis_url):
    from django.core.cache import caches

    pyot = {
        "lol": {"STORES": [CACHE_STORES[kind], {"BACKEND": FAKE}]},
        "tft": {"STORES": [CACHE_STORES[kind], {"BACKEND": FAKE}]},
    }
    alias = CACHE_STORES[kind].get("ALIAS", "locmem")
    caches[alias].set("foreign:key", "mine", None)
    with override_settings(PYOT=pyot):
        lol, tft = pipelines["lol"], pipelines["tft"]
        lol_token = summoner_token("both")
        tft_token = PipelineToken("tft", "na1", "tft-summoner-v1.getByPUUID", {"id": "both"}, {})
        await lol.get(lol_token)
        await tft.get(tft_token)
        await lol.clear()
        assert not await lol.contains(lol_token)
        assert await tft.contains(tft_token)
        assert caches[alias].get("foreign:key") == "mine"
        await tft.clear()
    caches[alias].delete("foreign:key")


async def test_values_returned_may_be_mutated_without_corrupting_the_cache():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE})
    token = summoner_token("mutate")
    first = await pipeline.get(token)
    first["n"].append(99)
    second = await pipeline.get(token)
    assert second["n"] == [1, 2, 3]
    second["n"].clear()
    assert (await pipeline.get(token))["n"] == [1, 2, 3]


async def test_fifty_concurrent_gets_of_a_cold_token_reach_the_service_once():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE, "DELAY": 0.05})
    token = summoner_token("cold")
    results = await asyncio.gather(*(pipeline.get(summoner_token("cold")) for _ in range(50)))
    assert pipeline.stores[1].calls == 1
    assert all(result == results[0] for result in results)
    results[0]["n"].append(4)  # every caller got its own object
    assert results[1]["n"] == [1, 2, 3]
    assert await pipeline.contains(token)


async def test_a_cancelled_leader_does_not_fail_its_followers():
    pipeline = make_pipeline(CACHE_STORES["memory"], {"BACKEND": FAKE, "DELAY": 0.1})
    leader = asyncio.create_task(pipeline.get(summoner_token("lead")))
    await asyncio.sleep(0.01)
    followers = [asyncio.create_task(pipeline.get(summoner_token("lead"))) for _ in range(5)]
    await asyncio.sleep(0.01)
    leader.cancel()
    results = await asyncio.gather(*followers)
    assert all(result["id"] == "lead" for result in results)
    with pytest.raises(asyncio.CancelledError):
        await leader


async def test_an_error_is_shared_with_the_followers():
    pipeline = make_pipeline({"BACKEND": FAKE, "DELAY": 0.05})
    results = await asyncio.gather(
        *(pipeline.get(summoner_token("404-all")) for _ in range(10)), return_exceptions=True
    )
    assert all(isinstance(result, NotFound) for result in results)
    assert pipeline.stores[0].calls == 1


def test_two_hundred_sequential_async_to_sync_gets_from_sync_code(redis_url):
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES["redis"], CACHE_STORES["orm"], {"BACKEND": FAKE})
    get = async_to_sync(pipeline.get)
    for index in range(200):
        assert get(summoner_token(f"sync-{index % 20}"))["id"] == f"sync-{index % 20}"
    assert pipeline.stores[3].calls == 20
    async_to_sync(pipeline.clear)()


def test_async_to_sync_from_many_threads_at_once():
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES["locmem"], {"BACKEND": FAKE})
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for index in range(20):
                async_to_sync(pipeline.get)(summoner_token(f"t-{(offset + index) % 7}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


async def test_redis_refusing_connections_falls_through_and_warns_once_per_burst(caplog):
    down = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"}
    pipeline = make_pipeline(CACHE_STORES["memory"], down, {"BACKEND": FAKE})
    caplog.set_level(logging.DEBUG, logger="pyot_django")
    for index in range(30):
        value = await pipeline.get(summoner_token(f"down-{index}"))
        assert value["id"] == f"down-{index}"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "failed" in r.getMessage()]
    assert len(warnings) == 1
    assert "store 1 (DjangoCache)" in warnings[0].getMessage()
    assert pipeline.stores[2].calls == 30
    assert pipeline.health[1].misses == 30


async def test_settings_change_rebuilds_the_registry():
    with override_settings(PYOT={"lol": {"STORES": [{"BACKEND": FAKE}]}}):
        first = pipelines["lol"]
        assert list(pipelines) == ["lol"]
    with override_settings(PYOT={"lol": {"STORES": [CACHE_STORES["memory"], {"BACKEND": FAKE}]}}):
        assert pipelines["lol"] is not first
        assert len(pipelines["lol"]) == 2
        with pytest.raises(KeyError, match="configured: lol"):
            pipelines["tft"]


async def test_two_api_keys_never_share_cache_entries(redis_url):
    stores = [CACHE_STORES["locmem"], CACHE_STORES["orm"]]
    token = summoner_token("shared")
    with override_settings(PYOT={"lol": {"STORES": [*stores, {"BACKEND": FAKE, "IDENTITY": "key-a"}]}}):
        await pipelines["lol"].get(token)
        assert await pipelines["lol"].contains(token)
    with override_settings(PYOT={"lol": {"STORES": [*stores, {"BACKEND": FAKE, "IDENTITY": "key-b"}]}}):
        pipeline = pipelines["lol"]
        assert not await pipeline.contains(token)
        await pipeline.get(token)
        assert pipeline.stores[-1].calls == 1
        await pipeline.clear()


def teardown_module() -> None:
    FakeService.instances.clear()


@pytest.mark.parametrize("kind", ["memory", "locmem", "redis", "orm"])
def test_get_sync_reads_caches_without_a_loop_and_fetches_on_a_miss(kind, redis_url):
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES[kind], {"BACKEND": FAKE})
    token = summoner_token(f"sync-path-{kind}")
    first = pipeline.get_sync(token)  # a miss: fetched through the async path and sunk
    assert first["id"] == f"sync-path-{kind}"
    assert pipeline.stores[-1].calls == 1
    async_to_sync(pipeline.stores[0].clear)()
    from pyot_django.pipeline.trace import trace_lookups

    with trace_lookups() as trace:
        second = pipeline.get_sync(token)
    assert second == first
    assert pipeline.stores[-1].calls == 1
    assert trace.records[0].store_index == 1
    # A hit further down sinks into the stores before it.
    assert async_to_sync(pipeline.stores[0].contains)(token)
    second["n"].append(9)
    assert pipeline.get_sync(token)["n"] == [1, 2, 3]
    async_to_sync(pipeline.clear)()


def test_get_sync_treats_a_failing_cache_as_a_miss():
    down = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "redis_down"}
    pipeline = make_pipeline(down, {"BACKEND": FAKE})
    assert pipeline.get_sync(summoner_token("sync-down"))["id"] == "sync-down"
    assert pipeline.health[0].failing
