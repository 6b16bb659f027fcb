"""Per-loop connections close when their owner is dropped while the loop lives on.

The owners (the HTTP client's pools, RedisLimiter, a cache alias's native Redis path) keep
one client per event loop. The process's I/O loop and an ASGI server's loop outlive a
pipeline rebuilt after ``PYOT`` or ``CACHES`` changed; a dropped owner's connections on
such a loop must close there, not stay open (an HTTP socket registered with the loop never
becomes garbage) or wait for the collector (a Redis connection, with a ResourceWarning).
Real sockets throughout: a TCP server that counts open connections, and Redis's CLIENT LIST.
"""

from __future__ import annotations

import asyncio
import gc
import pickle
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from asgiref.sync import async_to_sync

from pyot_django.limiters import RedisLimiter
from pyot_django.riot.http.h1 import OriginConnections
from pyot_django.riot.http.io_loop import io_loop
from pyot_django.riot.http.pools import LoopClients
from pyot_django.stores.redis_async import NativeRedis
from tests.limiter_support import REDIS_DB_URL, FixedWindowRiot, call

WAIT = 5.0  # seconds for a scheduled close to reach the server; each test is bounded by it


def _until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _in_a_cycle(owner: object) -> None:
    """Leave ``owner`` reachable from a reference cycle only, as a rebuilt pipeline leaves its
    stores: the collector then frees the owner, its clients and their connections in one pass."""
    cycle: dict[str, object] = {"owner": owner}
    cycle["self"] = cycle


def _drop_and_collect() -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
        time.sleep(0.2)  # the closes run on their loops
        gc.collect()
    return [w for w in caught if issubclass(w.category, ResourceWarning)]


def _redis_connections(name: str) -> int:
    admin = redis.Redis.from_url(REDIS_DB_URL)
    try:
        return sum(1 for client in admin.client_list() if client.get("name") == name)
    finally:
        admin.close()


@pytest.fixture
def client_name() -> str:
    return f"pyot-drop-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def server_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """A long-lived loop in its own thread, as an ASGI server's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(WAIT)
    loop.close()


def _on(loop: asyncio.AbstractEventLoop, coroutine: Any) -> Any:
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result(WAIT)


def test_a_dropped_limiter_closes_its_io_loop_connection(client_name: str) -> None:
    limiter = RedisLimiter(location=f"{REDIS_DB_URL}?client_name={client_name}", key_prefix=client_name)
    assert async_to_sync(call)(limiter, FixedWindowRiot(app="50:1")) == 200  # relayed: the I/O loop's client
    assert _redis_connections(client_name) >= 1
    del limiter
    leaks = _drop_and_collect()
    assert _until(lambda: _redis_connections(client_name) == 0), "the dropped limiter's connection is still open"
    assert leaks == []


def test_a_dropped_native_path_closes_its_connection_on_a_live_loop(
    client_name: str, server_loop: asyncio.AbstractEventLoop
) -> None:
    native = NativeRedis(
        url=f"{REDIS_DB_URL}?client_name={client_name}",
        connection={},
        key_func=lambda key, prefix, version: f"{prefix}:{version}:{key}",
        key_prefix=client_name,
        version=1,
        encode=pickle.dumps,
        decode=pickle.loads,
        expiry=lambda ttl: None,
    )

    async def ping(path: NativeRedis) -> bool:
        return bool(await (await path.client()).ping())

    assert _on(server_loop, ping(native))
    assert _redis_connections(client_name) == 1
    _in_a_cycle(native)
    del native
    leaks = _drop_and_collect()
    assert _until(lambda: _redis_connections(client_name) == 0), "the dropped path's connection is still open"
    assert leaks == []
    assert server_loop.is_running()  # closed on its loop, which goes on serving


class _CountingServer:
    """A TCP server on loopback that counts the connections open to it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.open = 0
        self._loop = loop
        self.port = _on(loop, self._start())

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        try:
            await reader.read()  # until the client closes
        finally:
            self.open -= 1
            writer.close()

    def close(self) -> None:
        async def stop() -> None:
            self._server.close()

        _on(self._loop, stop())


def test_dropped_http_pools_close_their_connections_on_the_io_loop(server_loop: asyncio.AbstractEventLoop) -> None:
    server = _CountingServer(server_loop)
    try:
        pools = LoopClients(lambda: OriginConnections(lambda: pytest.fail("no TLS here")))
        url = f"http://127.0.0.1:{server.port}/x"

        async def connect(clients: LoopClients) -> None:
            shard = await clients.acquire()
            try:
                await shard.client.open(url, WAIT)
            finally:
                clients.release(shard)

        _on(io_loop(), connect(pools))
        assert _until(lambda: server.open == 1)
        _in_a_cycle(pools)
        del pools
        leaks = _drop_and_collect()
        assert _until(lambda: server.open == 0), "the dropped pools' connection is still open"
        assert leaks == []
    finally:
        server.close()
