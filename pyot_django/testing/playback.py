"""How the emulator plays hostile upstreams below the JSON level: drips, floods, cut-offs.

Each function answers one request over ASGI, or over the raw connection where ASGI
cannot say it (headers dripped byte by byte, a Content-Length that lies). Every one is
bounded: it stops when the client goes away and after ``cap`` seconds at most, and
none holds more than one chunk of a large body in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from http import HTTPStatus
from typing import Any

from pyot_django.testing.faults import Action

__all__ = ["body_for", "drip_body", "drip_head", "oversized", "raw_transport", "reset_mid_body"]

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

_JSON = (b"content-type", b"application/json;charset=utf-8")
_CHUNK = 64 * 1024
_FILLER = b"x" * _CHUNK  # the one buffer every oversized body is cut from
_PREFIX, _SUFFIX = b'{"padding":"', b'"}'
_WRITE_BUFFER = 1 << 20  # raw writes wait while this much is still unsent


def body_for(action: Action, payload: bytes) -> bytes:
    """The body a payload fault sends in place of ``payload`` (the generated JSON)."""
    if action.fault == "malformed":
        # Cut inside the document (and drop one byte at least) so it can never parse.
        return payload[: max(len(payload) // 2, 1) - 1] or b"{"
    if action.fault == "wrong_type":
        return b"[" + payload + b"]" if payload.startswith(b"{") else b'{"items":' + payload + b"}"
    return payload


@contextlib.asynccontextmanager
async def _client_gone(receive: Receive) -> AsyncIterator[asyncio.Event]:
    """An event set once the client disconnects (the request body must be consumed already)."""
    gone = asyncio.Event()

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    task = asyncio.create_task(watch())
    try:
        yield gone
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _start(send: Send, status: int, headers: Headers, length: int | None) -> None:
    sized = [(b"content-length", str(length).encode())] if length is not None else []
    await send({"type": "http.response.start", "status": status, "headers": [_JSON, *sized, *headers]})


async def drip_body(send: Send, receive: Receive, headers: Headers, body: bytes, interval: float, cap: float) -> None:
    """Headers at once with an honest Content-Length, then the body one byte every ``interval`` s."""
    await _start(send, 200, headers, len(body))
    ends = time.monotonic() + cap
    async with _client_gone(receive) as gone:
        for index in range(len(body)):
            last = index == len(body) - 1
            await send({"type": "http.response.body", "body": body[index : index + 1], "more_body": not last})
            if last or await _waited_out(gone, interval, ends):
                return  # unfinished: the server closes the connection


async def reset_mid_body(send: Send, headers: Headers, body: bytes) -> None:
    """Promise ``body``, send its first half, then return: the server drops the connection."""
    await _start(send, 200, headers, len(body))
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})


async def oversized(send: Send, receive: Receive, headers: Headers, action: Action, cap: float) -> None:
    """A valid JSON object of ``action.size`` bytes, streamed chunk by chunk (see module doc)."""
    declared = action.content_length
    if declared is not None and declared is not True:
        return await _raw_oversized(send, headers, action.size, declared, cap)
    await _start(send, 200, headers, action.size if declared is True else None)
    ends = time.monotonic() + cap
    async with _client_gone(receive) as gone:
        for piece in _oversized_pieces(action.size):
            # ASGI servers pause ``send`` while the client is not reading: memory stays flat.
            await send({"type": "http.response.body", "body": piece, "more_body": True})
            # ``send`` only yields when the client is slow; yield anyway so a disconnect is seen.
            await asyncio.sleep(0)
            if gone.is_set() or time.monotonic() > ends:
                return
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _oversized_pieces(size: int) -> Iterator[bytes]:
    yield _PREFIX
    left = size - len(_PREFIX) - len(_SUFFIX)
    while left > 0:
        piece = _FILLER if left >= _CHUNK else _FILLER[:left]
        left -= len(piece)
        yield piece
    yield _SUFFIX


async def _waited_out(gone: asyncio.Event, interval: float, ends: float) -> bool:
    """Sleep ``interval`` (never past ``ends``); True when the client left or time is up."""
    wait = min(interval, ends - time.monotonic())
    if wait <= 0:
        return True
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(gone.wait(), wait)
    return gone.is_set() or time.monotonic() >= ends


# -- the raw connection: what ASGI cannot express ---------------------------------------------


def raw_transport(send: Send) -> tuple[Any, asyncio.Transport] | None:
    """(uvicorn's request cycle, its connection's transport), or None under another server.

    uvicorn hands the app the cycle's bound ``send``; the cycle holds the transport. This
    is uvicorn's internals, used only by the faults no ASGI message can express.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(transport, "write") or not hasattr(cycle, "disconnected"):
        return None
    return cycle, transport


def _head(status: int, headers: Headers, length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode()]
    lines += [b"%s: %s" % pair for pair in [_JSON, *headers]]
    if length is not None:
        lines.append(b"content-length: %d" % length)
    lines.append(b"connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _hand_back(cycle: Any, transport: asyncio.Transport) -> None:
    # The response went out behind uvicorn's back: tell it the peer is gone so it writes
    # nothing more (no 500 of its own), and close once the buffer is flushed.
    cycle.disconnected = True
    transport.close()


async def drip_head(send: Send, headers: Headers, body: bytes, interval: float, cap: float) -> bool:
    """Status line and headers one byte every ``interval`` s, then ``body``; False if not uvicorn."""
    raw = raw_transport(send)
    if raw is None:
        return False
    cycle, transport = raw
    ends = time.monotonic() + cap
    head = _head(200, headers, len(body))
    try:
        for index in range(len(head)):
            if transport.is_closing():
                return True
            transport.write(head[index : index + 1])
            wait = min(interval, ends - time.monotonic())
            if wait <= 0:
                return True
            await asyncio.sleep(wait)
        transport.write(body)
        return True
    finally:
        _hand_back(cycle, transport)


async def _raw_oversized(send: Send, headers: Headers, size: int, declared: int, cap: float) -> None:
    """Declare ``declared`` bytes, send ``size``: the lying Content-Length (ASGI servers refuse it)."""
    raw = raw_transport(send)
    if raw is None:
        message = b'{"status": {"message": "a lying Content-Length needs uvicorn", "status_code": 501}}'
        await _start(send, 501, headers, len(message))
        return await send({"type": "http.response.body", "body": message})
    cycle, transport = raw
    ends = time.monotonic() + cap
    try:
        transport.write(_head(200, headers, declared))
        for piece in _oversized_pieces(size):
            while transport.get_write_buffer_size() > _WRITE_BUFFER:  # the client is not reading
                if transport.is_closing() or time.monotonic() > ends:
                    return
                await asyncio.sleep(0.005)
            if transport.is_closing():
                return
            transport.write(piece)
    finally:
        _hand_back(cycle, transport)
