"""Request statistics the emulator keeps for tests and benchmarks (``GET /_emulator/stats``)."""

from __future__ import annotations

import time
from collections import Counter, deque
from contextvars import ContextVar
from typing import Any

__all__ = ["Stats", "arrived_in"]

# The stats epoch a request arrived in (set per request by the emulator's ASGI entry). A request
# still being answered when a test resets the emulator belongs to the test before: recording it
# after the reset would put a stray entry into the next test's log and counters.
_arrival_epoch: ContextVar[int | None] = ContextVar("pyot_emulator_arrival_epoch", default=None)


def arrived_in(stats: Stats) -> None:
    """Mark the running request (its task's context) as arriving in ``stats``' current epoch."""
    _arrival_epoch.set(stats.epoch)


class Stats:
    """Counters and a bounded request log. Not thread-safe: the emulator holds its lock around it."""

    def __init__(self, log_size: int = 10_000) -> None:
        self._log_size = log_size
        self.epoch = 0
        """Bumped by every :meth:`reset`; requests that arrived in an earlier epoch are not recorded."""
        self.reset()

    def reset(self, log_size: int | None = None) -> None:
        if log_size is not None:
            self._log_size = log_size
        self.epoch += 1
        self.total = 0
        self.by_operation: Counter[str] = Counter()
        self.by_status: Counter[tuple[str, int]] = Counter()
        self.rate_limited: Counter[str] = Counter()  # 429s by X-Rate-Limit-Type
        self.faults: Counter[str] = Counter()
        self.first_request_at: float | None = None
        self.last_success_at: float | None = None
        self.log: deque[dict[str, Any]] = deque(maxlen=self._log_size)

    def record(
        self,
        server: str,
        operation: str | None,
        status: int,
        *,
        limit_type: str | None = None,
        fault: str | None = None,
    ) -> None:
        """One answered (or deliberately unanswered: status 0) request."""
        arrived = _arrival_epoch.get()
        if arrived is not None and arrived != self.epoch:
            return  # it arrived before the last reset: it belongs to the stats that were reset
        now = time.time()
        if self.first_request_at is None:
            self.first_request_at = now
        name = operation or "-"
        self.total += 1
        self.by_operation[name] += 1
        self.by_status[(name, status)] += 1
        if limit_type is not None:
            self.rate_limited[limit_type] += 1
        if fault is not None:
            self.faults[fault] += 1
        elif 200 <= status < 300:
            self.last_success_at = now
        entry = {"t": now, "server": server, "operation": operation, "status": status, "fault": fault}
        self.log.append(entry)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-serialisable copy."""
        by_status: dict[str, dict[str, int]] = {}
        statuses: Counter[str] = Counter()
        for (operation, status), count in self.by_status.items():
            by_status.setdefault(operation, {})[str(status)] = count
            statuses[str(status)] += count
        rate_limited = {"application": 0, "method": 0, "service": 0, **self.rate_limited}
        return {
            "total": self.total,
            "by_operation": dict(self.by_operation),
            "by_status": by_status,
            "statuses": dict(statuses),
            "rate_limited": rate_limited,
            "faults": dict(self.faults),
            "first_request_at": self.first_request_at,
            "last_success_at": self.last_success_at,
            "log": list(self.log),
        }
