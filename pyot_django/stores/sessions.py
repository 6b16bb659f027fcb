"""HTTP connection pools per event loop: sharded for throughput, closed with their loop.

Under ASGI the loop lives as long as the server, so every request reuses the
same connections. ``async_to_sync`` runs each call in a fresh ``asyncio.run``
loop: the clients made for such a loop are closed by an async generator's
cleanup, which ``asyncio.run`` runs before it closes the loop, so no connection
outlives its loop.

Why shards: one httpcore/httpx pool slows down as it grows, because every request
scans all its connections (measured against the emulator: 4 connections ~620
req/s, 50 connections in one pool ~270 req/s, the same 50 spread over pools of a
few connections each ~1,000 req/s). So each loop gets a small set of pools, each
kept to a few requests in flight, and a request goes to the least busy one.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

__all__ = ["ClientShard", "LoopClients"]

PER_CLIENT = 4  # requests in flight per client before another client is opened
MAX_CLIENTS = 32


class Closable(Protocol):
    async def aclose(self) -> Any: ...


class ClientShard:
    """One pool (or client) and how many requests it has in flight."""

    __slots__ = ("busy", "client")

    def __init__(self, client: Any) -> None:
        self.client = client
        self.busy = 0


async def _close_with_loop(shards: list[ClientShard]) -> AsyncIterator[None]:
    try:
        yield
    finally:
        for shard in shards:
            await shard.client.aclose()
        shards.clear()


class LoopClients:
    """Hands out the least busy client of the running event loop, opening more as needed."""

    def __init__(
        self, factory: Callable[[], Closable], per_client: int = PER_CLIENT, max_clients: int = MAX_CLIENTS
    ) -> None:
        self._factory = factory
        self._per_client = per_client
        self._max_clients = max_clients
        self._shards: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[ClientShard]] = (
            weakref.WeakKeyDictionary()
        )
        self._closers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncIterator[None]] = (
            weakref.WeakKeyDictionary()
        )

    async def shard(self) -> ClientShard:
        """The shard to send the next request with (the caller counts ``busy`` up and down)."""
        loop = asyncio.get_running_loop()
        shards = self._shards.get(loop)
        if shards is None:
            shards = self._shards[loop] = []
            closer = _close_with_loop(shards)
            await closer.__anext__()  # started: the loop now finalises it at shutdown
            self._closers[loop] = closer
        best: ClientShard | None = None
        for shard in shards:
            if best is None or shard.busy < best.busy:
                best = shard
        if best is None or (best.busy >= self._per_client and len(shards) < self._max_clients):
            best = ClientShard(self._factory())
            shards.append(best)
        return best

    async def get(self) -> Any:
        """The running loop's least busy client."""
        return (await self.shard()).client

    async def aclose(self) -> None:
        """Close the running loop's clients now (other loops' close with their loops)."""
        loop = asyncio.get_running_loop()
        shards = self._shards.pop(loop, None) or []
        self._closers.pop(loop, None)
        for shard in shards:
            await shard.client.aclose()

    def __len__(self) -> int:
        """How many open pools all loops hold (a loop's are dropped when it shuts down)."""
        return sum(len(shards) for shards in self._shards.values())
