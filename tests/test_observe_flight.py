"""The observer meets issue 9: single-flight, ``deadline=`` and per-key scope (the merge of both).

- followers of a process-wide single-flight report ``shared`` (one ``fetched`` from RiotAPI);
- ``deadline=`` reaches the pipeline through ``@observed_lookup`` (checked, not swallowed);
- the fleet counters' Redis keys sit outside every pipeline namespace: ``clear()`` neither
  counts nor deletes them.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
import time
import uuid

import pytest
import redis
from django.test import override_settings

from pyot_django.observe import events
from pyot_django.observe.fleet import FleetCounters
from pyot_django.pipeline import Pipeline, pipelines
from tests.helpers import lenient_riot_emulator_config  # noqa: F401  lenient: this suite is about what it measures, not Riot's id rules; its made-up ids are not what it tests
from tests.observe_support import FLEET_REDIS_URL, observe_settings
from tests.ops_support import emulated_riot_store

pytestmark = pytest.mark.django_db(transaction=True)

METHOD = "summoner-v4.getByPUUID"
WALL = 30.0  # generous: the machine is shared; a hang still fails


class _Collect(events.Subscriber):
    def __init__(self) -> None:
        self.lookups: list[tuple[str, str, bool]] = []
        self.lock = threading.Lock()

    def lookup_done(self, pipeline, operation, server, key, store_index, store, outcome, seconds, shared):  # type: ignore[override]
        with self.lock:
            self.lookups.append((store, outcome, shared))


@pytest.fixture
def collected(emu, monkeypatch):
    stores = [{"BACKEND": "pyot_django.stores.Memory"}, emulated_riot_store(emu.base_url)]
    with override_settings(
        PYOT={"lol": {"STORES": stores}}, PYOT_OBSERVE={"METRICS": False, "FLEET": False, "LOG_LOOKUPS": True}
    ):
        events.subscribers()  # configure, then listen in
        collect = _Collect()
        handlers = {**events._state.handlers, "lookup_done": (collect.lookup_done,)}
        monkeypatch.setattr(events._state, "handlers", handlers)
        yield pipelines["lol"], collect
    pipelines.reset()


def test_followers_of_one_flight_report_shared(collected, emu):
    pipeline, collect = collected
    emu.emulator.script(METHOD, [{"delay": 1.0}])  # every caller arrives while it is in flight
    token = pipeline.token(METHOD, "na1", encryptedPUUID="observe-flight")

    async def coroutines() -> list:
        return await asyncio.gather(*(pipeline.get(token) for _ in range(5)))

    barrier = threading.Barrier(6)
    values: list = []

    def in_thread() -> None:
        barrier.wait()
        values.append(pipeline.get_sync(token))

    def in_loop() -> None:
        barrier.wait()
        values.extend(asyncio.run(coroutines()))

    threads = [threading.Thread(target=in_thread) for _ in range(5)] + [threading.Thread(target=in_loop)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WALL)
    assert not any(thread.is_alive() for thread in threads), "a caller hung"
    assert time.monotonic() - started < WALL
    assert len(values) == 10 and emu.emulator.stats()["by_operation"].get(METHOD, 0) == 1
    assert sorted(collect.lookups) == sorted([("RiotAPI", "fetched", False)] + [("in-flight", "shared", True)] * 9)


def test_deadline_goes_through_the_observer(collected):
    pipeline, collect = collected
    for signature in (inspect.signature(Pipeline.get), inspect.signature(Pipeline.get_sync)):
        assert signature.parameters["deadline"].kind is inspect.Parameter.KEYWORD_ONLY
    with pytest.raises(ValueError, match="deadline="):
        pipeline.fetch_sync(METHOD, "na1", deadline=-1, encryptedPUUID="observe-deadline")
    assert pipeline.fetch_sync(METHOD, "na1", deadline=10, encryptedPUUID="observe-deadline")["puuid"]
    assert asyncio.run(pipeline.fetch(METHOD, "na1", deadline=10, encryptedPUUID="observe-deadline"))["puuid"]
    assert collect.lookups[-2:] == [("RiotAPI", "fetched", False), ("Memory", "hit", False)]
    assert collect.lookups[0][1] == "error"  # the refused deadline is one failed lookup


def test_clear_neither_counts_nor_deletes_the_fleet_counters(emu):
    prefix = f"flightclear{os.getpid()}{uuid.uuid4().hex[:6]}"
    client = redis.Redis.from_url(FLEET_REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        with override_settings(**observe_settings(emu.base_url, prefix)):
            pipeline = pipelines["lol"]
            for puuid in ("c1", "c2", "c3"):
                pipeline.fetch_sync(METHOD, "na1", encryptedPUUID=puuid)
            (fleet,) = [s for s in events.subscribers() if isinstance(s, FleetCounters)]
            assert fleet.flush()
            counters = sorted(client.scan_iter(f"{prefix}:fleet:*"))
            assert counters, "the fleet wrote no counters"
            assert not any(key.decode().startswith(f"{prefix}:1:pyot:") for key in counters)
            assert asyncio.run(pipeline.clear()) == {0: 3, 1: 3}  # Memory, DjangoCache: the three summoners only
            assert sorted(client.scan_iter(f"{prefix}:fleet:*")) == counters
            pipelines.reset()
    finally:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()
