"""The RiotAPI store's HTTP transport: httpcore connection pools, with httpx for sessions.

The store sends through ``httpcore`` (the engine under httpx) directly: httpx's
client layer (URL model, header merging, cookies, auth and redirect hooks, the
Response model) costs more CPU than the request itself, and under a burst that CPU
is what delays the first request of a rate-limit window. A session from
``pipeline.sessions`` (an ``httpx.AsyncClient``) is used as it is when given.
"""

from __future__ import annotations

import functools
import ssl
from typing import NamedTuple
from urllib.parse import urlencode

import httpcore
import httpx

try:  # httptools: a dependency; without it (a source install) requests go through httpcore
    from ..riot.h1 import OriginConnections
except ImportError:  # pragma: no cover
    OriginConnections = None  # type: ignore[assignment,misc]

__all__ = ["TIMEOUT_ERRORS", "TRANSPORT_ERRORS", "Answer", "new_pool", "send", "send_with_session"]

# What a request that got no (complete) answer raises, by kind.
TIMEOUT_ERRORS = (httpcore.TimeoutException, httpx.TimeoutException)
TRANSPORT_ERRORS = (httpcore.NetworkError, httpcore.ProtocolError, httpx.TransportError)

# Connections per pool: LoopClients spreads requests over many one-connection pools.
POOL_CONNECTIONS = 1


class Answer(NamedTuple):
    """A complete response: status, lower-case header names, body."""

    status: int
    headers: dict[str, str]
    content: bytes


@functools.cache
def ssl_context() -> ssl.SSLContext:
    # Verification on, with certifi's roots as httpx would use. Built once: loading the CA
    # bundle takes ~20 ms and blocks the event loop, once per pool otherwise.
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def new_pool() -> httpcore.AsyncConnectionPool | OriginConnections:
    if OriginConnections is not None:  # hook: the lean httptools client (riot/h1.py)
        return OriginConnections(ssl_context())
    return httpcore.AsyncConnectionPool(
        ssl_context=ssl_context(), max_connections=POOL_CONNECTIONS, max_keepalive_connections=POOL_CONNECTIONS
    )


def full_url(url: str, params: list[tuple[str, str]] | None) -> str:
    return f"{url}?{urlencode(params)}" if params else url


async def send(
    pool: httpcore.AsyncConnectionPool,
    verb: str,
    url: str,
    headers: list[tuple[bytes, bytes]],
    content: bytes | None,
    timeout: float,  # noqa: ASYNC109 - httpcore's per-phase timeouts, not a task deadline
) -> Answer:
    if type(pool) is OriginConnections:  # hook: the lean httptools client (riot/h1.py)
        return Answer(*await pool.send(verb, url, headers, content, timeout))
    response = await pool.request(
        verb.encode(),
        url.encode(),
        headers=headers,
        content=content,
        extensions={"timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}},
    )
    return Answer(
        response.status,
        {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in response.headers},
        response.content,
    )


async def send_with_session(
    session: httpx.AsyncClient, verb: str, url: str, headers: list[tuple[bytes, bytes]], content: bytes | None
) -> Answer:
    response = await session.request(verb, url, headers=headers, content=content)
    return Answer(response.status_code, dict(response.headers), response.content)
