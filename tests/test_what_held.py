"""What held in issue 9's review, and must keep holding.

- The API key is in no cache key or value (django-redis and LocMem), no ORM row and no
  management command's output, after real lookups through RiotAPI against the emulator.
- An unmigrated or unreachable database never fails a lookup: the ORM store counts as a
  miss and the data still reaches the caller.

Kept elsewhere: logs (conftest's session-wide watch), reprs (test_riot_store), admin pages,
permissions and CSRF (test_admin), a killed Redis (test_pipeline, test_limiter_redis), a
frozen Redis (test_cache_outage, test_fault_matrix), one row from 20 upserting threads
(test_orm_store), bad settings with the exact key (test_checks).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from io import StringIO

import pytest
import redis
from asgiref.sync import sync_to_async
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections

from pyot_django.models import PyotEntry
from pyot_django.pipeline import PipelineToken, pipelines
from tests.helpers import (
    CACHE_STORES,
    lenient_riot_emulator_config,  # noqa: F401  lenient: about where keys and data are held; its made-up ids ("held-2", "cmd-1") are not what it tests
    make_pipeline,
    riot_store,
)
from tests.hostile_server import closed_port
from tests.ops_support import FAKE_KEY, OPS_REDIS_URL, emulated_riot_store, ops_settings

pytestmark = pytest.mark.django_db(transaction=True)

LOOKUPS = [
    ("na1", "summoner-v4.getByPUUID", {"encryptedPUUID": "held-1"}),
    ("americas", "match-v5.getMatch", {"matchId": "NA1_900"}),
    ("americas", "account-v1.getByPuuid", {"puuid": "held-2"}),
    ("na1", "champion-mastery-v4.getAllChampionMasteriesByPUUID", {"encryptedPUUID": "held-3"}),
]


def _tokens() -> list[PipelineToken]:
    return [PipelineToken("lol", server, method, params, {}) for server, method, params in LOOKUPS]


@pytest.fixture
def riot_site(riot_emulator) -> Iterator[None]:
    """lol: Memory → DjangoCache (redis) → DjangoORM → DjangoCache (LocMem) → RiotAPI (the emulator)."""
    caches["locmem"].clear()
    locmem = {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "locmem"}
    with ops_settings(riot=emulated_riot_store(riot_emulator.base_url), extra_lol=[locmem]):
        yield
    caches["locmem"].clear()


def _redis_contents() -> Iterator[tuple[bytes, bytes]]:
    client = redis.Redis.from_url(OPS_REDIS_URL, socket_timeout=5)
    try:
        for name in client.scan_iter(count=500):
            yield name, client.dump(name) or b""  # every type, as stored
    finally:
        client.close()


async def test_the_key_is_in_no_cache_key_or_value_and_no_orm_row(riot_site) -> None:
    lol = pipelines["lol"]
    for token in _tokens():
        assert await lol.get(token)
    secret = FAKE_KEY.encode()

    stored = list(_redis_contents())
    assert len(stored) >= len(LOOKUPS)  # the lookups did reach Redis
    assert [name for name, value in stored if secret in name or secret in value] == []

    locmem = caches["locmem"]._cache  # type: ignore[attr-defined]
    assert len(locmem) >= len(LOOKUPS)
    assert [name for name, value in locmem.items() if FAKE_KEY in name or secret in value] == []

    rows = await sync_to_async(lambda: list(PyotEntry.objects.values()))()
    assert len(rows) == len(LOOKUPS)
    assert [row["key"] for row in rows if FAKE_KEY in repr(row) or FAKE_KEY in json.dumps(row["value"])] == []


def _command(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, no_color=True)
    return out.getvalue() + err.getvalue()


def test_no_command_output_shows_the_key(riot_site) -> None:
    outputs = [
        _command("pyot_get", "lol", "na1", "summoner-v4.getByPUUID", "encryptedPUUID=cmd-1"),
        _command("pyot_pipelines"),
        _command("pyot_pipelines", "--json"),
        _command("pyot_expire", "--all"),
        _command("pyot_expire", "lol", "--json"),
        _command("pyot_clear", "lol"),
        _command("pyot_clear", "--all", "--json"),
    ]
    assert "RiotAPI" in outputs[1]  # the store is listed, its key masked
    assert [text for text in outputs if FAKE_KEY in text] == []


# -- the database goes away: lookups keep working --------------------------------------------


async def _close_everywhere() -> None:
    """Close the connections of the thread the ORM runs in (they reconnect on use)."""
    await sync_to_async(connections.close_all, thread_sensitive=True)()


async def _lookups_succeed(base_url: str, tag: str, bound: float) -> None:
    pipeline = make_pipeline(CACHE_STORES["memory"], CACHE_STORES["orm"], riot_store(base_url))
    try:
        started = time.monotonic()
        for index in range(3):
            token = PipelineToken("lol", "na1", "summoner-v4.getByPUUID", {"encryptedPUUID": f"{tag}-{index}"}, {})
            assert (await pipeline.get(token))["puuid"] == f"{tag}-{index}"
        assert time.monotonic() - started < bound
        orm = pipeline.health[1]
        assert orm.errors + orm.sink_errors >= 1 and orm.hits == 0  # the database really was gone
    finally:
        await pipeline.aclose()


async def test_an_unmigrated_database_never_fails_a_lookup(riot_emulator) -> None:
    def alter(action: str) -> None:
        with connection.schema_editor() as editor:
            getattr(editor, action)(PyotEntry)

    await sync_to_async(alter, thread_sensitive=True)("delete_model")
    try:
        await _lookups_succeed(riot_emulator.base_url, "unmigrated", bound=20)
    finally:
        await sync_to_async(alter, thread_sensitive=True)("create_model")


async def test_an_unreachable_database_never_fails_a_lookup(riot_emulator) -> None:
    # Every thread's connection is built from this one settings dict: pointing it at a closed
    # port (or a directory that does not exist) makes the next connection attempt fail.
    settings_dict = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        unreachable = {"PORT": str(closed_port()), "OPTIONS": {**settings_dict["OPTIONS"], "connect_timeout": 2}}
    else:
        unreachable = {"NAME": "/nonexistent-pyot-dir/db.sqlite3"}
    saved = {name: settings_dict[name] for name in unreachable}
    await _close_everywhere()
    settings_dict.update(unreachable)
    try:
        await _lookups_succeed(riot_emulator.base_url, "unreachable", bound=20)
    finally:
        settings_dict.update(saved)
        await _close_everywhere()
