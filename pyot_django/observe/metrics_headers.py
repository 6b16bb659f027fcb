"""The rate-limit budget a Riot answer reports, as plain tuples (shared by metrics and fleet)."""

from __future__ import annotations

from collections.abc import Mapping

from ..limiters.headers import parse_pairs

__all__ = ["budget_windows"]

_SCOPE_HEADERS = (
    ("app", "x-app-rate-limit", "x-app-rate-limit-count"),
    ("method", "x-method-rate-limit", "x-method-rate-limit-count"),
)


def budget_windows(headers: Mapping[str, str]) -> list[tuple[str, int, int, int]]:
    """``(scope, window seconds, count, limit)`` for each window the headers report."""
    windows = []
    for scope, limit_header, count_header in _SCOPE_HEADERS:
        limits = dict((seconds, limit) for limit, seconds in parse_pairs(headers.get(limit_header)))
        for count, seconds in parse_pairs(headers.get(count_header)):
            limit = limits.get(seconds)
            if limit:
                windows.append((scope, seconds, count, limit))
    return windows
