"""A django-debug-toolbar panel: the request's pipeline lookups.

::

    DEBUG_TOOLBAR_PANELS = [..., "pyot_django.observe.toolbar.PipelinePanel"]

For each lookup: pipeline, operation, server, cache key, the store that answered, the
stores that missed before it, time, and whether it was shared with a concurrent
caller's in-flight lookup. Works for sync and async views.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from debug_toolbar.panels import Panel
from django.template.loader import render_to_string

from ..pipeline.trace import Trace, current_trace
from .request_trace import trace_rows

__all__ = ["PipelinePanel"]


class PipelinePanel(Panel):
    is_async = True
    title = "Pyot pipelines"
    template = "pyot_django/toolbar_panel.html"

    if TYPE_CHECKING:
        # Panel leaves these unannotated (a checker would take every call to them as untyped).
        def get_stats(self) -> dict[str, Any]: ...

        def record_stats(self, stats: dict[str, Any]) -> None: ...

    def nav_subtitle(self) -> str:
        rows = self.get_stats().get("rows", [])
        fetched = sum(1 for row in rows if row["store"] == "RiotAPI")
        return f"{len(rows)} lookup{'s' if len(rows) != 1 else ''}, {fetched} from Riot"

    def process_request(self, request: Any) -> Any:
        trace = self._trace = Trace(parent=current_trace.get())
        reset = current_trace.set(trace)
        panel_process_request: Callable[[Any], Any] = super().process_request  # unannotated in Panel
        response = panel_process_request(request)
        if not inspect.isawaitable(response):
            current_trace.reset(reset)
            return response

        async def finish() -> Any:
            try:
                return await response
            finally:
                try:
                    current_trace.reset(reset)
                except ValueError:  # awaited in another context: nothing of ours is left set there
                    pass

        return finish()

    def generate_stats(self, request: Any, response: Any) -> None:
        trace = getattr(self, "_trace", None)
        rows = [row.as_dict() for row in trace_rows(trace)] if trace is not None else []
        self.record_stats({"rows": rows, "summary": trace.by_store() if trace is not None else {}})

    @property
    def content(self) -> str:
        stats = self.get_stats()
        return render_to_string(self.template, {"rows": stats.get("rows", []), "summary": stats.get("summary", {})})
