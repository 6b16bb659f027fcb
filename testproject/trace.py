"""The pipeline trace on every page: which store supplied each lookup, and how fast.

A view wraps its lookups in ``traced(request)``; the ``pipeline_trace`` context
processor hands the records to every template (error pages included, since they are
rendered with the same request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from pyot_django.pipeline.trace import Trace, trace_lookups

__all__ = ["TraceRow", "pipeline_trace", "traced"]


@dataclass(frozen=True)
class TraceRow:
    method: str
    server: str
    store: str  # "Memory", "DjangoCache", "DjangoORM", "RiotAPI", "in-flight lookup" or "error"
    ms: float
    error: str | None


@contextmanager
def traced(request: HttpRequest) -> Iterator[Trace]:
    """Record the lookups of the block (and of the tasks it gathers) on ``request``."""
    with trace_lookups() as trace:
        request.pyot_trace = trace  # type: ignore[attr-defined]
        yield trace


def pipeline_trace(request: HttpRequest) -> dict[str, Any]:
    trace: Trace | None = getattr(request, "pyot_trace", None)
    if trace is None:
        return {"trace_rows": [], "trace_summary": {}}
    rows = [
        TraceRow(
            method=record.method,
            server=record.server,
            store=record.store_name or "error",
            ms=record.seconds * 1000,
            error=record.error,
        )
        for record in trace.records
    ]
    return {"trace_rows": rows, "trace_summary": trace.by_store()}
