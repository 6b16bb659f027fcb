"""DjangoCache's native async path (redis.asyncio) and Django's own cache API read each other's entries.

For django-redis (plain, zlib, lz4, JSON with lzma) and Django's ``RedisCache``
(pickle, a JSON serializer of the alias's own), with a key prefix, a version and a
key function of the alias's own, an entry written by ``await store.set`` is read by
``cache.get`` and one written by ``cache.set`` by ``await store.get``; expiries land
in Redis the way the backend itself sets them.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from pyot_django.stores.redis_async import native_redis
from tests.helpers import FAKE, make_pipeline, summoner_token


def _key_func(key: str, key_prefix: str, version: int) -> str:
    return f"custom|{key_prefix}|{version}|{key}"


def _backends(url: str) -> dict[str, dict]:
    django_redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "kp", "VERSION": 3}
    return {
        "django-redis": django_redis,
        "django-redis zlib": {
            **django_redis,
            "OPTIONS": {"COMPRESSOR": "django_redis.compressors.zlib.ZlibCompressor"},
        },
        "django-redis lz4": {
            **django_redis,
            "KEY_FUNCTION": "tests.test_cache_native._key_func",
            "OPTIONS": {"COMPRESSOR": "django_redis.compressors.lz4.Lz4Compressor", "SOCKET_TIMEOUT": 2},
        },
        "django-redis json lzma": {
            **django_redis,
            "OPTIONS": {
                "SERIALIZER": "django_redis.serializers.json.JSONSerializer",
                "COMPRESSOR": "django_redis.compressors.lzma.LzmaCompressor",
            },
        },
        "django RedisCache": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kp",
            "VERSION": 2,
            "KEY_FUNCTION": "tests.test_cache_native._key_func",
        },
        "django RedisCache json serializer": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kp",
            "OPTIONS": {"serializer": "tests.test_cache_native.JsonSerializer"},
        },
    }


class JsonSerializer:
    """A serializer of the alias's own (Django's ``OPTIONS["serializer"]``): JSON, not pickle."""

    def dumps(self, obj: object) -> bytes:
        return json.dumps(obj).encode()

    def loads(self, data: bytes) -> object:
        return json.loads(data)


BACKENDS = list(_backends("redis://x"))
# Big enough that the compressors really compress (django-redis skips small values).
VALUE = {"puuid": "p" * 78, "rows": [{"n": n, "name": f"row {n}"} for n in range(200)], "flag": True}


@pytest.fixture(params=BACKENDS)
def native_alias(request, redis_url: str):
    backend = _backends(redis_url)[request.param]
    with override_settings(CACHES={**settings.CACHES, "native": backend}):
        yield "native"
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match="*pyot:*"):
            client.delete(key)
        client.close()


def _pipeline(expirations):
    return make_pipeline(
        {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "native", "EXPIRATIONS": expirations},
        {"BACKEND": FAKE},
    )


async def test_each_path_reads_the_other(native_alias):
    assert native_redis(native_alias) is not None, "the native path should serve this backend"
    pipeline = _pipeline({"*": 60})
    store = pipeline.stores[0]
    cache = caches[native_alias]
    written, other = summoner_token("native-w"), summoner_token("native-r")

    await store.set(written, VALUE)
    assert await asyncio.to_thread(cache.get, store.key_for(written)) == VALUE
    assert await cache.aget(store.key_for(written)) == VALUE

    await asyncio.to_thread(cache.set, store.key_for(other), {"from": "sync", **VALUE}, 60)
    assert await store.get(other) == {"from": "sync", **VALUE}

    # Integers are stored raw by both backends (for INCR): the paths must agree on those too.
    await asyncio.to_thread(cache.set, store.key_for(summoner_token("int")), 7, 60)
    assert await store.get(summoner_token("int")) == 7
    await store.set(summoner_token("int2"), 8)
    assert await asyncio.to_thread(cache.get, store.key_for(summoner_token("int2"))) == 8

    # A whole lookup: the fake service answers once, the native path serves the next get.
    fresh = summoner_token("native-pipeline")
    first = await pipeline.get(fresh)
    assert await pipeline.get(fresh) == first
    assert pipeline.stores[1].calls == 1
    assert await asyncio.to_thread(cache.get, store.key_for(fresh)) == first


async def test_expiries_match_the_backend(native_alias, redis_url: str):
    pipeline = _pipeline({"*": 2, "match-v5.getMatch": -1})
    store = pipeline.stores[0]
    cache = caches[native_alias]
    native = native_redis(native_alias)
    assert native is not None
    ours, theirs = summoner_token("ttl-ours"), summoner_token("ttl-theirs")
    await store.set(ours, VALUE)
    await asyncio.to_thread(cache.set, store.key_for(theirs), VALUE, 2)
    raw = redis.Redis.from_url(redis_url)
    try:
        ttl_ours = raw.pttl(native.make_key(store.key_for(ours)))
        ttl_theirs = raw.pttl(native.make_key(store.key_for(theirs)))
        assert ttl_ours > 0 and ttl_theirs > 0, (ttl_ours, ttl_theirs)
        # Same unit and rounding as the backend (django-redis: ms; Django: whole seconds).
        assert abs(ttl_ours - ttl_theirs) < 300, (ttl_ours, ttl_theirs)

        from pyot_django.pipeline import PipelineToken

        match = PipelineToken("lol", "americas", "match-v5.getMatch", {"matchId": "NA1_9"}, {})
        await store.set(match, VALUE)
        assert raw.pttl(native.make_key(store.key_for(match))) == -1  # no expiry, as cache.set(..., None)

        await asyncio.sleep(2.2)  # past both expiries (Redis drops keys at their PX/EX)
        with pytest.raises(Exception) as missing:
            await store.get(ours)
        assert type(missing.value).__name__ == "NotFound"
        assert await asyncio.to_thread(cache.get, store.key_for(theirs)) is None
    finally:
        raw.close()


async def test_a_new_event_loop_gets_its_own_client(native_alias):
    """async_to_sync may run each call on a fresh loop: the native path must work on each."""
    pipeline = _pipeline({"*": 60})
    store = pipeline.stores[0]
    token = summoner_token("loops")
    await store.set(token, VALUE)

    def read_in_new_loops() -> list:
        return [asyncio.run(store.get(token)) for _ in range(3)]

    assert await asyncio.to_thread(read_in_new_loops) == [VALUE] * 3
    native = native_redis(native_alias)
    assert native is not None
    # Each new loop's client replaced the dead loops' ones: this loop's + the last run's at most.
    assert len(native._clients) <= 2


def test_other_backends_keep_django_async_api():
    assert native_redis("locmem") is None
    with override_settings(
        CACHES={
            **settings.CACHES,
            "sharded": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": ["redis://127.0.0.1:1/0", "redis://127.0.0.1:2/0"],
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.ShardClient"},
            },
        }
    ):
        assert native_redis("sharded") is None


async def test_connections_per_loop_are_bounded_and_the_wait_for_one_too(redis_url: str, monkeypatch) -> None:
    """At most _POOL_SIZE commands in flight per loop; the next waits at most _POOL_WAIT, then fails clearly."""
    from pyot_django.stores import redis_async

    monkeypatch.setattr(redis_async, "_POOL_SIZE", 2)
    monkeypatch.setattr(redis_async, "_POOL_WAIT", 0.3)
    backend = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    with override_settings(CACHES={**settings.CACHES, "bounded": backend}):
        native = native_redis("bounded")
        assert native is not None
        client = await native.client()

        async def hold_a_slot() -> None:  # a command that keeps its connection for 1 s
            async with await native.slot():
                await client.blpop(["pyot-test-never-pushed"], timeout=1)

        holders = [asyncio.ensure_future(hold_a_slot()) for _ in range(2)]
        await asyncio.sleep(0.1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(redis.asyncio.ConnectionError, match=r"no Redis connection free within 0\.3 s"):
            await native.get("anything")
        assert 0.25 <= loop.time() - started < 0.9  # bounded by _POOL_WAIT, not by the holders
        await asyncio.wait_for(asyncio.gather(*holders), 5)
        await native.set("bounded-probe", {"ok": 1}, 10)
        assert await asyncio.wait_for(native.get("bounded-probe"), 5) == {"ok": 1}  # slots came back
        await native.aclose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_async_to_sync_lookups_share_one_pool(backend: str, private_redis) -> None:
    """Each ``async_to_sync(pipeline.get)`` runs on a loop of its own: none may open a connection of its own.

    On a redis-server of the test's own: its connection count is this test's alone."""
    from asgiref.sync import async_to_sync

    url, _ = private_redis
    with override_settings(CACHES={**settings.CACHES, "native": _backends(url)[backend]}):
        _count_connections_of_throwaway_loops(url, async_to_sync)


def _count_connections_of_throwaway_loops(url: str, async_to_sync) -> None:
    pipeline = _pipeline({"*": 60})
    store = pipeline.stores[0]
    cache = caches["native"]
    probe = redis.Redis.from_url(url)
    try:
        written = summoner_token("a2s-written")
        async_to_sync(store.set)(written, VALUE)  # the throwaway loop's set, read by the alias itself
        assert cache.get(store.key_for(written)) == VALUE
        cache.set(store.key_for(summoner_token("a2s-read")), {"from": "sync"}, 60)
        before = probe.info("stats")["total_connections_received"]
        for _ in range(50):
            assert async_to_sync(store.get)(summoner_token("a2s-read")) == {"from": "sync"}
            assert async_to_sync(pipeline.get)(written) == VALUE
        opened = probe.info("stats")["total_connections_received"] - before
        assert opened <= 2, f"{opened} connections for 100 lookups on throwaway loops"
    finally:
        probe.close()
