"""Sending one request: the lean HTTP/1.1 client (:mod:`.h1`), with httpx for sessions; bodies capped.

The client sends through :mod:`.h1` (asyncio + httptools): httpx's client layer and
httpcore's anyio/h11 engine cost ~1,400 µs of CPU per request on a 2-vCPU box, h1
~130 µs, and under a burst that CPU is what delays a rate-limit window's requests
(``bench/ratelimit.py --scenario cpu``). A session from ``pipeline.sessions`` (an
``httpx.AsyncClient``) is used as it is when given.

What this module guarantees to the attempt loop above it:

* The body is streamed and counted: a ``Content-Length`` over ``max_size`` is
  refused before the first body byte, and a chunked body is cut the moment it
  passes ``max_size`` (:class:`BodyTooLarge`), so a 300 MB answer never sits in
  memory. The connection is then closed, not reused.
* Third-party failures become :class:`TransportFailure`, raised *outside* the
  ``except`` block: it carries only the exception's class name, never its
  traceback (httpcore's frames hold the request headers, so the key).
* The request headers (with the key) are built as an argument expression of the
  session call, or inside h1's socket write: no frame of the project keeps them in a local.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode

import httpcore
import httpx

from .body import BodyTooLarge
from .h1 import OriginConnections
from .lower_headers import LowerCaseHeaders
from .secret import request_headers

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


@functools.cache
def ssl_context() -> ssl.SSLContext:
    # Verification on, with certifi's roots as httpx would use. Built once: loading the CA
    # bundle takes ~20 ms and blocks the event loop, once per pool otherwise.
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def new_pool() -> OriginConnections:
    # One keep-alive connection per origin: LoopClients spreads requests over many of these.
    # The context is built at the first https connection, not for plain-http origins.
    return OriginConnections(ssl_context)


def full_url(url: str, params: list[tuple[str, str]] | None) -> str:
    return f"{url}?{urlencode(params)}" if params else url


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
    pool: OriginConnections,
    verb: str,
    url: str,
    secret: Secret | None,
    content: bytes | None,
    timeout: float,  # noqa: ASYNC109 - h1's per-phase timeouts; the attempt's own bound is above
    max_size: int,
) -> Answer:
    failure: TransportFailure | None = None
    try:
        return Answer(*await pool.send(verb, url, secret, content, timeout, max_size))
    except _FAILURES as exc:
        failure = _failure(exc)
    raise failure  # here, not in the handler: the third-party exception is no __context__


async def send_with_session(
    session: httpx.AsyncClient, verb: str, url: str, secret: Secret | None, content: bytes | None, max_size: int
) -> Answer:
    failure: TransportFailure | None = None
    try:
        async with session.stream(
            verb, url, headers=request_headers(secret, content is not None), content=content
        ) as response:
            headers = LowerCaseHeaders(response.headers)  # httpx iterates names lower-cased
            body = await _read_capped(response.status_code, headers, response.aiter_bytes(), max_size)
            return Answer(response.status_code, headers, body)
    except _FAILURES as exc:
        failure = _failure(exc)
    raise failure
