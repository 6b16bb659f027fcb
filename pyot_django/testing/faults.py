"""What the emulator does to a request besides answering it: scripts, random faults, latency.

A *script* is a queue of answers for one operation (or ``"*"`` for any), consumed in
order by the next matching requests that pass auth and rate limiting; an operation's
own queue goes before ``"*"``. Entries are a status (``503``, ``200``) or a dict:

- ``{"status": 429, "retry_after": 2, "type": "service"}``: ``retry_after`` is sent verbatim
  on any status (``503`` too), so hostile values can be played: ``"1e9"``, ``"inf"``, ``"-5"``,
  ``"abc"``, ``""``, an HTTP-date; None: no header (a bare ``429`` means ``retry_after`` 1);
- ``{"status": 200, "body": {...}}`` answers that body (JSON-encoded; ``None`` is ``null``)
  instead of generated data; ``{"raw": "..."}`` answers these bytes verbatim;
- ``{"fault": kind}``, one of ``FAULT_KINDS``:

  - ``timeout``: no answer until the client gives up (or ``config.timeout_cap``);
  - ``reset``: headers promising a body, then the connection closes;
    ``reset_body``: half the body, then the connection closes;
  - ``malformed``: truncated JSON; ``empty``: an empty 200; ``null``: a 200 ``null``;
    ``wrong_type``: the generated payload inside a JSON array (an array where an object
    is due; an operation answering an array gets ``{"items": [...]}``);
  - ``drip_headers`` / ``drip_body``: the status line and headers (or the body) one byte
    every ``"interval"`` seconds (default 1), for at most ``config.timeout_cap`` seconds;
  - ``oversized``: a valid JSON object of ``"size"`` bytes (default 300 MB) streamed in
    chunks and generated lazily, never held in memory; ``"content_length"``: ``None``
    (chunked, default), ``True`` (honest) or a number (a lying header);

- any entry may add ``"delay": seconds`` and ``"times": n`` (the same answer for the n
  next matching requests).

Without a script entry, random faults are drawn from ``random.Random(config.seed)``
with one draw per request, so a seeded run is reproducible request by request.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyot_django.testing.config import EmulatorConfig

__all__ = ["FAULT_KINDS", "PAYLOAD_FAULTS", "Action", "Faults", "parse_action", "parse_entry"]

FAULT_KINDS = (
    "timeout",
    "reset",
    "reset_body",
    "malformed",
    "empty",
    "null",
    "wrong_type",
    "drip_headers",
    "drip_body",
    "oversized",
)
# Faults whose answer is built from the generated payload (the others need none).
PAYLOAD_FAULTS = frozenset({"malformed", "wrong_type", "reset_body", "drip_headers", "drip_body"})
DEFAULT_OVERSIZED = 300_000_000
_MAX_OVERSIZED = 1 << 40  # streamed lazily, so only a sanity bound
_MAX_TIMES = 1_000_000
_ENTRY_KEYS = frozenset(
    {"status", "fault", "retry_after", "type", "body", "raw", "delay", "interval", "size", "content_length", "times"}
)
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Action:
    """One non-default answer: a status with Riot's body, or a transport-level fault."""

    status: int = 200
    fault: str | None = None  # one of FAULT_KINDS
    retry_after: str | None = None  # the Retry-After header, verbatim
    limit_type: str | None = None  # X-Rate-Limit-Type of a 429
    body: Any = _UNSET  # replaces the generated (or error) body
    raw: bytes | None = None  # replaces the body, verbatim
    delay: float = 0.0
    interval: float = 1.0  # drip faults: seconds between two bytes
    size: int = DEFAULT_OVERSIZED  # oversized: bytes in the body
    content_length: bool | int | None = None  # oversized: None chunked, True honest, int declared

    @property
    def has_body(self) -> bool:
        return self.body is not _UNSET or self.raw is not None


def parse_action(entry: int | Mapping[str, Any]) -> Action:
    """A script entry (see module docstring) as an ``Action``; ``"times"`` is left to ``parse_entry``."""
    return parse_entry(entry)[0]


