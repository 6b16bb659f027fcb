"""``Retry-After``: parsed in one place, for the store's retry and the limiter's pause alike.

The header is untrusted input: garbage, a negative or non-finite number, or an HTTP
date (Riot sends delta-seconds only) count as absent, so the caller falls back to
its own backoff. A value above the cap (the RiotAPI option ``MAX_RETRY_AFTER``,
default 60 s) is cut to the cap, and that is logged once per cap holder: a
``Retry-After: 1e9`` must not pause a whole (key, routing value) scope for 31 years.
"""

from __future__ import annotations

import logging
import math

__all__ = ["DEFAULT_MAX_RETRY_AFTER", "MAX_RETRY_AFTER_LIMIT", "RetryAfterCap", "parse_retry_after"]

logger = logging.getLogger("pyot_django.riot")

DEFAULT_MAX_RETRY_AFTER = 60.0
"""Seconds: the longest ``Retry-After`` honoured by default."""
MAX_RETRY_AFTER_LIMIT = 900.0
"""Seconds: the largest value the ``MAX_RETRY_AFTER`` option may take (the limiters' pause cap)."""


def parse_retry_after(value: str | bytes | None) -> float | None:
    """Seconds from a ``Retry-After`` header value; ``None`` when absent or not a usable number."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


class RetryAfterCap:
    """Parses and caps ``Retry-After`` for one store; warns the first time it has to cut."""

    __slots__ = ("_warned", "cap")

    def __init__(self, cap: float = DEFAULT_MAX_RETRY_AFTER) -> None:
        self.cap = float(cap)
        self._warned = False

    def __call__(self, value: str | bytes | None, *, where: str = "") -> float | None:
        seconds = parse_retry_after(value)
        if seconds is None or seconds <= self.cap:
            return seconds
        if not self._warned:
            self._warned = True
            logger.warning(
                "%sRetry-After %.0f s is beyond MAX_RETRY_AFTER; waiting %.0f s instead (logged once)",
                f"{where}: " if where else "",
                min(seconds, 1e12),
                self.cap,
            )
        return self.cap
