"""Wake waiters when an answer arrives, across threads and event loops.

A limiter lives as long as the process, but its callers may run on many loops at
once (``async_to_sync`` gives every sync call a fresh loop in a worker thread), so
``asyncio.Event`` — bound to one loop — cannot be used. Waiters register a future
of their own loop; :meth:`Notifier.notify` resolves each through its loop's
``call_soon_threadsafe``. A generation number closes the gap between "no room" and
"start waiting", so no wake-up is ever lost.

Waiters are woken in turns of :data:`WAKE_TURN` per event-loop iteration, not all at
once: when a window opens, hundreds of callers wake together, and if all of them ran
in one iteration (each sending its request) the loop would not look at its sockets
until the last had sent — the window's first answer, which the limiter takes as the
window's close reference, would be read (and the next window opened) that much late.
Between turns the loop polls, so an answer is read within one turn's work.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import weakref

from .sleep import first_leg

__all__ = ["WAKE_TURN", "Notifier"]

WAKE_TURN = 8
"""Waiters woken per event-loop iteration (see the module docstring)."""


def _wake_in_turns(loop: asyncio.AbstractEventLoop, futures: list[asyncio.Future[None]]) -> None:
    for future in futures[:WAKE_TURN]:
        if not future.done():
            future.set_result(None)
    if len(futures) > WAKE_TURN:
        # call_soon: the next iteration, after the loop has polled its sockets once more.
        loop.call_soon(_wake_in_turns, loop, futures[WAKE_TURN:])


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # notified from a thread without a loop (a sync caller's settle)
        return None


class Notifier:
    """Broadcast "something changed" to every waiting task, whatever its loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()
        # Per loop: millisecond -> the latest deadline in it (its one timer waits for that).
        self._timers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, float]] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def generation(self) -> int:
        """Read this before checking for room; pass it to :meth:`wait`."""
        return self._generation

    def notify(self) -> None:
        with self._lock:
            self._generation += 1
            waiters, self._waiters = self._waiters, set()
        if not waiters:  # every answer notifies; most find no one waiting
            return
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
        for loop, future in waiters:
            by_loop.setdefault(loop, []).append(future)
        running = _running_loop()
        for loop, futures in by_loop.items():
            if loop is running:  # this thread's own loop: no self-pipe write to wake it
                loop.call_soon(_wake_in_turns, loop, futures)
                continue
            # A loop that has closed meanwhile has no one left to wake.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_wake_in_turns, loop, futures)

    def notify_at(self, deadline: float) -> None:
        """Notify at ``deadline`` (``time.monotonic``) on the running loop: one timer per
        loop and millisecond, however many waiters share it; it fires at the latest
        deadline of its millisecond (never before any of them, and not at the next tick)."""
        loop = asyncio.get_running_loop()
        tick = int(deadline * 1000)
        with self._lock:
            timers = self._timers.get(loop)
            if timers is None:
                timers = self._timers[loop] = {}
            due = timers.get(tick)
            if due is not None:
                timers[tick] = max(due, deadline)
                return
            timers[tick] = deadline
        self._arm(loop, timers, tick, deadline - time.monotonic())

    def _arm(self, loop: asyncio.AbstractEventLoop, timers: dict[int, float], tick: int, left: float) -> None:
        # In legs, so neither the kernel's timer slack on a long wait nor the loop's
        # millisecond resolution makes it late (sleep.py).
        loop.call_later(first_leg(left), self._fire, loop, timers, tick)

    def _fire(self, loop: asyncio.AbstractEventLoop, timers: dict[int, float], tick: int) -> None:
        with self._lock:
            left = timers[tick] - time.monotonic()
            if left <= 0:
                del timers[tick]
        if left > 0:
            self._arm(loop, timers, tick, left)
            return
        self.notify()

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
