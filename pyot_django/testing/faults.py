"""What the emulator does to a request besides answering it: scripts, random faults, latency.

A *script* is a queue of answers for one operation (or ``"*"`` for any), consumed in
order by the next matching requests that pass auth and rate limiting; an operation's
own queue goes before ``"*"``. Entries are a status (``503``, ``200``) or a dict:

- ``{"status": 429, "retry_after": 2, "type": "service"}`` (``retry_after`` None: no header);
- ``{"status": 200, "body": {...}}`` answers that body instead of generated data;
- ``{"fault": "timeout" | "reset" | "malformed"}``;
- any entry may add ``"delay": seconds``.

Without a script entry, random faults are drawn from ``random.Random(config.seed)``
with one draw per request, so a seeded run is reproducible request by request.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyot_django.testing.config import EmulatorConfig

__all__ = ["FAULT_KINDS", "Action", "Faults", "parse_action"]

FAULT_KINDS = ("timeout", "reset", "malformed")
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Action:
    """One non-default answer: a status with Riot's body, or a transport-level fault."""

    status: int = 200
    fault: str | None = None  # one of FAULT_KINDS
    retry_after: int | None = None
    limit_type: str | None = None  # X-Rate-Limit-Type of a 429
    body: Any = _UNSET  # replaces the generated (or error) body
    delay: float = 0.0

    @property
    def has_body(self) -> bool:
        return self.body is not _UNSET


def parse_action(entry: int | Mapping[str, Any]) -> Action:
    """A script entry (see module docstring) as an ``Action``."""
    if isinstance(entry, int):
        if entry == 429:
            return Action(429, retry_after=1, limit_type="service")
        return Action(entry)
    entry = dict(entry)
    unknown = set(entry) - {"status", "fault", "retry_after", "type", "body", "delay"}
    if unknown:
        raise ValueError(f"unknown script entry key(s): {', '.join(sorted(unknown))}")
    fault = entry.get("fault")
    if fault is not None and fault not in FAULT_KINDS:
        raise ValueError(f"unknown fault {fault!r}; faults are {', '.join(FAULT_KINDS)}")
    status = int(entry.get("status", 200))
    is_429 = status == 429
    return Action(
        status=status,
        fault=fault,
        retry_after=entry.get("retry_after", 1 if is_429 else None),
        limit_type=entry.get("type", "service" if is_429 else None),
        body=entry.get("body", _UNSET),
        delay=float(entry.get("delay", 0.0)),
    )


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
        self._scripts.setdefault(operation, deque()).extend(parse_action(entry) for entry in entries)

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
            return Action(429, retry_after=config.service_429_retry_after, limit_type=config.service_429_type)
        return Action(fault=kind)
