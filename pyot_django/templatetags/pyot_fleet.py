"""``{% pyot_fleet pipeline.name as fleet %}``: one pipeline's fleet numbers and charts.

Redis is read once per page render (the report is kept on the render context), so a
page with five pipelines costs one round trip, not five.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..observe.fleet_view import pipeline_panel

register = template.Library()

__all__ = ["pyot_fleet"]


@register.simple_tag(takes_context=True)
def pyot_fleet(context: template.Context, name: str) -> dict[str, Any] | None:
    cache = context.render_context
    if "pyot_fleet_report" not in cache:
        from ..observe.fleet_read import read_fleet

        cache["pyot_fleet_report"] = read_fleet()
    return pipeline_panel(cache["pyot_fleet_report"], name)
