"""Connections owned per event loop: closed when the loop shuts down, or when their owner is dropped.

Three owners keep one client (or pool set) per running event loop: the HTTP client's
pools (``pools.LoopClients``), ``RedisLimiter`` and the native Redis path of a cache
alias (``stores.redis_async.NativeRedis``). A loop's connections cannot outlive their
loop, so each is closed from that loop:

- **The loop shuts down first** (``asyncio.run``, ``async_to_sync``, an ASGI server's
  exit): :func:`close_with_loop` is an async generator started on the loop and left
  suspended; the loop finalises it before it closes, which runs the close.
- **The owner is dropped first** (``PYOT`` or ``CACHES`` changed and the pipelines were
  rebuilt, or a user let a store or limiter go): without :func:`close_on_drop` its
  clients on a loop that lives on (the process's I/O loop, an ASGI server's loop) were
  garbage with it, and the socket was closed by the collector, with a ResourceWarning,
  whenever that ran. ``close_on_drop`` keeps them reachable after their owner and
  schedules each close on its own loop.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast

__all__ = ["close_on_drop", "close_with_loop"]

E = TypeVar("E")

_closing: set[asyncio.Task[None]] = set()  # closes in flight (the loop keeps only weak references to tasks)


async def close_with_loop(close: Callable[[], Awaitable[object]]) -> AsyncGenerator[None, None]:
    """Started once on a loop (``await anext(...)``) and left there: ``close()`` runs when it is finalised."""
    try:
        yield
    finally:
        await close()


def close_on_drop(
    owner: object,
    entries: Mapping[asyncio.AbstractEventLoop, E],
    closer_of: Callable[[E], AsyncGenerator[None, None]] | None = None,
) -> None:
    """When ``owner`` is collected, close each entry's closer (``closer_of(entry)``, or the
    entry itself) on its loop.

    ``entries`` (the owner's per-loop map) and ``closer_of`` must not refer to ``owner``,
    or it would never be collected.
    """
    weakref.finalize(owner, _close_all, entries, closer_of).atexit = False  # at exit the loops go too


def _close_all(
    entries: Mapping[asyncio.AbstractEventLoop, E], closer_of: Callable[[E], AsyncGenerator[None, None]] | None
) -> None:
    # Runs in whatever thread collected the owner: hand each close to its loop's thread.
    # A closed loop has finalised its closers already. A loop that is not running holds the
    # scheduled close (and so its generator) until it runs again or shuts down.
    for loop, entry in list(entries.items()):
        if loop.is_closed():
            continue
        closer = cast(AsyncGenerator[None, None], entry) if closer_of is None else closer_of(entry)
        try:
            loop.call_soon_threadsafe(_start_close, loop, closer)
        except RuntimeError:  # closed in the meantime: it finalised the closer
            pass


def _start_close(loop: asyncio.AbstractEventLoop, closer: AsyncGenerator[None, None]) -> None:
    task: asyncio.Task[Any] = loop.create_task(closer.aclose())
    _closing.add(task)
    task.add_done_callback(_closing.discard)
