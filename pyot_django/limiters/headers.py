"""Reading Riot's rate-limit headers.

Riot describes every limit as ``limit:seconds`` pairs (``20:1,100:120``) and the
current usage the same way (``3:1,17:120``). A response is reduced to a
:class:`Feedback`: plain data that both the in-process engine and the Redis Lua
script understand, so the two limiters learn from exactly the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The HTTP client's answers: names already lower case, used as they are (no copy per answer).
from ..riot.http.lower_headers import LowerCaseHeaders

# The one Retry-After parser (garbage, negative, non-finite -> None), shared with the client.
from ..riot.http.retry_after import parse_retry_after

__all__ = [
    "APP",
    "MAX_WINDOW",
    "METHOD",
    "UNPARSED",
    "Feedback",
    "LowerCaseHeaders",
    "ScopeHeaders",
    "parse_pairs",
    "parse_retry_after",
    "read_feedback",
]

#: Index of each scope in every per-scope sequence (tickets, feedback, Redis keys).
APP = 0
METHOD = 1

MAX_WINDOW = 86_400
"""Seconds: the longest limit window believed (Riot's longest is 600 s); a longer one in a
hostile header is skipped like a malformed pair, so no wait grows past it."""

UNPARSED: Any = object()
"""``read_feedback``'s default: read ``Retry-After`` from the headers."""

_LIMIT_HEADERS = ("x-app-rate-limit", "x-method-rate-limit")
_COUNT_HEADERS = ("x-app-rate-limit-count", "x-method-rate-limit-count")


_PARSED: dict[str, tuple[tuple[int, int], ...]] = {}
_PARSED_MAX = 4096
"""Header values remembered by :func:`parse_pairs`: every answer repeats the same limit
headers and, within a window, the same few count headers (two parses per scope per answer
on the hot path, the limiter's and the metrics'). Bounded: cleared when full."""


def parse_pairs(value: str | None) -> tuple[tuple[int, int], ...]:
    """Parse ``"20:1,100:120"`` into ``((20, 1), (100, 120))``.

    Malformed pairs are skipped rather than raised: a garbled header must never turn a
    successful Riot response into an exception, and skipping only makes the limiter
    learn less (it then keeps what it knew).
    """
    if not value:
        return ()
    known = _PARSED.get(value)
    if known is not None:
        return known
    parsed = _parse_pairs(value)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[value] = parsed
    return parsed


def _parse_pairs(value: str) -> tuple[tuple[int, int], ...]:
    pairs: list[tuple[int, int]] = []
    for part in value.split(","):
        first, sep, second = part.strip().partition(":")
        if not sep:
            continue
        try:
            number, seconds = int(first), int(second)
        except ValueError:
            continue
        if number >= 0 and 0 < seconds <= MAX_WINDOW:
            pairs.append((number, seconds))
    return tuple(pairs)


class ScopeHeaders:
    """The limits and counts one response reported for one scope (app or method).

    Immutable. The count header changes with every answer, so it is parsed only when
    something reads :attr:`counts` (the limiter does so only near a window's close or
    when the limits change), not for every answer.
    """

    __slots__ = ("_count_header", "_counts", "limits", "raw")

    def __init__(
        self,
        raw: str | None = None,
        limits: tuple[tuple[int, int], ...] = (),
        counts: tuple[tuple[int, int], ...] | None = None,
        *,
        count_header: str | None = None,
    ) -> None:
        self.raw = raw
        """The limit header as sent (``None`` if absent); compared verbatim to detect changes."""
        self.limits = limits
        """``(limit, seconds)`` pairs."""
        self._counts = counts
        self._count_header = count_header

    @property
    def counts(self) -> tuple[tuple[int, int], ...]:
        """``(count, seconds)`` pairs: the server's usage, including this request."""
        counts = self._counts
        if counts is None:
            counts = self._counts = parse_pairs(self._count_header)
        return counts

    def count_for(self, seconds: int) -> int | None:
        """The reported count of the window lasting ``seconds``, if reported."""
        for count, window in self.counts:
            if window == seconds:
                return count
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScopeHeaders):
            return NotImplemented
        return (self.raw, self.limits, self.counts) == (other.raw, other.limits, other.counts)

    def __hash__(self) -> int:
        return hash((self.raw, self.limits, self.counts))

    def __repr__(self) -> str:
        return f"ScopeHeaders(raw={self.raw!r}, limits={self.limits!r}, counts={self.counts!r})"


@dataclass(frozen=True, slots=True)
class Feedback:
    """What one response tells the limiter. ``status=None`` means no response at all."""

    status: int | None = None
    scopes: tuple[ScopeHeaders, ScopeHeaders] = field(default=(ScopeHeaders(), ScopeHeaders()))
    limit_type: str | None = None
    """``X-Rate-Limit-Type`` lower-cased (``application``, ``method``, ``service``, …)."""
    retry_after: float | None = None

    def as_json(self) -> dict[str, object]:
        """The shape the Lua script decodes (lists only: cjson has no tuples)."""
        return {
            "s": self.status if self.status is not None else 0,
            "sc": [
                {
                    "raw": scope.raw if scope.raw is not None else False,
                    "l": [list(pair) for pair in scope.limits],
                    "c": [list(pair) for pair in scope.counts],
                }
                for scope in self.scopes
            ],
            "ty": self.limit_type or "",
            "ra": self.retry_after if self.retry_after is not None else -1,
        }


def _scope(headers: Mapping[str, str], index: int) -> ScopeHeaders:
    raw = headers.get(_LIMIT_HEADERS[index])
    return ScopeHeaders(
        raw.strip() if raw is not None else None,
        parse_pairs(raw),
        count_header=headers.get(_COUNT_HEADERS[index]),
    )


def read_feedback(status: int, headers: Mapping[str, str], retry_after: Any = UNPARSED) -> Feedback:
    """Reduce a response to :class:`Feedback`.

    ``headers`` should be case-insensitive (``httpx.Headers``); a plain ``dict`` is
    lower-cased here so tests and other HTTP clients work too. ``retry_after``: the
    value the caller already parsed (and capped), else it is parsed here.
    """
    if isinstance(headers, dict) and not isinstance(headers, LowerCaseHeaders):
        headers = {str(name).lower(): value for name, value in headers.items()}
    limit_type = headers.get("x-rate-limit-type")
    return Feedback(
        status=status,
        scopes=(_scope(headers, APP), _scope(headers, METHOD)),
        limit_type=limit_type.strip().lower() if limit_type else None,
        retry_after=parse_retry_after(headers.get("retry-after")) if retry_after is UNPARSED else retry_after,
    )
