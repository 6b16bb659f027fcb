"""The one door of the static-data stores to the HTTP client layer.

Everything HTTP the static stores do goes through ``fetch``: the same httpcore
pools per event loop and the same transport errors as ``RiotAPI`` (the client layer
is moving to ``pyot_django.riot.http``; only this module needs repointing), plus a
bound on the body: a response is read chunk by chunk and abandoned past
``max_bytes`` (Data Dragon's ``championFull.json`` is ~4 MB, CommunityDragon's TFT
file ~30 MB; the default bound is 64 MB).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from ...riot.http.pools import LoopClients
from ...riot.http.transport import TIMEOUT_ERRORS, TRANSPORT_ERRORS, Answer, full_url, new_pool

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_MAX_BYTES", "TIMEOUT_ERRORS", "TRANSPORT_ERRORS", "Answer", "BodyTooLarge", "Client", "full_url"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_HEADERS = [(b"Accept", b"application/json, image/png;q=0.9, */*;q=0.1"), (b"User-Agent", b"pyot_django")]


class BodyTooLarge(Exception):
    """The answer went past the store's MAX_BYTES."""


class Client:
    """GETs for one store: pooled connections per event loop, a per-attempt timeout, a size bound."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._clients = LoopClients(new_pool)

    async def get(self, url: str, timeout: float, session: httpx.AsyncClient | None = None) -> Answer:  # noqa: ASYNC109
        if session is not None:
            return await self._get_with_session(session, url, timeout)
        shard = await self._clients.acquire()
        try:
            timeouts = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
            async with shard.client.stream(
                b"GET", url.encode(), headers=_HEADERS, extensions={"timeout": timeouts}
            ) as response:
                body = await self._read(response.aiter_stream())
                headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in response.headers}
                return Answer(response.status, headers, body)
        finally:
            self._clients.release(shard)

    async def _get_with_session(self, session: httpx.AsyncClient, url: str, timeout: float) -> Answer:  # noqa: ASYNC109
        async with session.stream("GET", url, headers=_HEADERS, timeout=timeout) as response:
            body = await self._read(response.aiter_raw())
            return Answer(response.status_code, dict(response.headers), body)

    async def _read(self, chunks: AsyncIterator[bytes]) -> bytes:
        parts: list[bytes] = []
        size = 0
        async for chunk in chunks:
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLarge(f"the answer is larger than MAX_BYTES ({self.max_bytes} bytes)")
            parts.append(chunk)
        return b"".join(parts)

    async def aclose(self) -> None:
        await self._clients.aclose()
