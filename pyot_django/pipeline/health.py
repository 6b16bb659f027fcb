"""Per-store counters and the failure policy for cache stores.

A cache that errors must not fail the lookup: the error counts as a miss, the
first error of a burst is logged as a warning (later ones at debug level, so an
outage does not flood the logs), and the store is skipped for a short cool-down
(``COOL_DOWN_SECONDS``) so a dead Redis costs one refused connection (or one
socket timeout) per second, not one per lookup. After the cool-down the next
lookup probes the store; any answer, a miss included, puts it back in service.

A store refusing one value (``ValueRefused``: ``None``, too large) is not failing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

__all__ = ["StoreHealth"]

logger = logging.getLogger("pyot_django.pipeline")

# How long a failing cache store is skipped before it is tried again.
COOL_DOWN_SECONDS = 1.0


class StoreHealth:
    """Hit/miss/error counters of one store, and whether it is cooling down."""

    __slots__ = (
        "_refusals_logged",
        "errors",
        "failing",
        "hits",
        "label",
        "misses",
        "refusals",
        "retry_at",
        "sink_errors",
    )

    def __init__(self, label: str) -> None:
        self.label = label
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self.sink_errors = 0
        self.refusals = 0
        self.failing = False
        self.retry_at = 0.0
        self._refusals_logged: set[str] = set()

    def cooling_down(self) -> bool:
        return self.failing and time.monotonic() < self.retry_at

    def failed(self, action: str, exc: BaseException) -> None:
        if action == "sink":
            self.sink_errors += 1
        else:
            self.errors += 1
        self.retry_at = time.monotonic() + COOL_DOWN_SECONDS
        if self.failing:
            logger.debug("%s still failing on %s: %s: %s", self.label, action, type(exc).__name__, exc)
            return
        self.failing = True
        logger.warning(
            "%s failed on %s (%s: %s); lookups fall through to the next store until it recovers",
            self.label,
            action,
            type(exc).__name__,
            exc,
        )

    def recovered(self) -> None:
        """The store answered (a hit, a miss or a stored value): it is in service again."""
        if self.failing:
            self.failing = False
            logger.warning("%s recovered", self.label)

    def refused(self, exc: BaseException) -> None:
        """The store would not keep one value: logged once per reason, never a failure."""
        self.refusals += 1
        reason = getattr(exc, "reason", type(exc).__name__)
        if reason in self._refusals_logged:
            logger.debug("%s refused a value: %s", self.label, exc)
            return
        self._refusals_logged.add(reason)
        logger.warning("%s refused a value (%s); passed on uncached (further refusals: debug)", self.label, exc)

    def as_dict(self) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "errors": self.errors,
            "sink_errors": self.sink_errors,
            "refusals": self.refusals,
            "failing": self.failing,
        }