def parse_entry(entry: int | Mapping[str, Any]) -> tuple[Action, int]:
    """A script entry as (``Action``, how many next requests get it)."""
    if isinstance(entry, bool) or not isinstance(entry, (int, Mapping)):
        raise ValueError(f"a script entry is a status or a dict, not {entry!r}")
    if isinstance(entry, int):
        if entry == 429:
            return Action(429, retry_after="1", limit_type="service"), 1
        return Action(_status(entry)), 1
    entry = dict(entry)
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise ValueError(f"unknown script entry key(s): {', '.join(sorted(unknown))}")
    fault = entry.get("fault")
    if fault is not None and fault not in FAULT_KINDS:
        raise ValueError(f"unknown fault {fault!r}; faults are {', '.join(FAULT_KINDS)}")
    status = _status(entry.get("status", 200))
    is_429 = status == 429
    raw = entry.get("raw")
    if raw is not None and not isinstance(raw, (str, bytes)):
        raise ValueError(f"raw must be str or bytes, not {type(raw).__name__}")
    action = Action(
        status=status,
        fault=fault,
        retry_after=_header_value(entry.get("retry_after", 1 if is_429 else None)),
        limit_type=entry.get("type", "service" if is_429 else None),
        body=entry.get("body", _UNSET),
        raw=raw.encode("latin-1") if isinstance(raw, str) else raw,
        delay=_seconds("delay", entry.get("delay", 0.0), allow_zero=True),
        interval=_seconds("interval", entry.get("interval", 1.0)),
        size=_count("size", entry.get("size", DEFAULT_OVERSIZED), 16, _MAX_OVERSIZED),
        content_length=_content_length(entry.get("content_length")),
    )
    return action, _count("times", entry.get("times", 1), 1, _MAX_TIMES)


def _status(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise ValueError(f"status must be an HTTP status (100-599), not {value!r}")
    return value


def _header_value(value: Any) -> str | None:
    # Anything goes, hostile values included, except what would break the HTTP framing.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"retry_after must be a number, a string or None, not {value!r}")
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if any(ord(char) < 32 or ord(char) > 255 for char in text):
        raise ValueError(f"retry_after {text!r} holds characters a header cannot carry")
    return text


def _seconds(name: str, value: Any, *, allow_zero: bool = False) -> float:
    number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero) or number > 3600:
        raise ValueError(f"{name} must be seconds in (0, 3600], not {value!r}")
    return number


def _count(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], not {value!r}")
    return value


def _content_length(value: Any) -> bool | int | None:
    if value is None or value is True:
        return value
    return _count("content_length", value, 0, _MAX_OVERSIZED)


class Faults:
    """Scripts and seeded random faults. Not thread-safe: the emulator holds its lock around it."""

    def __init__(self, config: EmulatorConfig) -> None:
        self._scripts: dict[str, deque[Action]] = {}
        self.configure(config)

    def configure(self, config: EmulatorConfig) -> None:
        self._config = config
        self._random = random.Random(config.seed)
        # Cumulative thresholds so one draw picks at most one fault.
        table: list[tuple[float, str]] = []
        total = 0.0
        for rate, kind in (
            (config.error_rate, "5xx"),
            (config.service_429_rate, "429"),
            (config.timeout_rate, "timeout"),
            (config.malformed_rate, "malformed"),
            (config.reset_rate, "reset"),
        ):
            if rate > 0:
                total += rate
                table.append((total, kind))
        if total > 1:
            raise ValueError(f"fault rates add up to {total:g} > 1")
        self._table = tuple(table)

    def reset(self) -> None:
        self._scripts.clear()
        self.configure(self._config)

    def script(self, operation: str, entries: Iterable[int | Mapping[str, Any]]) -> None:
        queue: list[Action] = []
        for entry in entries:  # parse everything first: a bad entry queues nothing
            action, times = parse_entry(entry)
            queue.extend([action] * times)
        self._scripts.setdefault(operation, deque()).extend(queue)

    def pending(self) -> dict[str, int]:
        return {operation: len(queue) for operation, queue in self._scripts.items() if queue}

    def next_action(self, operation: str) -> Action | None:
        """The scripted or random answer for this request, or None for a normal one."""
        if self._scripts:
            for name in (operation, "*"):
                queue = self._scripts.get(name)
                if queue:
                    return queue.popleft()
        if not self._table:
            return None
        draw = self._random.random()
        for threshold, kind in self._table:
            if draw < threshold:
                return self._random_action(kind)
        return None

    def latency(self) -> float:
        latency = self._config.latency
        if isinstance(latency, tuple):
            return self._random.uniform(*latency)
        return latency

    def _random_action(self, kind: str) -> Action:
        config = self._config
        if kind == "5xx":
            return Action(self._random.choice(config.error_statuses))
        if kind == "429":
            return Action(
                429, retry_after=_header_value(config.service_429_retry_after), limit_type=config.service_429_type
            )
        return Action(fault=kind)
