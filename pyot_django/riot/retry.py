"""Error-handling strategies per HTTP status, in Pyot's form.

``ERROR_HANDLING = {503: ("E", [1, 3])}``:

- ``("T", [])`` throw at once;
- ``("R", [n])`` retry up to ``n`` times at once;
- ``("E", [base, n])`` retry up to ``n`` times with exponential backoff: ``base``,
  ``2 * base``, ``4 * base``… seconds.

A ``Retry-After`` header is always honoured: the wait is the longer of it and the
strategy's own. Timeouts and connection errors follow the strategy of status 504
(``TIMEOUT_STATUS``). Statuses not named use the defaults below.

Bounds (checked as ``pyot_django.E019``, and enforced at run time whatever the
settings say): at most ``MAX_RETRIES`` retries per status, a backoff base of at
most ``MAX_BASE`` seconds, and no single wait longer than ``MAX_BACKOFF`` seconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_ERROR_HANDLING",
    "MAX_BACKOFF",
    "MAX_BASE",
    "MAX_RETRIES",
    "TIMEOUT_STATUS",
    "Strategy",
    "error_handling_bound_problem",
    "error_handling_problem",
    "parse_error_handling",
    "strategy_for",
]

TIMEOUT_STATUS = 504

MAX_RETRIES = 10
"""Retries per status a strategy may ask for."""
MAX_BASE = 30.0
"""Seconds: the largest backoff base of an ``("E", [base, n])`` strategy."""
MAX_BACKOFF = 300.0
"""Seconds: the longest single wait between two attempts (before a ``Retry-After``)."""

DEFAULT_ERROR_HANDLING: dict[int, tuple[str, list[float]]] = {
    400: ("T", []),
    401: ("T", []),
    403: ("T", []),
    404: ("T", []),
    405: ("T", []),
    415: ("T", []),
    # The limiter pauses the scope; this is how often the call itself tries again.
    429: ("E", [1, 4]),
    500: ("E", [0.5, 3]),
    502: ("E", [0.5, 3]),
    503: ("E", [1, 3]),
    504: ("E", [0.5, 3]),
}


@dataclass(frozen=True)
class Strategy:
    """What to do on one status: how many retries and how long before each."""

    code: str
    retries: int
    base: float = 0.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        if self.code == "E":
            return min(self.base * 2.0**attempt, MAX_BACKOFF)
        return 0.0


_THROW = Strategy("T", 0)


def error_handling_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid ERROR_HANDLING dict, or None."""
    if not isinstance(value, Mapping):
        return "must be a dict of HTTP status → (code, args)"
    for status, rule in value.items():
        if not isinstance(status, int) or not 400 <= status <= 599:
            return f"key {status!r} is not an HTTP error status (400-599)"
        problem = _rule_problem(rule)
        if problem:
            return f"{status}: {problem}"
    return None


def error_handling_bound_problem(value: Any) -> str | None:
    """Why a well-formed ERROR_HANDLING dict asks for unbounded retries or waits, or None."""
    for status, (code, args) in value.items():
        retries = args[-1] if code in ("R", "E") else 0
        if retries > MAX_RETRIES:
            return f"{status}: {retries} retries is more than the bound of {MAX_RETRIES}"
        if code == "E":
            base = args[0]
            if not math.isfinite(base) or base > MAX_BASE:
                return f"{status}: a backoff base of {base!r} s is more than the bound of {MAX_BASE:g} s"
            longest = base * 2 ** max(retries - 1, 0)
            if longest > MAX_BACKOFF:
                return f"{status}: the last backoff would be {longest:g} s, more than the bound of {MAX_BACKOFF:g} s"
    return None


def _rule_problem(rule: Any) -> str | None:
    if not isinstance(rule, (tuple, list)) or len(rule) != 2 or not isinstance(rule[1], (tuple, list)):
        return f'{rule!r} must be ("T", []), ("R", [n]) or ("E", [base_seconds, n])'
    code, args = rule
    numbers = all(isinstance(arg, (int, float)) and not isinstance(arg, bool) and arg >= 0 for arg in args)
    if code == "T" and not args:
        return None
    if code == "R" and len(args) == 1 and numbers and isinstance(args[0], int):
        return None
    if code == "E" and len(args) == 2 and numbers and isinstance(args[1], int):
        return None
    return f'{rule!r} must be ("T", []), ("R", [n]) or ("E", [base_seconds, n])'


def parse_error_handling(overrides: Mapping[int, Any] | None) -> dict[int, Strategy]:
    """Defaults merged with ``overrides``, as strategies."""
    table: dict[int, Any] = dict(DEFAULT_ERROR_HANDLING)
    table.update(overrides or {})
    strategies: dict[int, Strategy] = {}
    for status, (code, args) in table.items():
        if code == "T":
            strategies[status] = _THROW
        elif code == "R":
            strategies[status] = Strategy("R", min(int(args[0]), MAX_RETRIES))
        else:
            base = float(args[0])
            base = min(base, MAX_BASE) if math.isfinite(base) else MAX_BASE
            strategies[status] = Strategy("E", min(int(args[1]), MAX_RETRIES), base)
    return strategies


def strategy_for(strategies: Mapping[int, Strategy], status: int) -> Strategy:
    """The strategy of ``status``; unknown 5xx use 500's, unknown 4xx throw."""
    found = strategies.get(status)
    if found is not None:
        return found
    if status >= 500:
        return strategies.get(500, _THROW)
    return _THROW
