"""Wake waiters when an answer arrives, across threads and event loops.

A limiter lives as long as the process, but its callers may run on many loops at
once (``async_to_sync`` gives every sync call a fresh loop in a worker thread), so
``asyncio.Event`` — bound to one loop — cannot be used. Waiters register a future
of their own loop; :meth:`Notifier.notify` resolves each through its loop's
``call_soon_threadsafe``. A generation number closes the gap between "no room" and
"start waiting", so no wake-up is ever lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

__all__ = ["Notifier"]


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Notifier:
    """Broadcast "something changed" to every waiting task, whatever its loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    @property
    def generation(self) -> int:
        """Read this before checking for room; pass it to :meth:`wait`."""
        return self._generation

    def notify(self) -> None:
        with self._lock:
            self._generation += 1
            waiters, self._waiters = self._waiters, set()
        for loop, future in waiters:
            # A loop that has closed meanwhile has no one left to wake.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_wake, future)

    async def wait(self, generation: int, at_most: float) -> None:
        """Return on the next :meth:`notify` after ``generation``, or after ``at_most`` seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        entry = (loop, future)
        with self._lock:
            if self._generation != generation:
                return
            self._waiters.add(entry)
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(at_most):
                    await future
        finally:
            with self._lock:
                self._waiters.discard(entry)
