"""Single-flight per process: concurrent lookups of one token share one upstream request.

The callers may be coroutines of one event loop, coroutines of several loops (every
``async_to_sync`` call from a WSGI thread may run its own), or plain threads, so the
table of flights is guarded by a ``threading.Lock`` and each follower is woken the
way it waits: a coroutine through a future of *its own* loop
(``call_soon_threadsafe``), a thread through a ``threading.Event``.

The leader encodes its value to JSON once and every follower decodes its own copy,
so no caller can mutate what another one received. A failed leader hands each
follower its own copy of the exception (no shared traceback, no chained cause whose
frames might hold a credential). A cancelled leader wakes its followers, and one of
them leads a fresh lookup: nobody hangs on a lookup that no longer runs.
"""

from __future__ import annotations

import asyncio
import copy
import threading
from typing import Any

import orjson

from ..exceptions import RateLimited, Timeout
from ..riot.deadline import Deadline

__all__ = ["Flight", "FlightTable", "LeaderGone"]


class LeaderGone(Exception):
    """The leader stopped without a result (cancelled, or too impatient): look up again."""


class Flight:
    """One in-flight lookup: its leader's outcome once known, and who waits for it."""

    __slots__ = ("_event", "_waiters", "deadline", "error", "finished", "followers", "raw")

    def __init__(self, deadline: Deadline | None) -> None:
        self.deadline = deadline  # the leader's: a more patient follower may retry its timeout
        self.finished = False  # read and written under the table's lock
        # Made by the first thread that waits: most flights (every warm hit past Memory opens
        # one) have no follower at all, and a threading.Event costs a Condition and a Lock.
        self._event: threading.Event | None = None
        self.followers = 0
        self.raw: bytes | None = None
        self.error: BaseException | None = None
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    # -- the leader -----------------------------------------------------------------------

    def finish(self, lock: threading.Lock, raw: bytes | None, error: BaseException | None) -> None:
        with lock:
            self.raw = raw
            self.error = error
            self.finished = True
            event = self._event
            waiters, self._waiters = self._waiters, []
        if event is not None:
            event.set()
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(_wake, future)
            except RuntimeError:
                pass  # that loop is closed: its waiter is gone with it

    # -- a follower -----------------------------------------------------------------------

    async def wait_async(self, lock: threading.Lock, seconds: float | None) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with lock:
            if self.finished:
                return
            self._waiters.append((loop, future))
        try:
            await asyncio.wait_for(future, seconds)
        except TimeoutError:
            raise _waited_too_long(seconds) from None
        finally:
            if not future.done():  # cancelled or timed out: the leader need not wake us
                with lock:
                    try:
                        self._waiters.remove((loop, future))
                    except ValueError:
                        pass

    def wait_sync(self, lock: threading.Lock, seconds: float | None) -> None:
        with lock:
            if self.finished:
                return
            if self._event is None:
                self._event = threading.Event()
            event = self._event
        if not event.wait(seconds):
            raise _waited_too_long(seconds)

    def outcome(self, follower_deadline: Deadline | None) -> Any:
        """The follower's own copy of the value, or of the error; ``LeaderGone`` to retry."""
        error = self.error
        if error is None:
            assert self.raw is not None
            return orjson.loads(self.raw)
        if isinstance(error, LeaderGone):
            raise LeaderGone
        if isinstance(error, (RateLimited, Timeout)) and _more_patient(follower_deadline, self.deadline):
            raise LeaderGone  # the leader gave up on *its* deadline; this caller may wait longer
        raise _copy_of(error)


class FlightTable:
    """token key → ``Flight``, shared by every thread and event loop of the process."""

    __slots__ = ("_flights", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._flights: dict[str, Flight] = {}

    def join_or_lead(self, key: str, deadline: Deadline | None) -> tuple[Flight, bool]:
        """The flight of ``key`` and whether the caller leads it (it did not exist)."""
        with self.lock:
            flight = self._flights.get(key)
            if flight is not None:
                flight.followers += 1
                return flight, False
            flight = self._flights[key] = Flight(deadline)
            return flight, True

    def join(self, key: str) -> Flight | None:
        """Follow the flight of ``key`` if there is one (sync callers, who cannot lead here)."""
        with self.lock:
            flight = self._flights.get(key)
            if flight is not None:
                flight.followers += 1
            return flight

    def land(self, key: str, flight: Flight, value: Any = None, error: BaseException | None = None) -> None:
        """The leader is done: take the flight off the table, then wake its followers."""
        with self.lock:
            if self._flights.get(key) is flight:
                del self._flights[key]
            followers = flight.followers
        raw = None
        if error is None and followers:
            try:
                raw = orjson.dumps(value)
            except TypeError as exc:  # not JSON (a custom store's object): followers look up again
                error = LeaderGone(str(exc))
        flight.finish(self.lock, raw, error)

    def __len__(self) -> int:
        return len(self._flights)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _waited_too_long(timeout: float | None) -> Timeout:
    return Timeout(f"deadline passed after waiting {timeout or 0:.3g}s for the in-flight lookup of this token")


def _more_patient(follower: Deadline | None, leader: Deadline | None) -> bool:
    if leader is None:
        return False
    return follower is None or follower.at > leader.at


def _copy_of(error: BaseException) -> BaseException:
    # copy.copy rebuilds the exception from its args and __dict__ (status, method,
    # retry_after): a fresh object with no traceback, __cause__ or __context__.
    try:
        twin = copy.copy(error)
    except Exception:
        return error
    twin.__traceback__ = None
    return twin
