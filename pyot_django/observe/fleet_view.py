"""A pipeline's fleet numbers shaped for the admin page: the charts and the sentences beside them."""

from __future__ import annotations

from typing import Any

from .charts import latency_bars, line_chart, series_color, stacked_bars
from .fleet_read import FleetReport, PipelineFleet

__all__ = ["pipeline_panel"]

_STORE_ORDER = ("Memory", "DjangoCache", "DjangoORM", "RiotAPI", "in-flight", "none")


def _ordered(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: (_STORE_ORDER.index(name) if name in _STORE_ORDER else 99, name))


def pipeline_panel(report: FleetReport | None, name: str) -> dict[str, Any] | None:
    """What ``admin/pyot_django/_fleet.html`` shows for ``name``; None: no shared store configured."""
    if report is None:
        return None
    fleet = report.pipelines.get(name) or PipelineFleet(name)
    width = len(report.minutes)
    stores = _ordered(list(fleet.answered))
    legend = [
        {
            "name": store,
            "color": series_color(store, index),
            "count": fleet.by_store.get(store, 0),
            "share": 100 * fleet.by_store.get(store, 0) / fleet.lookups if fleet.lookups else 0,
        }
        for index, store in enumerate(stores)
    ]
    budget = {
        label: [None if used is None else used / series["limit"] for used in series["used"]]
        for label, series in fleet.budget.items()
    }
    budget_legend = [
        {
            "name": label,
            "color": series_color(label, index),
            "limit": series["limit"],
            "peak": max((u for u in series["used"] if u is not None), default=0),
        }
        for index, (label, series) in enumerate(fleet.budget.items())
    ]
    types = sorted(fleet.rate_limited)
    return {
        "where": report.where,
        "error": report.error,
        "fleet": fleet,
        "legend": legend,
        "share_chart": stacked_bars(
            "share",
            f"{name}: share of lookups answered by each store, per minute",
            {store: fleet.answered[store] for store in stores},
            share=True,
        ),
        "budget_chart": line_chart("budget", f"{name}: Riot budget used per scope, share of its limit", budget)
        if budget
        else None,
        "budget_legend": budget_legend,
        "rate_limited_chart": stacked_bars(
            "rate-limited",
            f"{name}: 429 answers per minute by X-Rate-Limit-Type",
            {kind: fleet.rate_limited[kind] for kind in types} or {"none": [0] * width},
        ),
        "rate_limited_legend": [
            {"name": kind, "color": series_color(kind, i), "count": sum(fleet.rate_limited[kind])}
            for i, kind in enumerate(types)
        ],
        "wait_chart": stacked_bars(
            "limiter-wait",
            f"{name}: time waited in the rate limiter per minute",
            {"waited": [round(ms / 1000, 3) for ms in fleet.limiter_wait_ms] or [0] * width},
            unit=" s",
        ),
        "latency_chart": latency_bars(
            "latency",
            f"{name}: p50 and p95 lookup time by the store that answered",
            {store: fleet.latency[store] for store in _ordered(list(fleet.latency))},
        )
        if fleet.latency
        else None,
        "limiter_requests": sum(fleet.limiter_requests),
        "riot_requests": sum(fleet.riot_requests),
    }
