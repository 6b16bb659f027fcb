"""The lean HTTP/1.1 client (``pyot_django.riot.http.h1``) against a raw asyncio server scripted per test.

The emulator tests already drive it through the RiotAPI store (faults, resets,
timeouts); these cover what the emulator never sends: chunked and close-delimited
bodies, ``Connection: close``, a body over the limit, a dripped body that is slow
but alive against one that stalls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpcore
import pytest

from pyot_django.riot.http import h1
from pyot_django.riot.http.body import BodyTooLarge
from pyot_django.riot.http.secret import Secret
from pyot_django.riot.http.transport import TIMEOUT_ERRORS, TRANSPORT_ERRORS, ssl_context

LIMIT = 1 << 20

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _serve(handler: Handler) -> tuple[asyncio.Server, str, list[int]]:
    connections: list[int] = []

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", connections


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0
    )
    return head + (await reader.readexactly(length) if length else b"")


def _answer(body: bytes, *extra: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), b"".join(extra), body)


async def test_keep_alive_reuses_one_connection_and_sends_headers_and_body():
    seen: list[bytes] = []

    async def handler(reader, writer):
        for _ in range(3):
            seen.append(await _read_request(reader))
            writer.write(_answer(b'{"ok": 1}', b"X-App-Rate-Limit: 20:1\r\n"))
            await writer.drain()

    server, url, connections = await _serve(handler)
    client = h1.OriginConnections(ssl_context())
    try:
        for _ in range(2):
            status, headers, body = await client.send("GET", f"{url}/na1/x?a=1", Secret("k"), None, 5, LIMIT)
            assert (status, body, headers["x-app-rate-limit"]) == (200, b'{"ok": 1}', "20:1")
        await client.send("POST", f"{url}/p", None, b'{"b": 2}', 5, LIMIT)
    finally:
        await client.aclose()
        server.close()
    assert connections == [1]
    assert seen[0].startswith(b"GET /na1/x?a=1 HTTP/1.1\r\nHost: 127.0.0.1:")
    assert b"X-Riot-Token: k\r\n" in seen[0]
    assert seen[2].endswith(b'Content-Length: 8\r\n\r\n{"b": 2}')


async def test_chunked_and_close_delimited_bodies_and_connection_close():
    answers = iter(
        [
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-the-end",
        ]
    )

    async def handler(reader, writer):
        await _read_request(reader)
        answer = next(answers)
        writer.write(answer)
        await writer.drain()
        if b"Connection: close" in answer:
            return
        await _read_request(reader)
        writer.write(next(answers))
        await writer.drain()

    server, url, connections = await _serve(handler)
    client = h1.OriginConnections(ssl_context())
    try:
        assert (await client.send("GET", f"{url}/c", None, None, 5, LIMIT))[2] == b"abcdefg"
        assert (await client.send("GET", f"{url}/c", None, None, 5, LIMIT))[2] == b"until-the-end"
    finally:
        await client.aclose()
        server.close()
    assert connections == [1]


async def test_a_body_over_the_limit_is_refused_by_its_length_or_while_streaming():
    answers = iter(
        [
            _answer(b"x" * 5000),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"200\r\n" + b"y" * 512 + b"\r\n",
        ]
    )

    async def handler(reader, writer):
        await _read_request(reader)
        writer.write(next(answers))
        await writer.drain()
        for _ in range(10):  # a chunked body that goes on: cut once it passes the limit
            writer.write(b"200\r\n" + b"y" * 512 + b"\r\n")
            await writer.drain()
            await asyncio.sleep(0.01)

    server, url, connections = await _serve(handler)
    client = h1.OriginConnections(ssl_context())
    try:
        with pytest.raises(BodyTooLarge) as declared:
            await client.send("GET", f"{url}/big", None, None, 5, 1000)
        assert (declared.value.declared, declared.value.limit, declared.value.status) == (5000, 1000, 200)
        with pytest.raises(BodyTooLarge) as streamed:
            await client.send("GET", f"{url}/big", None, None, 5, 1000)
        assert streamed.value.declared is None
    finally:
        await client.aclose()
        server.close()
    assert connections == [1, 1]  # a refused body closes its connection: never reused


async def test_a_slow_drip_is_read_but_a_stall_times_out():
    async def handler(reader, writer):
        await _read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n")
        for byte in b"drip":  # 4 x 0.15 s: longer than the 0.3 s timeout in total, never stalled
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.15)
        writer.write(b"ok")
        await writer.drain()
        await _read_request(reader)
        await asyncio.sleep(5)  # the second request gets nothing

    server, url, _ = await _serve(handler)
    client = h1.OriginConnections(ssl_context())
    try:
        assert (await client.send("GET", f"{url}/d", None, None, 0.3, LIMIT))[2] == b"dripok"
        started = asyncio.get_running_loop().time()
        with pytest.raises(TIMEOUT_ERRORS):
            await client.send("GET", f"{url}/d", None, None, 0.3, LIMIT)
        assert asyncio.get_running_loop().time() - started < 3
    finally:
        await client.aclose()
        server.close()


async def test_one_stall_timer_per_connection_still_catches_a_stall_after_idle_and_a_shorter_timeout():
    """The stall timer is per connection (re-armed, lapsing when idle), not one per request:
    200 answers leave at most one timer of it scheduled, and a stall is still caught after the
    timer lapsed in an idle gap, and within a shorter timeout than the one it was armed for."""
    stalls = asyncio.Event()

    async def handler(reader, writer):
        while True:
            await _read_request(reader)
            if stalls.is_set():
                await asyncio.sleep(30)  # never answers
            writer.write(_answer(b"{}"))

    server, url, connections = await _serve(handler)
    client = h1.OriginConnections(ssl_context())
    loop = asyncio.get_running_loop()

    def stall_timers() -> int:
        scheduled = getattr(loop, "_scheduled", [])  # asyncio's timer heap (CPython's base loop)
        return sum(1 for t in scheduled if not t.cancelled() and "_check_stall" in repr(t))

    try:
        for _ in range(200):
            await client.send("GET", f"{url}/ok", None, None, 5.0, LIMIT)
        assert stall_timers() == 1
        await asyncio.sleep(0.4)  # idle: a 0.3 s timer lapses and is not re-armed
        await client.send("GET", f"{url}/ok", None, None, 0.3, LIMIT)
        await asyncio.sleep(0.7)
        assert stall_timers() == 0
        stalls.set()
        for timeout in (0.3, 0.2):  # the second is shorter than what the first armed
            started = loop.time()
            with pytest.raises(TIMEOUT_ERRORS):
                await client.send("GET", f"{url}/stall", None, None, timeout, LIMIT)
            assert timeout <= loop.time() - started < 2 * timeout + 0.2
    finally:
        await client.aclose()
        server.close()
    assert len(connections) == 2  # the stalled one was closed, not reused


async def test_connection_refused_and_a_dropped_answer_are_transport_errors():
    client = h1.OriginConnections(ssl_context())
    with pytest.raises(httpcore.ConnectError):
        await client.send("GET", "http://127.0.0.1:1/x", None, None, 2, LIMIT)

    async def handler(reader, writer):
        await _read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        await writer.drain()

    server, url, _ = await _serve(handler)
    try:
        with pytest.raises(TRANSPORT_ERRORS, match="complete response"):
            await client.send("GET", f"{url}/r", None, None, 5, LIMIT)
        with pytest.raises(httpcore.UnsupportedProtocol):
            await client.send("GET", "ftp://example.com/x", None, None, 5, LIMIT)
    finally:
        await client.aclose()
        server.close()


async def test_the_request_target_is_the_urls_path_and_query_whatever_the_origin_cache_holds():
    """h1 parses each origin once and then cuts later URLs at their path; the request line,
    the Host header and the origin must stay what the full parse gives, for every URL shape."""
    seen: list[bytes] = []

    async def handler(reader, writer):
        while True:
            try:
                seen.append(await _read_request(reader))
            except asyncio.IncompleteReadError:
                return
            writer.write(_answer(b"{}"))
            await writer.drain()

    server, base, connections = await _serve(handler)
    other, other_base, other_connections = await _serve(handler)
    pool = h1.OriginConnections(ssl_context())
    urls = [
        f"{base}/na1/a?x=1&y=%20",
        f"{base}/na1/b",
        f"{base}/c#fragment",  # a fragment is never sent
        f"{other_base}/d?q",
        f"{base}/e/f",
        f"{base.replace('127.0.0.1', 'localhost')}/g",  # another authority: another origin
    ]
    try:
        for url in urls:
            status, headers, _ = await pool.send("GET", url, Secret("k"), None, 5.0, LIMIT)
            assert status == 200 and isinstance(headers, dict)
    finally:
        await pool.aclose()
        for s in (server, other):
            s.close()
            await s.wait_closed()
    lines = [request.split(b"\r\n")[:2] for request in seen]
    targets = sorted(line[0] for line in lines)
    assert targets == sorted(
        b"GET %s HTTP/1.1" % t for t in (b"/na1/a?x=1&y=%20", b"/na1/b", b"/c", b"/d?q", b"/e/f", b"/g")
    )
    port = base.rsplit(":", 1)[1].encode()
    hosts = {line[0].split(b" ")[1]: line[1] for line in lines}
    assert hosts[b"/na1/b"] == b"Host: 127.0.0.1:" + port
    assert hosts[b"/g"] == b"Host: localhost:" + port
    assert hosts[b"/d?q"] == b"Host: 127.0.0.1:" + other_base.rsplit(":", 1)[1].encode()
    assert len(other_connections) == 1 and len(connections) == 2  # one per origin, kept alive


async def test_plain_http_origins_never_build_the_tls_context():
    """Building an SSL context loads the CA bundle (over 100 ms of CPU on a slow vCPU, on the
    event loop): the pools' first request to a plain-http origin (the emulator) must not pay it."""
    built: list[int] = []

    def context():
        built.append(1)
        return ssl_context()

    async def handler(reader, writer):
        await _read_request(reader)
        writer.write(_answer(b"{}"))
        await writer.drain()

    server, url, _ = await _serve(handler)
    client = h1.OriginConnections(context)
    try:
        status, _, _ = await client.send("GET", f"{url}/x", None, None, 5, LIMIT)
        assert status == 200
        assert built == []
        # No TLS there: the handshake never ends (or fails), but only after the context was built.
        with pytest.raises((*TIMEOUT_ERRORS, *TRANSPORT_ERRORS)):
            await client.send("GET", url.replace("http://", "https://") + "/x", None, None, 0.3, LIMIT)
        assert built == [1]
    finally:
        await client.aclose()
        server.close()
