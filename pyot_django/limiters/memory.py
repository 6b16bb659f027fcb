"""``MemoryLimiter``: the window algorithm for one process.

State is plain Python guarded by a ``threading.Lock`` held only for a few
microseconds and never across an ``await``: callers may sit on several event loops
in several threads (``async_to_sync``), and a cancelled waiter simply stops
retrying — it never holds anything, so it cannot leak capacity or stall others.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from . import engine
from .base import Limiter, Patience
from .headers import Feedback
from .notify import Notifier

__all__ = ["MemoryLimiter"]

_SAFETY_POLL = 0.5
"""Re-check at least this often while waiting for an answer (a lost probe's lease)."""
_LATE = 0.05
"""A caller waiting for a known time looks again this long after it even if its timer was lost."""


@dataclass(frozen=True, slots=True)
class MemoryTicket:
    scopes: tuple[engine.Scope, engine.Scope]
    admit: engine.Admit


class MemoryLimiter(Limiter[MemoryTicket]):
    """Rate limits shared by every task and thread of this process (not across processes).

    Use it for a single process, or for development; use ``RedisLimiter`` as soon as
    several processes (web workers, Celery workers) share an API key.
    """

    def __init__(self, *, limiting_share: float = 1.0, pacing: str = "burst") -> None:
        super().__init__(limiting_share=limiting_share, pacing=pacing)
        self._lock = threading.Lock()
        self._scopes: dict[tuple[str, ...], engine.Scope] = {}
        self._notifier = Notifier()  # an answer was recorded
        self._timer = Notifier()  # a known wait ended

    def _scope(self, key: tuple[str, ...]) -> engine.Scope:
        scope = self._scopes.get(key)
        if scope is None:
            scope = self._scopes[key] = engine.Scope()
        return scope

    async def _acquire(self, key_id: str, server: str, method: str, patience: Patience | None = None) -> MemoryTicket:
        patience = patience or Patience(None)
        spread = self.pacing == "spread"
        while True:
            with self._lock:
                scopes = (self._scope((key_id, server)), self._scope((key_id, server, method)))
                now = time.monotonic()
                result = engine.acquire(scopes, now, spread)
                generation = self._notifier.generation
                held = engine.hold_left(scopes, now)
            if isinstance(result, engine.Admit):
                return MemoryTicket(scopes, result)
            patience.check(result.seconds)  # room is known to be further away than allowed
            if result.seconds > 0:
                # Not a sleep each: the callers of a full window wake together at its close,
                # in turns (see notify.py), from one timer. A long wait first wakes for the
                # caller's warm-up (base.WARM_LEAD before): any timer of the loop wakes every
                # waiter, so whether that time has come is checked, not assumed.
                warm_in = patience.warm_in(result.seconds)
                wait = result.seconds if warm_in is None else warm_in
                woke_for = time.monotonic() + wait
                timer_generation = self._timer.generation
                self._timer.notify_at(woke_for)
                await self._timer.wait(timer_generation, patience.bound(wait + _LATE))
                if warm_in is not None and time.monotonic() >= woke_for:
                    patience.warm()
            else:
                # An answer wakes us; so does the end of a lead's hold (engine.LEAD_HOLD).
                await self._notifier.wait(generation, patience.bound(min(_SAFETY_POLL, held or _SAFETY_POLL)))

    async def _settle(self, ticket: MemoryTicket, feedback: Feedback) -> None:
        self.settle_now(ticket, feedback)

    def settle_now(self, ticket: MemoryTicket, feedback: Feedback) -> None:
        """Synchronous settle (usable from a done-callback, where nothing can be awaited)."""
        with self._lock:
            engine.record(ticket.scopes, ticket.admit, feedback, time.monotonic(), self.share)
        self._notifier.notify()

    def wake(self) -> None:
        """Make every waiter look again now (the Redis limiter's outage ended)."""
        self._notifier.notify()

    def forget(self) -> None:
        """Drop everything learned (limits become unknown again; used by tests and fallback)."""
        with self._lock:
            self._scopes.clear()
        self._notifier.notify()
