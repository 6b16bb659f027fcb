"""Reading the fleet counters back: per pipeline, per minute, for the last hour.

``read_fleet()`` does two round trips (one pipelined ``HGETALL`` per minute, one
``ZRANGE`` per minute) and shapes the numbers for the admin charts and
``pyot_pipelines --json``; ``None`` when no shared store is configured.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .conf import read_config
from .fleet import LATENCY_BOUNDS_MS, fleet_redis

__all__ = ["FleetReport", "PipelineFleet", "percentile_ms", "read_fleet", "with_fleet"]

MINUTES = 60
_BUDGET_SERIES = 8  # the busiest scopes only: a chart with 40 lines is read by nobody


@dataclass
class PipelineFleet:
    """One pipeline's numbers; every list has one value per minute, oldest first."""

    name: str
    lookups: int = 0
    by_store: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    answered: dict[str, list[int]] = field(default_factory=dict)  # store -> lookups per minute
    latency: dict[str, dict[str, float | int]] = field(default_factory=dict)  # store -> count, p50_ms, p95_ms
    riot_statuses: dict[str, int] = field(default_factory=dict)
    riot_requests: list[int] = field(default_factory=list)
    rate_limited: dict[str, list[int]] = field(default_factory=dict)  # X-Rate-Limit-Type -> per minute
    rate_limited_total: int = 0
    limiter_requests: list[int] = field(default_factory=list)
    limiter_wait_ms: list[float] = field(default_factory=list)
    limiter_wait_total_s: float = 0.0
    budget: dict[str, dict[str, Any]] = field(default_factory=dict)  # scope label -> limit, used per minute
    cache_errors: dict[str, int] = field(default_factory=dict)


@dataclass
class FleetReport:
    where: str
    minutes: list[int]  # epoch minutes, oldest first
    pipelines: dict[str, PipelineFleet]
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "error": self.error,
            "minutes": self.minutes,
            "pipelines": {name: asdict(fleet) for name, fleet in self.pipelines.items()},
        }


def percentile_ms(buckets: list[int], quantile: float) -> float:
    """The ``quantile`` of a latency histogram over :data:`LATENCY_BOUNDS_MS` (linear within a bucket)."""
    total = sum(buckets)
    if not total:
        return 0.0
    rank = quantile * total
    seen = 0
    for index, count in enumerate(buckets):
        if count and seen + count >= rank:
            lower = LATENCY_BOUNDS_MS[index - 1] if index else 0.0
            upper = LATENCY_BOUNDS_MS[index] if index < len(LATENCY_BOUNDS_MS) else LATENCY_BOUNDS_MS[-1] * 2
            return lower + (upper - lower) * (rank - seen) / count
        seen += count
    return float(LATENCY_BOUNDS_MS[-1])


