"""Per-key scope: two deployments of pipeline "lol" on keys A and B share a cache alias and a database.

``clear()`` / ``expire()`` / ``delete()`` of one act on its own namespace only, and
their counts say so; a hand-built ``Pipeline`` never rebinds a live store's namespace.
"""

from __future__ import annotations

import asyncio

import pytest
from django.core.cache import caches
from django.test import override_settings

from pyot_django.pipeline import Pipeline, PipelineToken, pipelines
from tests.helpers import CACHE_STORES, FAKE, make_pipeline, summoner_token

pytestmark = pytest.mark.django_db(transaction=True)

SHORT = "league-v4.getLeagueEntriesByPUUID"
SHARED_KINDS = ["locmem", "redis", "orm"]


def _deployment(kind: str, identity: str):
    options = dict(CACHE_STORES[kind], EXPIRATIONS={"*": 60, SHORT: 1})
    return make_pipeline(options, {"BACKEND": FAKE, "IDENTITY": identity})


def _tokens(tag: str) -> list[PipelineToken]:
    return [
        summoner_token(f"{tag}-1"),
        summoner_token(f"{tag}-2"),
        PipelineToken("lol", "na1", SHORT, {"encryptedPUUID": f"{tag}-short"}, {}),
    ]


@pytest.fixture
def shared_backends(redis_cache):
    caches["locmem"].clear()
    yield
    caches["locmem"].clear()


@pytest.mark.parametrize("kind", SHARED_KINDS)
async def test_clear_delete_expire_of_key_a_leave_key_b_alone(kind, shared_backends):
    a, b = _deployment(kind, "keyA"), _deployment(kind, "keyB")
    assert a.namespace == "lol@keyA" and b.namespace == "lol@keyB"
    tokens = _tokens("scope")
    for pipeline in (a, b):
        for token in tokens:
            await pipeline.get(token)
    assert [store.calls for store in (a.stores[1], b.stores[1])] == [3, 3]  # nothing shared across keys
    if kind == "redis":
        caches["redis"].set("foreign:keep", 1)

    assert await a.delete(tokens[0]) is True
    assert await a.delete(tokens[0]) is False
    assert await b.contains(tokens[0])

    await asyncio.sleep(1.1)  # the short-lived entry of both keys expires
    expired = await a.expire()
    if kind == "orm":
        assert expired == {0: 1}  # key A's expired row only
        assert await b.stores[0].count() == 3
    else:
        assert expired == {0: 0}  # cache backends drop expired keys themselves

    removed = await a.clear()
    if kind == "orm":
        assert removed == {0: 1}  # A's one remaining row; B's three are not A's to delete or count
    else:
        # A's live entry, plus its expired one where the backend had not dropped it yet;
        # never B's (which would make it 4 or 5).
        assert removed[0] in (1, 2)
    for token in tokens[:2]:
        assert not await a.contains(token)
        assert await b.contains(token)
    if kind == "redis":
        assert caches["redis"].get("foreign:keep") == 1
    assert await b.get(tokens[1]) == {
        "id": "scope-2",
        "server": "na1",
        "method": "summoner-v4.getByPUUID",
        "n": [1, 2, 3],
    }
    assert b.stores[1].calls == 3  # still served from B's cache


async def test_redis_clear_counts_only_its_own_keys(redis_cache):
    a, b = _deployment("redis", "keyA"), _deployment("redis", "keyB")
    for pipeline in (a, b):
        for token in _tokens("count"):
            await pipeline.get(token)
    assert await a.clear() == {0: 3}
    assert await b.clear() == {0: 3}
    assert await b.clear() == {0: 0}


def _settings(identity: str, *stores: dict) -> dict:
    return {"lol": {"STORES": [*stores, {"BACKEND": FAKE, "IDENTITY": identity}]}}


@pytest.mark.parametrize("kind", ["redis", "orm"])
async def test_a_hand_built_pipeline_never_rebinds_a_live_stores_namespace(kind, redis_cache):
    with override_settings(PYOT=_settings("47a3", CACHE_STORES[kind])):
        live = pipelines["lol"]
        store = live.stores[0]
        token = summoner_token("live")
        await live.get(token)
        before = (store.namespace, store.key_for(token))
        assert before[0] == "lol@47a3"

        Pipeline("lol", [store])  # no service store: its own namespace would be "lol@nokey"
        assert (store.namespace, store.key_for(token)) == before
        assert await live.contains(token)
        assert await live.get(token) and live.stores[1].calls == 1
