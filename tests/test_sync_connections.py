"""Sync callers reuse connections: each ``fetch_sync`` runs on a loop of its own, its sockets must not.

A counting TCP relay sits between the pipeline and the emulator (real sockets both
ways), so the test sees every connection the client opens.
"""

from __future__ import annotations

import asyncio
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from pyot_django.exceptions import Timeout
from pyot_django.riot.http.io_loop import io_loop
from tests.helpers import (
    lenient_riot_emulator_config,  # noqa: F401  lenient: the ids here ("sync-0"…) are made up; connections are the point
    make_pipeline,
    riot_store,
)


class CountingRelay:
    """Accepts on a loopback port, relays bytes to ``target``, counts accepted connections."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            upstream = socket.create_connection(self.target)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._closing = True
        self._listener.close()


@pytest.fixture
def relay(riot_emulator: Any) -> Iterator[CountingRelay]:
    counting = CountingRelay((riot_emulator.host, riot_emulator.port))
    yield counting
    counting.close()


def _pipeline_through(relay: CountingRelay, riot_emulator: Any, **options: Any) -> Any:
    base_url = riot_emulator.base_url.replace(f":{riot_emulator.port}/", f":{relay.port}/")
    return make_pipeline(riot_store(base_url, **options))  # its default MemoryLimiter: no 429s to retry


def test_sync_cold_lookups_share_connections(relay: CountingRelay, riot_emulator: Any) -> None:
    pipeline = _pipeline_through(relay, riot_emulator)
    started = time.monotonic()
    for n in range(30):
        value = pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"sync-{n}")
        assert value["puuid"] == f"sync-{n}"
    for n in range(10):  # a sync view's async_to_sync(pipeline.fetch) runs on a loop of one call too
        value = async_to_sync(pipeline.fetch)("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"a2s-{n}")
        assert value["puuid"] == f"a2s-{n}"
    assert riot_emulator.emulator.stats()["total"] == 40
    assert relay.accepted == 1, f"{relay.accepted} connections for 40 sequential sync lookups"
    assert time.monotonic() - started < 30


def test_sync_lookups_from_threads_and_a_live_loop(relay: CountingRelay, riot_emulator: Any) -> None:
    """8 threads at once: at most one connection each, reused; an async caller keeps its own loop's pools."""
    pipeline = _pipeline_through(relay, riot_emulator)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for n in range(10):
                assert pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"t{k}-{n}")
        except BaseException as exc:  # reported below: a thread's assert would be lost
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and not any(thread.is_alive() for thread in threads)
    assert riot_emulator.emulator.stats()["total"] == 80
    assert 1 <= relay.accepted <= 8, f"{relay.accepted} connections for 80 lookups from 8 threads"

    async def on_a_live_loop() -> None:
        for n in range(5):
            await pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"live-{n}")

    before = relay.accepted
    asyncio.run(on_a_live_loop())
    assert relay.accepted == before + 1  # its own pools, one connection for the five


def test_a_relayed_attempt_still_ends_within_timeout(relay: CountingRelay, riot_emulator: Any) -> None:
    """TIMEOUT and retries hold for a sync caller whose send runs on the I/O loop."""
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"fault": "timeout"}] * 2)
    pipeline = _pipeline_through(relay, riot_emulator, TIMEOUT=0.3, ERROR_HANDLING={504: ("E", [0.05, 1])})
    started = time.monotonic()
    with pytest.raises(Timeout):
        pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID="sync-timeout")
    assert 0.6 <= time.monotonic() - started < 2.5  # two attempts of 0.3 s and a 0.05 s backoff
    # The cancelled sends left the I/O loop free: the next lookup is served.
    assert pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID="sync-after")["puuid"] == "sync-after"
    assert not [task for task in asyncio.all_tasks(io_loop()) if not task.done()]


def test_a_forked_child_starts_its_own_io_loop(relay: CountingRelay, riot_emulator: Any) -> None:
    pipeline = _pipeline_through(relay, riot_emulator)
    pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID="parent")
    parent_loop = io_loop()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own loop, a working lookup, then out without running pytest's teardown
        ok = False
        try:
            ok = io_loop() is not parent_loop and bool(
                pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID="child")
            )
        finally:
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 20)  # bounded: a hung child fails the test
        assert ready and os.read(read, 1) == b"1"
    finally:
        os.close(read)
        os.waitpid(pid, 0)


def test_sync_lookups_share_the_redis_limiters_connections(
    relay: CountingRelay, riot_emulator: Any, private_redis: Any
) -> None:
    """A RedisLimiter's script calls from one-call loops use the I/O loop's client, not one each
    (on a redis-server of the test's own, so the count is this test's alone)."""
    import redis

    url, _ = private_redis
    limiter = {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": url}
    pipeline = _pipeline_through(relay, riot_emulator, RATE_LIMITER=limiter)
    probe = redis.Redis.from_url(url)
    try:
        pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID="redis-warm")
        before = probe.info("stats")["total_connections_received"]
        for n in range(20):
            assert pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID=f"redis-{n}")
        opened = probe.info("stats")["total_connections_received"] - before
        assert opened <= 2, f"{opened} Redis connections for 20 sequential sync lookups"
        assert riot_emulator.emulator.stats()["rate_limited"]["application"] == 0
    finally:
        probe.close()


def test_a_dropped_pipeline_is_garbage_collected(relay: CountingRelay, riot_emulator: Any, private_redis: Any) -> None:
    """Nothing process-wide (metrics labels, the I/O loop's pools) keeps a built-and-dropped pipeline,
    its stores and its limiter alive: a project building one per request must not grow."""
    import gc
    import weakref

    url, _ = private_redis
    limiter = {"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": url}
    pipeline = _pipeline_through(relay, riot_emulator, RATE_LIMITER=limiter)
    pipeline.fetch_sync("summoner-v4.getByPUUID", "na1", encryptedPUUID="dropped")
    asyncio.run(pipeline.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID="dropped-async"))
    refs = [weakref.ref(pipeline), weakref.ref(pipeline.stores[-1]), weakref.ref(pipeline.stores[-1].client.limiter)]
    del pipeline
    gc.collect()
    assert [ref() is None for ref in refs] == [True, True, True]
