"""Prometheus metrics (``pip install 'pyot_django[metrics]'``), in the default registry.

Names and labels (also in README "Metrics"):

========================================  =========  =======================================
metric                                    type       labels
========================================  =========  =======================================
``pyot_lookups_total``                    counter    pipeline, store, outcome
``pyot_lookup_duration_seconds``          histogram  pipeline, store
``pyot_cache_errors_total``               counter    pipeline, store, action
``pyot_riot_requests_total``              counter    pipeline, operation, server, status
``pyot_riot_request_duration_seconds``    histogram  pipeline, operation
``pyot_riot_rate_limited_total``          counter    pipeline, operation, server, type
``pyot_riot_budget_used``                 gauge      pipeline, scope, server, operation, window
``pyot_riot_budget_limit``                gauge      pipeline, scope, server, operation, window
``pyot_limiter_wait_seconds``             histogram  pipeline, server, operation
========================================  =========  =======================================

``store`` is the store that answered (``Memory``, ``DjangoCache``, ``DjangoORM``,
``RiotAPI``…; ``in-flight`` when another caller's lookup was shared, ``none`` when
nobody answered); ``outcome`` one of ``hit`` ``fetched`` ``shared`` ``not_found``
``error``. ``scope`` is ``app`` (``operation`` is then ``*``) or ``method``;
``window`` the limit's seconds; the budget gauges hold the last ``X-*-Rate-Limit-Count``
and ``X-*-Rate-Limit`` Riot sent (``mostrecent`` across processes). ``type`` is
``X-Rate-Limit-Type`` (``application``, ``method``, ``service``; ``other`` for any other
value, so a garbled header cannot grow the label set; ``none`` if absent).

Under gunicorn or Celery prefork set ``PROMETHEUS_MULTIPROC_DIR`` before the processes
start (prometheus_client's multiprocess mode); :mod:`.views` then aggregates the files.
Lookups, Riot answers and limiter waits are added up in memory and moved into the
metrics every second (and before a scrape of the same process, and at exit): a Memory
hit pays one dict update, a Riot answer two and a few header look-ups.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

from .events import Subscriber, limit_type_of
from .flusher import Periodic, _Process
from .metrics_headers import budget_windows

__all__ = ["FLUSH_SECONDS", "METRIC_NAMES", "PrometheusSubscriber", "flush_metrics", "metrics"]

#: How far behind the lookup counters may be (they are added up in memory first).
FLUSH_SECONDS = 1.0

_LOOKUP_BUCKETS = (0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_RIOT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_WAIT_BUCKETS = (0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)
_CHILDREN_MAX = 4096
"""Labelled metric children a subscriber remembers (label sets are few: pipelines x operations x servers)."""

METRIC_NAMES = (
    "pyot_lookups_total",
    "pyot_lookup_duration_seconds",
    "pyot_cache_errors_total",
    "pyot_riot_requests_total",
    "pyot_riot_request_duration_seconds",
    "pyot_riot_rate_limited_total",
    "pyot_riot_budget_used",
    "pyot_riot_budget_limit",
    "pyot_limiter_wait_seconds",
)


class _Metrics:
    """The metric objects, created once per process (prometheus_client refuses duplicates)."""

    def __init__(self) -> None:
        from prometheus_client import Counter, Gauge, Histogram

        self.lookups = Counter(
            "pyot_lookups", "Pipeline lookups by the store that answered.", ["pipeline", "store", "outcome"]
        )
        self.lookup_seconds = Histogram(
            "pyot_lookup_duration_seconds",
            "Lookup time by the store that answered.",
            ["pipeline", "store"],
            buckets=_LOOKUP_BUCKETS,
        )
        self.cache_errors = Counter(
            "pyot_cache_errors", "Cache store failures (each counted as a miss).", ["pipeline", "store", "action"]
        )
        self.riot_requests = Counter(
            "pyot_riot_requests", "Answers from the Riot API by status.", ["pipeline", "operation", "server", "status"]
        )
        self.riot_seconds = Histogram(
            "pyot_riot_request_duration_seconds",
            "Riot API request time.",
            ["pipeline", "operation"],
            buckets=_RIOT_BUCKETS,
        )
        self.rate_limited = Counter(
            "pyot_riot_rate_limited", "429 answers by X-Rate-Limit-Type.", ["pipeline", "operation", "server", "type"]
        )
        scope_labels = ["pipeline", "scope", "server", "operation", "window"]
        self.budget_used = Gauge(
            "pyot_riot_budget_used",
            "Requests counted by Riot in the window (last X-*-Rate-Limit-Count).",
            scope_labels,
            multiprocess_mode="mostrecent",
        )
        self.budget_limit = Gauge(
            "pyot_riot_budget_limit",
            "The window's limit (last X-*-Rate-Limit).",
            scope_labels,
            multiprocess_mode="mostrecent",
        )
        self.limiter_wait = Histogram(
            "pyot_limiter_wait_seconds",
            "Time a request waited for the rate limiter.",
            ["pipeline", "server", "operation"],
            buckets=_WAIT_BUCKETS,
        )


def _observe_many(histogram: Any, slot: int, count: int, total: float) -> None:
    """``count`` observations summing to ``total`` that all fell into bucket ``slot``."""
    buckets, sum_value = getattr(histogram, "_buckets", None), getattr(histogram, "_sum", None)
    if buckets is not None and sum_value is not None and slot < len(buckets):
        buckets[slot].inc(count)  # what Histogram.observe does, ``count`` times at once
        sum_value.inc(total)
        return
    value = total / count  # another prometheus_client: observe the mean, count times
    for _ in range(count):
        histogram.observe(value)


def _count(buffer: dict[Any, list[float]], slot: Any, seconds: float) -> None:
    """One observation into a flush buffer: ``[count, sum]`` per labels and bucket (lock held)."""
    entry = buffer.get(slot)
    if entry is None:
        buffer[slot] = [1, seconds]
    else:
        entry[0] += 1
        entry[1] += seconds


_subscribers: weakref.WeakSet[PrometheusSubscriber] = weakref.WeakSet()


def flush_metrics() -> None:
    """Move this process's buffered lookup counts into the metrics (the view calls it)."""
    for subscriber in list(_subscribers):
        subscriber.flush()


