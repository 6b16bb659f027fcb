"""Per-lookup deadlines: one bound on everything a lookup may spend.

A ``Deadline`` covers limiter waits, every attempt and every backoff of one
lookup. The pipeline opens one for ``get(..., deadline=2.0)`` (and the twins
``fetch`` / ``get_sync`` / ``fetch_sync``) and makes it visible to the stores
through ``current_deadline``; a service store combines it with its own
``DEADLINE`` option (the tighter one wins). ``None`` means patient: only the
per-attempt ``TIMEOUT`` and the retry strategy bound the lookup (Celery tasks).

A store that would have to wait past the deadline (a limiter slot, a 429's
``Retry-After``, a backoff) fails at once with ``RateLimited`` carrying
``retry_after`` instead of sleeping; an attempt is cut off when the deadline
passes and raises ``Timeout``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Deadline", "current_deadline", "deadline_problem", "deadline_scope", "tightest"]


class Deadline:
    """A point on the monotonic clock after which a lookup must have ended."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float) -> None:
        problem = deadline_problem(seconds)
        if problem:
            raise ValueError(problem)
        self.seconds = float(seconds)
        self.at = time.monotonic() + self.seconds

    def remaining(self) -> float:
        """Seconds left (0.0 once passed)."""
        return max(0.0, self.at - time.monotonic())

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def allows(self, wait: float) -> bool:
        """Whether waiting ``wait`` seconds from now still ends before the deadline."""
        return time.monotonic() + wait < self.at

    def __repr__(self) -> str:
        return f"<Deadline {self.seconds:g}s, {self.remaining():.3f}s left>"


# The deadline of the lookup running in this context (task or thread); None = patient.
current_deadline: ContextVar[Deadline | None] = ContextVar("pyot_django_deadline", default=None)


def deadline_problem(seconds: object) -> str | None:
    """Why ``seconds`` is not a usable deadline, or None (positive, finite, not bool)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return f"a deadline must be a number of seconds, not {type(seconds).__name__} {seconds!r}"
    if not math.isfinite(seconds) or seconds <= 0:
        return f"a deadline must be positive and finite seconds, not {seconds!r}"
    return None


def tightest(*deadlines: Deadline | None) -> Deadline | None:
    """The deadline that ends first, ignoring None."""
    present = [d for d in deadlines if d is not None]
    return min(present, key=lambda d: d.at) if present else None


@contextmanager
def deadline_scope(seconds: float | None) -> Iterator[Deadline | None]:
    """Run the body under a new deadline (``None``: keep the enclosing one).

    A nested scope can only tighten: an inner deadline later than the outer one
    is replaced by the outer one.
    """
    if seconds is None:
        yield current_deadline.get()
        return
    deadline = tightest(Deadline(seconds), current_deadline.get())
    reset = current_deadline.set(deadline)
    try:
        yield deadline
    finally:
        current_deadline.reset(reset)
