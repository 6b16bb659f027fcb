"""HTTP connection pools per event loop: sharded for throughput, closed with their loop.

Used by :class:`pyot_django.riot.http.HttpClient` (one ``LoopClients`` per client).

Under ASGI the loop lives as long as the server, so every request reuses the
same connections. ``async_to_sync`` runs each call on a loop made for that call:
the client sends from such a loop through the process's I/O loop (``io_loop.py``),
so its pools are that loop's. Any loop's clients close with their loop, or on
their loop when the ``LoopClients`` is dropped first (``loop_owned.py``), so no
connection outlives its loop or its owner.

Why shards: one httpcore/httpx pool slows down as it grows, because every request
scans all its connections (measured against the emulator: 4 connections ~620
req/s, 50 connections in one pool ~270 req/s, the same 50 spread over pools of a
few connections each ~1,000 req/s; one connection per pool was fastest of all in
``bench/riot_store.py``). So each loop keeps pools of one connection, hands out an
idle one (the most recently used: its connection is warm), opens another while
there are fewer than ``MAX_CLIENTS``, and past that queues on the least busy.

:meth:`LoopClients.warm` opens a connection ahead of a request (the limiter's warm-up
hook, shortly before a window opens): on the top idle shard that has none to the
request's origin, which it then puts on top of the idle stack for the request to take.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncGenerator, Callable
from functools import partial
from typing import Any, Protocol

from .loop_owned import close_on_drop, close_with_loop

__all__ = ["ClientShard", "LoopClients"]

MAX_CLIENTS = 256  # pools (so connections) per event loop


class Closable(Protocol):
    async def aclose(self) -> Any: ...


class ClientShard:
    """One pool (or client) and how many requests it has in flight."""

    __slots__ = ("busy", "client")

    def __init__(self, client: Any) -> None:
        self.client = client
        self.busy = 0


class _LoopShards:
    """The shards of one event loop, and which of them are idle (a stack: warm ones first)."""

    __slots__ = ("all", "idle")

    def __init__(self) -> None:
        self.all: list[ClientShard] = []
        self.idle: list[ClientShard] = []


async def _close_shards(shards: _LoopShards) -> None:
    for shard in shards.all:
        await shard.client.aclose()
    shards.all.clear()
    shards.idle.clear()


class LoopClients:
    """Hands out an idle pool of the running event loop, opening more as needed."""

    def __init__(self, factory: Callable[[], Closable], max_clients: int = MAX_CLIENTS) -> None:
        self._factory = factory
        self._max_clients = max_clients
        self._shards: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopShards] = weakref.WeakKeyDictionary()
        self._closers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncGenerator[None, None]] = (
            weakref.WeakKeyDictionary()
        )
        close_on_drop(self, self._closers)  # pools on the I/O loop outlive a dropped client

    async def acquire(self) -> ClientShard:
        """A shard to send one request with; give it back with ``release``."""
        loop = asyncio.get_running_loop()
        shards = self._shards.get(loop)
        if shards is None:
            shards = self._shards[loop] = _LoopShards()
            closer = close_with_loop(partial(_close_shards, shards))
            await closer.__anext__()  # started: the loop now finalises it at shutdown
            self._closers[loop] = closer
        if shards.idle:
            shard = shards.idle.pop()
        elif len(shards.all) < self._max_clients:
            shard = ClientShard(self._factory())
            shards.all.append(shard)
        else:  # every pool is busy and no more may open: queue on the least busy one
            shard = min(shards.all, key=_busy)
        shard.busy += 1
        return shard

    def release(self, shard: ClientShard) -> None:
        shard.busy -= 1
        if shard.busy == 0:  # 1 -> 0 happens once per stay in the idle stack: no duplicates
            shards = self._shards.get(asyncio.get_running_loop())
            if shards is not None:
                shards.idle.append(shard)

    async def warm(self, url: str, timeout: float) -> bool:  # noqa: ASYNC109 - the connect bound
        """Open a connection to ``url``'s origin on an idle shard that has none (True: one opened).

        Nothing when every idle shard has one already (they are enough for the requests
        about to go) or none is idle (the request opens its own shard). A failed connect
        is not reported here: the request connects again and reports its own failure.
        """
        shards = self._shards.get(asyncio.get_running_loop())
        if shards is None:
            return False
        idle = shards.idle
        for index in range(len(idle) - 1, -1, -1):  # from the top: the warm ones first
            if not idle[index].client.is_open(url):
                break
        else:
            return False
        shard = idle.pop(index)
        shard.busy += 1
        try:
            await shard.client.open(url, timeout)
        except Exception:  # best effort, see above
            return False
        finally:
            self.release(shard)  # on top of the idle stack: the next request takes it
        return True

    async def get(self) -> Any:
        """The pool the next request would use (released at once: for inspection and tests)."""
        shard = await self.acquire()
        self.release(shard)
        return shard.client

    async def aclose(self) -> None:
        """Close the running loop's pools now (other loops' close with their loops)."""
        loop = asyncio.get_running_loop()
        shards = self._shards.pop(loop, None)
        self._closers.pop(loop, None)
        if shards is not None:
            for shard in shards.all:
                await shard.client.aclose()

    def __len__(self) -> int:
        """How many open pools all loops hold (a loop's are dropped when it shuts down)."""
        return sum(len(shards.all) for shards in self._shards.values())


def _busy(shard: ClientShard) -> int:
    return shard.busy
