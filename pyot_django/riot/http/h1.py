"""A lean HTTP/1.1 client for the Riot API: asyncio protocols parsed by ``httptools``.

Why: at the rate limit, a window's whole budget leaves in one burst and the burst
lasts as long as the client's CPU needs for it. Measured against the emulator
(``bench/ratelimit.py --scenario cpu``, 50 callers) when this module was written:
httpcore + anyio + h11 cost ~1,400 µs of CPU per cold request on a 2-vCPU box,
pulsefire (aiohttp) ~430 µs, this client ~130 µs. Since then (``bench/RESULTS.md``,
session 5): the bare transport 37 µs, the whole pipeline ~95 µs, pulsefire ~108 µs.

What it does, and no more: one keep-alive connection per origin per
:class:`OriginConnections` (``HttpClient``'s ``LoopClients`` hands each caller an idle
one), ``GET``/``POST``/``PUT`` with ``Content-Length`` bodies, answers with
``Content-Length``, chunked or close-delimited bodies (``httptools`` parses
them), TLS through the shared ``ssl`` context. Failures raise httpcore's exception
types, which :mod:`.transport` turns into a ``TransportFailure`` (class name only).

Bounds: connecting and every wait for the next bytes of an answer each take at
most ``timeout`` seconds (like httpcore's per-phase timeouts, so a body dripped
byte by byte is cut off when it stalls: within one to two ``timeout`` of its last
byte); ``HttpClient`` bounds the whole attempt on top. The stall check is one timer
per connection, re-armed while exchanges go on, not one per request: at a window's
burst every timer handle is CPU the burst waits for. An answer whose ``Content-Length``
is over ``max_size`` is refused when its headers end, and any other body the moment it passes ``max_size``
(:class:`~.body.BodyTooLarge`); the connection is then closed, not reused.

The key: the request's header lines are produced from the :class:`~.secret.Secret`
inside the argument of ``transport.write`` only, so no frame of this module holds
the raw key in a local (Django's error pages render every frame's locals).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

import httpcore
import httptools

from .body import BodyTooLarge
from .lower_headers import LowerCaseHeaders
from .secret import Secret, request_headers

__all__ = ["OriginConnections"]

_Origin = tuple[str, str, int]
_NAMES: dict[bytes, str] = {}
_NAMES_MAX = 256
"""Header names as sent -> lower-cased: every Riot answer repeats the same dozen."""
_EARLY = 0.001
"""Seconds: a stall timer that fires this close to its due time counts as on time."""


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection; one request at a time."""

    def __init__(self) -> None:
        self.max_size = 0  # set per request (the client's MAX_RESPONSE_SIZE)
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.keep_alive = True
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[tuple[int, dict[str, str], bytes]] | None = None
        self._headers: LowerCaseHeaders = LowerCaseHeaders()
        self._body: list[bytes] = []
        self._size = 0
        self._receiving = False  # bytes arrived since the stall timer last looked
        self._headers_done = False
        # One stall timer per connection, not one per request: armed by an exchange when none
        # is pending, it re-arms itself while exchanges go on and lapses when the connection idles.
        self._stall_timer: asyncio.TimerHandle | None = None
        self._stall_timeout = 0.0
        self._quiet_since = 0.0  # loop time of the exchange's start or of the last look that saw bytes

    # -- asyncio.Protocol -----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream protocol is always handed a Transport; typeshed types the base class only.
        self.transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is None or self._waiter.done():
            return
        headers = self._headers
        if self._headers_done and "content-length" not in headers and "transfer-encoding" not in headers:
            # A close-delimited body (httptools has no end-of-input call): the close ends it.
            self.keep_alive = False
            waiter, self._waiter = self._waiter, None
            waiter.set_result((self._parser.get_status_code(), headers, b"".join(self._body)))
            return
        self._fail(httpcore.RemoteProtocolError("Server disconnected without sending a complete response"))

    def data_received(self, data: bytes) -> None:
        self._receiving = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(httpcore.RemoteProtocolError("unexpected protocol upgrade"))
        except httptools.HttpParserError as exc:
            self._fail(httpcore.RemoteProtocolError(f"malformed HTTP answer: {exc}"))

    # -- httptools callbacks -------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._headers, self._body, self._size, self._headers_done = LowerCaseHeaders(), [], 0, False

    def on_headers_complete(self) -> None:
        self._headers_done = True
        declared = self._headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_size:
            self._fail(BodyTooLarge(self._parser.get_status_code(), self.max_size, int(declared)))

    def on_header(self, name: bytes, value: bytes) -> None:
        key = _NAMES.get(name)
        if key is None:
            key = name.decode("latin-1").lower()
            if len(_NAMES) < _NAMES_MAX:  # bounded: a hostile server may send any names
                _NAMES[name] = key
        text = value.decode("latin-1")
        previous = self._headers.get(key)
        self._headers[key] = text if previous is None else f"{previous}, {text}"

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > self.max_size:
            self._fail(BodyTooLarge(self._parser.get_status_code(), self.max_size, None))
            return
        self._body.append(body)

    def on_message_complete(self) -> None:
        waiter, self._waiter = self._waiter, None
        self.keep_alive = self._parser.should_keep_alive()
        if waiter is not None and not waiter.done():
            status = self._parser.get_status_code()
            body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
            waiter.set_result((status, self._headers, body))

    # -- requests --------------------------------------------------------------------------

    def _fail(self, exc: BaseException) -> None:
        self.keep_alive = False
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
        self.close()

    def close(self) -> None:
        self.closed = True
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None
        if self.transport is not None:
            self.transport.close()

    async def exchange(
        self,
        head: bytes,
        secret: Secret | None,
        json_body: bool,
        tail: bytes,
        timeout: float,  # noqa: ASYNC109
        max_size: int,
    ) -> tuple[int, dict[str, str], bytes]:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[tuple[int, dict[str, str], bytes]] = loop.create_future()
        self._waiter = waiter
        self.max_size = max_size
        assert self.transport is not None
        # The key's header line exists only inside this argument expression (see the module docs).
        self.transport.write(
            b"".join((head, *[b"%s: %s\r\n" % pair for pair in request_headers(secret, json_body)], tail))
        )
        self._receiving = False
        self._quiet_since = now = loop.time()
        self._stall_timeout = timeout
        pending = self._stall_timer
        if pending is None or pending.when() > now + timeout:  # none, or one armed for a longer timeout
            if pending is not None:
                pending.cancel()
            self._stall_timer = loop.call_at(now + timeout, self._check_stall)
        try:
            return await waiter
        except asyncio.CancelledError:
            self._fail(httpcore.ReadError("cancelled"))  # the answer can no longer be matched
            raise

    def _check_stall(self) -> None:
        self._stall_timer = None
        waiter = self._waiter
        if waiter is None or waiter.done() or self.closed:
            return  # idle: the next exchange arms the timer again
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._receiving:  # still coming: the quiet time starts again now
            self._receiving = False
            self._quiet_since = now
        due = self._quiet_since + self._stall_timeout
        if due - now > _EARLY:  # bytes came, or this exchange began after the timer was armed
            self._stall_timer = loop.call_at(due, self._check_stall)
            return
        self._fail(httpcore.ReadTimeout(f"no answer bytes for {self._stall_timeout:g} s"))


