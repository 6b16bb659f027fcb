"""The DjangoORM store on the configured database (run on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from django.db import close_old_connections

from pyot_django.models import PyotEntry
from tests.helpers import CACHE_STORES, FAKE, make_pipeline, summoner_token
from tests.testapp.models import ManagedEntry, MatchEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_writers_of_one_token_end_with_one_row():
    pipeline = make_pipeline(CACHE_STORES["orm"], {"BACKEND": FAKE})
    store = pipeline.stores[0]
    token = summoner_token("race")
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            async_to_sync(store.set)(token, {"writer": n})
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = list(PyotEntry.objects.filter(pipeline="lol"))
    assert len(rows) == 1
    assert rows[0].method == "summoner-v4.getByPUUID" and rows[0].server == "na1"
    assert rows[0].value["writer"] in range(20)


async def test_concurrent_async_writers_also_end_with_one_row():
    pipeline = make_pipeline(CACHE_STORES["orm"], {"BACKEND": FAKE})
    store = pipeline.stores[0]
    token = summoner_token("race-async")
    await asyncio.gather(*(store.set(token, {"writer": n}) for n in range(20)))
    assert await PyotEntry.objects.filter(pipeline="lol").acount() == 1


async def test_custom_model_gets_the_rows():
    pipeline = make_pipeline(CACHE_STORES["orm_custom"], {"BACKEND": FAKE})
    token = summoner_token("custom")
    await pipeline.get(token)
    assert await MatchEntry.objects.acount() == 1
    assert await PyotEntry.objects.acount() == 0
    row = await MatchEntry.objects.aget()
    assert row.key.endswith(token.stringify)
    assert row.expires_at is not None and not row.is_expired


async def test_a_model_without_objects_whose_default_manager_filters_keeps_and_clears_every_row():
    # ManagedEntry's only manager is "na1", which hides other servers' rows: the store must
    # still see (and clear) all of its own rows.
    pipeline = make_pipeline(
        {"BACKEND": "pyot_django.stores.DjangoORM", "MODEL": "testapp.ManagedEntry"}, {"BACKEND": FAKE}
    )
    store = pipeline.stores[0]
    na1, euw1 = summoner_token("managed", "na1"), summoner_token("managed", "euw1")
    await store.set(na1, {"on": "na1"})
    await store.set(euw1, {"on": "euw1"})
    assert await store.get(euw1) == {"on": "euw1"}
    assert await store.contains(euw1) and await store.count() == 2
    entry = await store.entry(euw1)
    assert entry is not None and entry.server == "euw1"
    assert await store.delete(euw1) and not await store.contains(euw1)
    await store.set(euw1, {"on": "euw1"})
    assert await store.clear() == 2
    assert await ManagedEntry._base_manager.acount() == 0


async def test_forever_entries_have_no_expiry_and_survive_expire():
    pipeline = make_pipeline(dict(CACHE_STORES["orm"], EXPIRATIONS={"summoner-v4.getByPUUID": -1}), {"BACKEND": FAKE})
    await pipeline.get(summoner_token("forever"))
    assert await pipeline.expire() == {0: 0}
    row = await PyotEntry.objects.aget()
    assert row.expires_at is None


async def test_key_never_contains_the_api_key_and_is_indexed_lookup():
    pipeline = make_pipeline(CACHE_STORES["orm"], {"BACKEND": FAKE, "IDENTITY": "k1a2b3"})
    await pipeline.get(summoner_token("ident"))
    row = await PyotEntry.objects.aget()
    assert row.key.startswith("k1a2b3:")
    constraint_fields = [c.fields for c in PyotEntry._meta.constraints]
    assert ("pipeline", "key") in constraint_fields
