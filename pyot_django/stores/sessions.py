"""One ``httpx.AsyncClient`` per event loop, closed with its loop.

Under ASGI the loop lives as long as the server, so every request reuses the
same connection pool. ``async_to_sync`` runs each call in a fresh
``asyncio.run`` loop: the client made for such a loop registers an async
generator whose cleanup closes it, and ``asyncio.run`` finalises async
generators before closing the loop, so no connection outlives its loop.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable

import httpx

__all__ = ["LoopClients"]


async def _close_with_loop(client: httpx.AsyncClient) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await client.aclose()


class LoopClients:
    """Hands out the client of the running event loop, creating it on first use."""

    def __init__(self, factory: Callable[[], httpx.AsyncClient]) -> None:
        self._factory = factory
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )
        self._closers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncIterator[None]] = (
            weakref.WeakKeyDictionary()
        )

    async def get(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None or client.is_closed:
            client = self._factory()
            closer = _close_with_loop(client)
            await closer.__anext__()  # started: the loop now finalises it at shutdown
            self._clients[loop] = client
            self._closers[loop] = closer
        return client

    async def aclose(self) -> None:
        """Close the running loop's client now (others close with their loops)."""
        loop = asyncio.get_running_loop()
        client = self._clients.pop(loop, None)
        self._closers.pop(loop, None)
        if client is not None:
            await client.aclose()

    def __len__(self) -> int:
        return sum(1 for client in self._clients.values() if not client.is_closed)
