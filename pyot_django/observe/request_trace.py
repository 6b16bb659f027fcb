"""The pipeline trace of a request: which store supplied each lookup, and how fast.

Reusable parts (the testproject uses them):

- ``with traced(request):`` around a view's lookups records them on the request;
- the context processor ``pyot_django.observe.request_trace.pipeline_trace`` hands the
  rows to every template (error pages included, they render with the same request);
- ``{% include "pyot_django/trace.html" %}`` shows them.

:func:`trace_rows` turns any :class:`~pyot_django.pipeline.trace.Trace` into rows; the
debug-toolbar panel (:mod:`.toolbar`) uses it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.http import HttpRequest

from ..pipeline.trace import LookupRecord, Trace, trace_lookups

__all__ = ["TraceRow", "pipeline_trace", "trace_rows", "traced"]


@dataclass(frozen=True)
class TraceRow:
    method: str
    server: str
    store: str  # "Memory", "DjangoCache", "DjangoORM", "RiotAPI", "in-flight lookup" or "error"
    ms: float
    error: str | None
    pipeline: str = ""
    key: str = ""
    misses: tuple[str, ...] = ()  # the stores asked before the one that answered
    shared: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "misses": list(self.misses)}


def _misses(record: LookupRecord) -> tuple[str, ...]:
    if record.store_index is None or record.shared:
        return ()
    from ..pipeline import pipelines

    try:
        stores = pipelines[record.pipeline].stores
    except Exception:  # the registry changed since the lookup: the row still shows the rest
        return ()
    return tuple(store.name for store in stores[: record.store_index])


def trace_rows(trace: Trace) -> list[TraceRow]:
    return [
        TraceRow(
            method=record.method,
            server=record.server,
            store=record.store_name or "error",
            ms=record.seconds * 1000,
            error=record.error,
            pipeline=record.pipeline,
            key=record.key,
            misses=_misses(record),
            shared=record.shared,
        )
        for record in trace.records
    ]


_ATTRIBUTE = "pyot_trace"
"""Where :func:`traced` keeps the request's trace (an attribute Django's HttpRequest does not declare)."""


@contextmanager
def traced(request: HttpRequest) -> Iterator[Trace]:
    """Record the lookups of the block (and of the tasks it gathers) on ``request``."""
    with trace_lookups() as trace:
        setattr(request, _ATTRIBUTE, trace)
        yield trace


def pipeline_trace(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``trace_rows`` and ``trace_summary`` (store → count) of ``request``."""
    trace: Trace | None = getattr(request, _ATTRIBUTE, None)
    if trace is None:
        return {"trace_rows": [], "trace_summary": {}}
    return {"trace_rows": trace_rows(trace), "trace_summary": trace.by_store()}
