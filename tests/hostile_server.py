"""A raw asyncio TCP server that misbehaves below HTTP, where no ASGI app (the emulator) can.

``with HostileServer("rst") as server:`` serves in a background thread on a free loopback
port; point a RiotAPI store's ``BASE_URL`` at ``server.base_url``. Behaviours:

- ``rst``: accept, then reset the connection (RST, not FIN) before reading a byte;
- ``close``: read the request, then close without a single byte of answer;
- ``silent``: read the request, never answer (until the client leaves or ``cap``);
- ``garbage``: answer bytes that are not HTTP;
- ``drip``: a valid 200 answer, every byte of it (status line first) one per ``interval`` s.

``closed_port()`` gives a loopback port nobody listens on: connection refused.
Each behaviour is bounded by ``cap`` seconds per connection, and ``stop()`` ends them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time

from pyot_django.testing.runner import ServedAt

__all__ = ["BEHAVIOURS", "HostileServer", "closed_port"]

BEHAVIOURS = ("rst", "close", "silent", "garbage", "drip")
_DRIP_ANSWER = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n"
    b'connection: close\r\n\r\n{"puuid": "p1"}'
)


def closed_port() -> int:
    """A loopback port that refuses connections (bound, then released: a small race, fine here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HostileServer(ServedAt):
    """One misbehaving server in its own thread and event loop (see the module doc)."""

    def __init__(self, behaviour: str, *, interval: float = 1.0, cap: float = 30.0) -> None:
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}; one of {', '.join(BEHAVIOURS)}")
        self.behaviour = behaviour
        self.interval = interval
        self.cap = cap
        self.connections = 0
        self.host = "127.0.0.1"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"hostile-{behaviour}", daemon=True)
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    def start(self) -> HostileServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, self.host, 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            for task in self._handlers:
                task.cancel()
            self._server.close()
            self._loop.run_until_complete(asyncio.gather(*self._handlers, return_exceptions=True))
            self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.connections += 1
        try:
            async with asyncio.timeout(self.cap):
                await self._misbehave(reader, writer)
        except (TimeoutError, ConnectionError):
            pass
        finally:
            self._handlers.discard(task)
            if not writer.is_closing():
                writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _misbehave(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.behaviour == "rst":
            sock = writer.get_extra_info("socket")
            # SO_LINGER 0: close() sends RST instead of FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        await reader.readuntil(b"\r\n\r\n")  # the request head (the client sends no body here)
        if self.behaviour == "close":
            return
        if self.behaviour == "silent":
            await reader.read()  # until the client leaves
            return
        if self.behaviour == "garbage":
            writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff not http at all\r\n\r\n")
            await writer.drain()
            return
        ends = time.monotonic() + self.cap
        for index in range(len(_DRIP_ANSWER)):
            if writer.is_closing() or time.monotonic() > ends:
                return
            writer.write(_DRIP_ANSWER[index : index + 1])
            await writer.drain()
            await asyncio.sleep(self.interval)