class OriginConnections:
    """At most one connection per origin; what the store's ``LoopClients`` shards hold."""

    def __init__(self, ssl_context: ssl.SSLContext | Callable[[], ssl.SSLContext]) -> None:
        # A callable is called at the first https connection: building a context loads the CA
        # bundle (~20 ms of CPU, over 100 ms on a slow vCPU), which plain-http origins never need.
        self._ssl = ssl_context
        self._connections: dict[_Origin, _Connection] = {}
        self._origins: dict[str, _Origin] = {}  # "scheme://authority" -> origin (see _target)
        self._hosts: dict[_Origin, bytes] = {}  # origin -> its request line's Host header
        self._lock = asyncio.Lock()  # a shard is shared only when every shard is busy

    def _target(self, url: str) -> tuple[_Origin, bytes]:
        """(origin, request target) of ``url``; the origin part is parsed once per origin.

        Cold tokens have distinct URLs, so the URL itself is not what is remembered: its
        ``scheme://authority`` prefix is (``urlsplit`` of every URL cost more than the rest
        of building the request).
        """
        start = url.find("://")
        slash = url.find("/", start + 3) if start > 0 else -1
        if slash < 0 or "#" in url:  # no path, or a fragment: the general parser decides
            return self._parse(url)
        known = self._origins.get(url[:slash])
        if known is None:
            return self._parse(url)
        return known, url[slash:].encode("latin-1")

    def _parse(self, url: str) -> tuple[_Origin, bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise httpcore.UnsupportedProtocol(f"cannot send to {parts.scheme or '?'}://{parts.hostname or '?'}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        origin = (parts.scheme, parts.hostname, port)
        if parts.path.startswith("/") and len(self._origins) < 64:
            # Only a prefix that ends where the path begins may stand for the origin later.
            prefix = url[: url.find("/", url.find("://") + 3)]
            if urlsplit(prefix + "/").netloc == parts.netloc:
                self._origins[prefix] = origin
        return origin, target.encode("latin-1")

    def _tls(self) -> ssl.SSLContext:
        context = self._ssl
        if not isinstance(context, ssl.SSLContext):
            context = self._ssl = context()
        return context

    async def _connect(self, origin: _Origin, timeout: float) -> _Connection:  # noqa: ASYNC109
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                _, connection = await loop.create_connection(
                    _Connection,
                    host,
                    port,
                    ssl=self._tls() if scheme == "https" else None,
                    server_hostname=host if scheme == "https" else None,
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"connecting to {host}:{port} took over {timeout:g} s") from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {exc}") from exc
        return connection

    def is_open(self, url: str) -> bool:
        """Whether a request to ``url`` would go out on a connection already open."""
        connection = self._connections.get(self._target(url)[0])
        return connection is not None and not connection.closed

    async def open(self, url: str, timeout: float) -> None:  # noqa: ASYNC109 - the connect bound
        """Connect to ``url``'s origin now, unless a connection is open or a request is on its way."""
        if self._lock.locked():  # that request connects itself if it must
            return
        origin = self._target(url)[0]
        async with self._lock:
            connection = self._connections.get(origin)
            if connection is None or connection.closed:
                self._connections[origin] = await self._connect(origin, timeout)

    async def send(
        self,
        verb: str,
        url: str,
        secret: Secret | None,
        content: bytes | None,
        timeout: float,  # noqa: ASYNC109 - per-phase bounds (connect, next bytes); HttpClient bounds the attempt
        max_size: int,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request; (status, lower-case headers, body of at most ``max_size`` bytes)."""
        origin, target = self._target(url)
        async with self._lock:
            return await self._send(origin, target, verb, secret, content, timeout, max_size)

    async def _send(
        self,
        origin: _Origin,
        target: bytes,
        verb: str,
        secret: Secret | None,
        content: bytes | None,
        timeout: float,  # noqa: ASYNC109
        max_size: int,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = self._connections.get(origin)
        if connection is None or connection.closed:
            connection = self._connections[origin] = await self._connect(origin, timeout)
        host = self._hosts.get(origin)
        if host is None:
            name = origin[1] if origin[2] in (80, 443) else f"{origin[1]}:{origin[2]}"
            host = self._hosts[origin] = name.encode("idna")
        head = b"%s %s HTTP/1.1\r\nHost: %s\r\n" % (verb.encode(), target, host)
        tail = b"\r\n" if content is None else b"Content-Length: %d\r\n\r\n%s" % (len(content), content)
        answer = await connection.exchange(head, secret, content is not None, tail, timeout, max_size)
        if not connection.keep_alive:
            connection.close()
        return answer

    async def aclose(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()