def _decode(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def read_fleet(names: list[str] | None = None, minutes: int = MINUTES) -> FleetReport | None:
    """The fleet's numbers for the last ``minutes`` minutes; None if no shared store is configured."""
    found = fleet_redis(read_config())
    if found is None:
        return None
    connect, where = found
    prefix = read_config().key_prefix
    now = int(time.time()) // 60
    span = list(range(now - minutes + 1, now + 1))
    try:
        client = connect()
        pipe = client.pipeline(transaction=False)
        for minute in span:
            pipe.hgetall(f"{prefix}:{minute}")
        for minute in span:
            pipe.zrange(f"{prefix}:{minute}:budget", 0, -1, withscores=True)
        replies = pipe.execute()
    except Exception as exc:
        return FleetReport(where, span, {}, error=f"{type(exc).__name__}: {exc}")
    hashes, budgets = replies[: len(span)], replies[len(span) :]
    report = FleetReport(where, span, {})
    latency: dict[tuple[str, str], list[int]] = {}
    for position, raw in enumerate(hashes):
        for raw_field, raw_amount in raw.items():
            _add_field(report, latency, names, position, _decode(raw_field).split("|"), int(raw_amount))
    for position, members in enumerate(budgets):
        for raw_member, score in members:
            _add_budget(report, names, position, _decode(raw_member).split("|"), int(score))
    for (pipeline, store), buckets in latency.items():
        report.pipelines[pipeline].latency[store] = {
            "count": sum(buckets),
            "p50_ms": round(percentile_ms(buckets, 0.50), 3),
            "p95_ms": round(percentile_ms(buckets, 0.95), 3),
        }
    for fleet in report.pipelines.values():
        busiest = sorted(
            fleet.budget.items(), key=lambda item: -max((u or 0) for u in item[1]["used"]) / item[1]["limit"]
        )
        fleet.budget = dict(busiest[:_BUDGET_SERIES])
    return report


def _pipeline(report: FleetReport, names: list[str] | None, name: str) -> PipelineFleet | None:
    if names is not None and name not in names:
        return None
    fleet = report.pipelines.get(name)
    if fleet is None:
        width = len(report.minutes)
        fleet = report.pipelines[name] = PipelineFleet(
            name, riot_requests=[0] * width, limiter_requests=[0] * width, limiter_wait_ms=[0.0] * width
        )
    return fleet


def _add_field(
    report: FleetReport,
    latency: dict[tuple[str, str], list[int]],
    names: list[str] | None,
    position: int,
    parts: list[str],
    amount: int,
) -> None:
    if len(parts) < 2:
        return
    kind, fleet = parts[0], _pipeline(report, names, parts[1])
    if fleet is None:
        return
    width = len(report.minutes)
    if kind == "L" and len(parts) == 4:
        store, outcome = parts[2], parts[3]
        fleet.lookups += amount
        fleet.by_store[store] = fleet.by_store.get(store, 0) + amount
        fleet.by_outcome[outcome] = fleet.by_outcome.get(outcome, 0) + amount
        fleet.answered.setdefault(store, [0] * width)[position] += amount
    elif kind == "T" and len(parts) == 4 and parts[3].isdigit():
        slot = int(parts[3])
        buckets = latency.setdefault((parts[1], parts[2]), [0] * (len(LATENCY_BOUNDS_MS) + 1))
        if slot < len(buckets):
            buckets[slot] += amount
    elif kind == "R" and len(parts) == 3:
        fleet.riot_statuses[parts[2]] = fleet.riot_statuses.get(parts[2], 0) + amount
        fleet.riot_requests[position] += amount
    elif kind == "Q" and len(parts) == 3:
        fleet.rate_limited.setdefault(parts[2], [0] * width)[position] += amount
        fleet.rate_limited_total += amount
    elif kind == "N":
        fleet.limiter_requests[position] += amount
    elif kind == "W":
        fleet.limiter_wait_ms[position] += amount / 1000.0
        fleet.limiter_wait_total_s += amount / 1_000_000
    elif kind == "E" and len(parts) == 3:
        fleet.cache_errors[parts[2]] = fleet.cache_errors.get(parts[2], 0) + amount


def _add_budget(report: FleetReport, names: list[str] | None, position: int, parts: list[str], count: int) -> None:
    if len(parts) != 6 or not parts[5].isdigit() or not int(parts[5]):
        return
    fleet = _pipeline(report, names, parts[0])
    if fleet is None:
        return
    _, scope, server, operation, window, limit = parts
    label = f"app {server} per {window}s" if scope == "app" else f"method {server} {operation} per {window}s"
    series = fleet.budget.setdefault(label, {"scope": scope, "limit": int(limit), "used": [None] * len(report.minutes)})
    series["limit"] = max(series["limit"], int(limit))
    previous = series["used"][position]
    series["used"][position] = count if previous is None else max(previous, count)


def with_fleet(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pyot_pipelines --json`` rows with a ``fleet`` entry each (None: no shared store configured).

    ``fleet``: ``where`` (the Redis), ``error``, ``minutes`` and the pipeline's numbers
    (see :class:`PipelineFleet`).
    """
    report = read_fleet([row["name"] for row in rows])
    for row in rows:
        if report is None:
            row["fleet"] = None
            continue
        fleet = report.pipelines.get(row["name"]) or PipelineFleet(row["name"])
        row["fleet"] = {"where": report.where, "error": report.error, "minutes": report.minutes, **asdict(fleet)}
    return rows