_metrics: _Metrics | None = None
_metrics_lock = threading.Lock()


def metrics() -> _Metrics:
    """This process's metric objects (created on first use)."""
    global _metrics
    if _metrics is None:
        with _metrics_lock:
            if _metrics is None:
                _metrics = _Metrics()
    return _metrics


class PrometheusSubscriber(Subscriber):
    """Feeds the metrics.

    Lookups and Riot answers are the hot path (a Memory hit is a few µs; at the rate
    limit every answer's CPU delays the next window): each one adds to a dict under a
    lock, keyed by labels and histogram bucket, and :meth:`flush` moves the sums into
    the metrics — every :data:`FLUSH_SECONDS` from a thread, before a scrape of this
    process, and at exit. The budget gauges keep the last answer's raw headers per
    scope, parsed at the flush. Cache errors and 429s are rare and go straight to the
    metrics.
    """

    def __init__(self) -> None:
        self.m = metrics()
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pending: dict[tuple[str, str, str, int], list[float]] = {}
        self._answers: dict[tuple[str, str, str, int, int], list[float]] = {}
        self._waits: dict[tuple[str, str, str, int], list[float]] = {}
        self._app_budgets: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._method_budgets: dict[tuple[str, str, str], tuple[str | None, str | None]] = {}
        self._children: dict[tuple[str, str, str, int], tuple[Any, Any]] = {}
        self._budget: dict[tuple[str, str, str, str, int], tuple[Any, Any]] = {}
        self._periodic = Periodic(self.flush, FLUSH_SECONDS, "pyot-metrics-flush")
        _subscribers.add(self)

    def _forked(self) -> None:
        # Locks held by a thread of the parent stay held here.
        self._lock, self._flushing = threading.Lock(), threading.Lock()
        self._pending, self._answers, self._waits = {}, {}, {}
        self._app_budgets, self._method_budgets = {}, {}

    def lookup_done(
        self,
        pipeline: str,
        operation: str,
        server: str,
        key: str,
        store_index: int | None,
        store: str,
        outcome: str,
        seconds: float,
        shared: bool,
    ) -> None:
        if self._periodic.pid != _Process.generation:
            self._periodic.ensure(self._forked)
        slot = (pipeline, store, outcome, bisect_left(_LOOKUP_BUCKETS, seconds))
        with self._lock:
            _count(self._pending, slot, seconds)

    def flush(self) -> None:
        with self._flushing:  # the flush at exit waits for the thread's (see FleetCounters.flush)
            with self._lock:
                pending, self._pending = self._pending, {}
                answers, self._answers = self._answers, {}
                waits, self._waits = self._waits, {}
                app_budgets, self._app_budgets = self._app_budgets, {}
                method_budgets, self._method_budgets = self._method_budgets, {}
            m = self.m
            for (pipeline, store, outcome, slot), (count, total) in pending.items():
                m.lookups.labels(pipeline, store, outcome).inc(count)
                _observe_many(m.lookup_seconds.labels(pipeline, store), slot, int(count), total)
            for (pipeline, operation, server, status, slot), (count, total) in answers.items():
                requests, timings = self._riot_children(pipeline, operation, server, status)
                requests.inc(count)
                _observe_many(timings, slot, int(count), total)
            for (pipeline, server, operation, slot), (count, total) in waits.items():
                _observe_many(m.limiter_wait.labels(pipeline, server, operation), slot, int(count), total)
            for (pipeline, server), (limits, counts) in app_budgets.items():
                self._set_budget(pipeline, "app", server, "*", limits, counts)
            for (pipeline, server, operation), (limits, counts) in method_budgets.items():
                self._set_budget(pipeline, "method", server, operation, limits, counts)

    def close(self) -> None:
        self._periodic.stop()

    def riot_response(
        self, pipeline: str, operation: str, server: str, status: int, headers: Mapping[str, str], seconds: float
    ) -> None:
        slot = (pipeline, operation, server, status, bisect_left(_RIOT_BUCKETS, seconds))
        app = (headers.get("x-app-rate-limit"), headers.get("x-app-rate-limit-count"))
        method = (headers.get("x-method-rate-limit"), headers.get("x-method-rate-limit-count"))
        with self._lock:
            _count(self._answers, slot, seconds)
            if app[1] is not None:
                self._app_budgets[(pipeline, server)] = app
            if method[1] is not None:
                self._method_budgets[(pipeline, server, operation)] = method
        if status == 429:
            self.m.rate_limited.labels(pipeline, operation, server, limit_type_of(headers)).inc()

    def _riot_children(self, pipeline: str, operation: str, server: str, status: int) -> tuple[Any, Any]:
        children = self._children.get((pipeline, operation, server, status))
        if children is not None:
            return children
        m = self.m
        children = (
            m.riot_requests.labels(pipeline, operation, server, str(status)),
            m.riot_seconds.labels(pipeline, operation),
        )
        if len(self._children) < _CHILDREN_MAX:
            self._children[(pipeline, operation, server, status)] = children
        return children

    def _set_budget(
        self, pipeline: str, scope: str, server: str, operation: str, limits: str | None, counts: str | None
    ) -> None:
        prefix = "x-app-rate-limit" if scope == "app" else "x-method-rate-limit"
        headers = {prefix: limits or "", f"{prefix}-count": counts or ""}
        for _, window, count, limit in budget_windows(headers):
            key = (pipeline, scope, server, operation, window)
            gauges = self._budget.get(key)
            if gauges is None:
                labels = (pipeline, scope, server, operation, str(window))
                gauges = (self.m.budget_used.labels(*labels), self.m.budget_limit.labels(*labels))
                if len(self._budget) < _CHILDREN_MAX:
                    self._budget[key] = gauges
            gauges[0].set(count)
            gauges[1].set(limit)

    def limiter_waited(self, pipeline: str, server: str, operation: str, seconds: float) -> None:
        slot = (pipeline, server, operation, bisect_left(_WAIT_BUCKETS, seconds))
        with self._lock:
            _count(self._waits, slot, seconds)

    def cache_error(self, pipeline: str, store_index: int, store: str, action: str, exc: BaseException) -> None:
        self.m.cache_errors.labels(pipeline, store, action).inc()
