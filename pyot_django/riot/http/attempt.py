"""``Call``: one request through all its attempts — what it sends, what it may spend, what it did.

The retry decision lives here, in one place with one state object, instead of a
helper taking eight positional arguments: after each failed attempt ``next_wait``
says how long to wait before the next one (the status's strategy, lengthened to a
``Retry-After``), or ``None`` to give up — because the strategy is spent, or
because the wait would end past the call's deadline.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..retry import MAX_BACKOFF, Strategy, strategy_for

if TYPE_CHECKING:
    import httpx

    from ..deadline import Deadline

__all__ = ["Call", "Wait"]


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait ``seconds``, then try again as retry ``number`` of ``strategy.retries``."""

    seconds: float
    number: int
    strategy: Strategy


@dataclass(slots=True)
class Call:
    """One request of one operation, across its attempts."""

    verb: str
    url: str
    server: str
    method: str
    content: bytes | None = None
    returns: str | None = "object"
    session: httpx.AsyncClient | None = None
    deadline: Deadline | None = None
    retries: dict[int, int] = field(default_factory=dict)
    """How many retries each status (or 504 for transport failures) has used."""
    started: float = field(default_factory=time.perf_counter)
    """When the current attempt began (for the request log line)."""

    def budget(self, timeout: float) -> float:
        """Seconds the next attempt may take: its ``TIMEOUT``, cut to what the deadline leaves."""
        if self.deadline is None:
            return timeout
        return min(timeout, self.deadline.remaining())

    def max_wait(self) -> float | None:
        """How long the limiter may keep this call waiting (None: as long as it takes)."""
        return None if self.deadline is None else self.deadline.remaining()

    def next_wait(self, strategies: Mapping[int, Strategy], status: int, retry_after: float | None) -> Wait | None:
        """The wait before the next attempt after a failure with ``status``, or None: give up."""
        strategy = strategy_for(strategies, status)
        used = self.retries.get(status, 0)
        if used >= strategy.retries:
            return None
        seconds = min(strategy.delay(used), MAX_BACKOFF)
        if retry_after is not None:
            seconds = max(seconds, retry_after)
        self.retries[status] = used + 1
        return Wait(seconds, used + 1, strategy)

    def past_deadline(self, wait: float) -> bool:
        """Whether waiting ``wait`` seconds (and then sending) would end past the deadline."""
        return self.deadline is not None and not self.deadline.allows(wait)
