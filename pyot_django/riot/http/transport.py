"""Sending one request: httpcore connection pools, with httpx for sessions; bodies read with a cap.

The client sends through ``httpcore`` (the engine under httpx) directly: httpx's
client layer (URL model, header merging, cookies, auth and redirect hooks, the
Response model) costs more CPU than the request itself, and under a burst that CPU
is what delays the first request of a rate-limit window. A session from
``pipeline.sessions`` (an ``httpx.AsyncClient``) is used as it is when given.

What this module guarantees to the attempt loop above it:

* The body is streamed and counted: a ``Content-Length`` over ``max_size`` is
  refused before the first body byte, and a chunked body is cut the moment it
  passes ``max_size`` (:class:`BodyTooLarge`), so a 300 MB answer never sits in
  memory. The connection is then closed, not reused.
* Third-party failures become :class:`TransportFailure`, raised *outside* the
  ``except`` block: it carries only the exception's class name, never its
  traceback (httpcore's frames hold the request headers, so the key).
* The request headers (with the key) are built as an argument expression of the
  pool call: no frame of this module keeps them in a local.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode

import httpcore
import httpx

if TYPE_CHECKING:
    from .secret import Secret

__all__ = [
    "TIMEOUT_ERRORS",
    "TRANSPORT_ERRORS",
    "Answer",
    "BodyTooLarge",
    "TransportFailure",
    "full_url",
    "new_pool",
    "send",
    "send_with_session",
]

# What a request that got no (complete) answer raises, by kind.
TIMEOUT_ERRORS = (httpcore.TimeoutException, httpx.TimeoutException, TimeoutError)
TRANSPORT_ERRORS = (httpcore.NetworkError, httpcore.ProtocolError, httpx.TransportError, OSError)

_FAILURES = (*TIMEOUT_ERRORS, *TRANSPORT_ERRORS)


def _failure(exc: BaseException) -> TransportFailure:
    """Only the class name survives: the exception's frames hold the request headers."""
    return TransportFailure(type(exc).__name__, timed_out=isinstance(exc, TIMEOUT_ERRORS))


# Connections per pool: LoopClients spreads requests over many one-connection pools.
POOL_CONNECTIONS = 1

_ACCEPT = (b"Accept", b"application/json")
_JSON_BODY = (_ACCEPT, (b"Content-Type", b"application/json"))
_NO_BODY = (_ACCEPT,)


class Answer(NamedTuple):
    """A complete response: status, lower-case header names, body."""

    status: int
    headers: dict[str, str]
    content: bytes


class TransportFailure(Exception):
    """No complete answer. ``timed_out``: a timeout (else the connection failed);
    ``cause``: the third-party exception's class name, nothing more."""

    def __init__(self, cause: str, *, timed_out: bool) -> None:
        super().__init__(cause)
        self.cause = cause
        self.timed_out = timed_out


class BodyTooLarge(Exception):
    """The body passed ``limit`` bytes (``declared``: its Content-Length, if it had one)."""

    def __init__(self, status: int, limit: int, declared: int | None) -> None:
        super().__init__(f"body over {limit} bytes")
        self.status = status
        self.limit = limit
        self.declared = declared


@functools.cache
def ssl_context() -> ssl.SSLContext:
    # Verification on, with certifi's roots as httpx would use. Built once: loading the CA
    # bundle takes ~20 ms and blocks the event loop, once per pool otherwise.
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def new_pool() -> httpcore.AsyncConnectionPool:
    return httpcore.AsyncConnectionPool(
        ssl_context=ssl_context(), max_connections=POOL_CONNECTIONS, max_keepalive_connections=POOL_CONNECTIONS
    )


def full_url(url: str, params: list[tuple[str, str]] | None) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def _headers(secret: Secret | None, content: bytes | None) -> list[tuple[bytes, bytes]]:
    extra = _JSON_BODY if content is not None else _NO_BODY
    return secret.header_list(extra) if secret is not None else list(extra)


def _declared_length(headers: dict[str, str]) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


async def _read_capped(status: int, headers: dict[str, str], chunks: AsyncIterator[bytes], limit: int) -> bytes:
    declared = _declared_length(headers)
    if declared is not None and declared > limit:
        raise BodyTooLarge(status, limit, declared)
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(status, limit, declared)
        parts.append(chunk)
    return b"".join(parts)


async def send(
    pool: httpcore.AsyncConnectionPool,
    verb: str,
    url: str,
    secret: Secret | None,
    content: bytes | None,
    timeout: float,  # noqa: ASYNC109 - httpcore's per-phase timeouts; the attempt's own bound is above
    max_size: int,
) -> Answer:
    failure: TransportFailure | None = None
    try:
        async with pool.stream(
            verb.encode(),
            url.encode(),
            headers=_headers(secret, content),
            content=content,
            extensions={"timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}},
        ) as response:
            headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in response.headers}
            body = await _read_capped(response.status, headers, response.aiter_stream(), max_size)
            return Answer(response.status, headers, body)
    except _FAILURES as exc:
        failure = _failure(exc)
    raise failure  # here, not in the handler: the third-party exception is no __context__


async def send_with_session(
    session: httpx.AsyncClient, verb: str, url: str, secret: Secret | None, content: bytes | None, max_size: int
) -> Answer:
    failure: TransportFailure | None = None
    try:
        async with session.stream(verb, url, headers=_headers(secret, content), content=content) as response:
            headers = dict(response.headers)
            body = await _read_capped(response.status_code, headers, response.aiter_bytes(), max_size)
            return Answer(response.status_code, headers, body)
    except _FAILURES as exc:
        failure = _failure(exc)
    raise failure
