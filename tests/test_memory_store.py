"""The Memory store: LRU bound, TTL, and copies the caller may mutate."""

from __future__ import annotations

import asyncio

import pytest

from pyot_django.exceptions import NotFound
from pyot_django.pipeline import PipelineToken
from tests.helpers import FAKE, make_pipeline, summoner_token


def memory(**options):
    return make_pipeline({"BACKEND": "pyot_django.stores.Memory", **options}, {"BACKEND": FAKE}).stores[0]


async def test_full_store_evicts_the_least_recently_used_and_never_errors():
    store = memory(MAX_ENTRIES=3)
    tokens = [summoner_token(f"lru-{n}") for n in range(5)]
    for token in tokens[:3]:
        await store.set(token, {"n": token.params["id"]})
    await store.get(tokens[0])  # now the most recently used
    await store.set(tokens[3], {"n": 3})
    await store.set(tokens[4], {"n": 4})
    assert await store.count() == 3
    assert await store.contains(tokens[0])
    assert not await store.contains(tokens[1]) and not await store.contains(tokens[2])
    assert (await store.get(tokens[4])) == {"n": 4}


async def test_ttl_per_method_and_forever():
    store = memory(EXPIRATIONS={"summoner-v4.getByPUUID": 1, "league-v4": -1})
    short = summoner_token("ttl")
    forever = PipelineToken("lol", "na1", "league-v4.getLeagueEntriesByPUUID", {"encryptedPUUID": "forever"})
    await store.set(short, {"v": 1})
    await store.set(forever, {"v": 2})
    assert store.expires_at(forever) is None and store.expires_at(short) is not None
    await asyncio.sleep(1.05)
    with pytest.raises(NotFound):
        await store.get(short)
    assert await store.get(forever) == {"v": 2}


async def test_mutating_the_stored_value_or_a_hit_does_not_reach_the_cache():
    store = memory()
    token = summoner_token("mut")
    value = {"list": [1]}
    await store.set(token, value)
    value["list"].append(2)
    hit = await store.get(token)
    assert hit == {"list": [1]}
    hit["list"].append(3)
    assert store.get_sync(token) == {"list": [1]}
