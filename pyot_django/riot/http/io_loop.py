"""One long-lived event loop per process for the sockets of sync callers.

``fetch_sync`` / ``get_sync`` (and a sync view's ``async_to_sync(pipeline.get)``)
run each lookup on an event loop that asgiref makes for that one call. Connection
pools belong to a loop, so every cold sync lookup used to open a new connection to
Riot (a TCP and a TLS handshake: two round trips to the edge) and close it again.

On such a throwaway loop, :func:`relay` runs the transport part of an attempt (take
a pooled connection, send, read the answer) on this module's loop instead, whose
pools live as long as the process. Everything else (the limiter slot, the caches,
the ORM, the caller's context variables) stays on the caller's loop and thread.
Cancelling the caller (a deadline, a timeout) cancels the relayed send.

The loop runs in a daemon thread, started on first use; a forked child (a Celery
prefork worker, a gunicorn worker) starts its own, never touching its parent's
sockets.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from asgiref.sync import AsyncToSync

__all__ = ["io_loop", "on_throwaway_loop", "relay"]

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def on_throwaway_loop() -> bool:
    """Whether the running loop is one ``async_to_sync`` made for a single call."""
    return asyncio.get_running_loop() in AsyncToSync.loop_thread_executors


def io_loop() -> asyncio.AbstractEventLoop:
    """The process's I/O loop (started on first use, in a daemon thread)."""
    global _loop
    loop = _loop
    if loop is not None:
        return loop
    with _lock:
        if _loop is None:
            started = threading.Event()
            fresh = asyncio.new_event_loop()

            def run() -> None:
                asyncio.set_event_loop(fresh)
                fresh.call_soon(started.set)
                fresh.run_forever()

            threading.Thread(target=run, name="pyot-io", daemon=True).start()
            started.wait()
            _loop = fresh
        return _loop


async def relay(coroutine: Coroutine[Any, Any, T]) -> T:
    """Await ``coroutine`` on the I/O loop; cancelling the caller cancels it there too."""
    future = asyncio.run_coroutine_threadsafe(coroutine, io_loop())
    return await asyncio.wrap_future(future)  # a cancelled wrapper cancels the future, and so the task


def _forget_after_fork() -> None:
    # The parent's loop thread does not exist in the child; its sockets are the parent's.
    global _loop, _lock
    _loop = None
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
