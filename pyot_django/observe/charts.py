"""Small SVG charts rendered on the server: no JavaScript, no CDN, readable without colour.

Each chart is an ``<svg class="pyot-chart" data-chart=…>`` whose bars and points
carry ``data-series`` / ``data-value`` (what the browser test reads) and whose
legend states the totals in words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["latency_bars", "line_chart", "series_color", "stacked_bars"]

WIDTH, HEIGHT = 1160, 190
LEFT, RIGHT, TOP, BOTTOM = 54, 12, 12, 26

_COLORS = {
    "Memory": "#3b82c4",
    "DjangoCache": "#e69b2c",
    "DjangoORM": "#4f9d4f",
    "RiotAPI": "#c8453c",
    "in-flight": "#8e5bb5",
    "none": "#8a8a8a",
    "application": "#c8453c",
    "method": "#e69b2c",
    "service": "#3b82c4",
    "other": "#8e5bb5",
}
_PALETTE = ("#3b82c4", "#e69b2c", "#4f9d4f", "#c8453c", "#8e5bb5", "#2aa6a6", "#b5651d", "#6b6b6b")


def series_color(name: str, index: int = 0) -> str:
    return _COLORS.get(name, _PALETTE[index % len(_PALETTE)])


def _frame(kind: str, title: str, body: list[str], y_ticks: list[tuple[float, str]], minutes: int) -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="pyot-chart" data-chart="{escape(kind)}" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction, label in y_ticks:
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#666">{escape(label)}</text>'
        )
    parts.extend(body)
    for offset in range(0, minutes + 1, 10):  # an x label every 10 minutes, "now" on the right
        x = LEFT + (WIDTH - LEFT - RIGHT) * (minutes - offset) / minutes
        label = "now" if offset == 0 else f"-{offset} min"
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#666">{label}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_bars(
    kind: str, title: str, series: Mapping[str, Sequence[float]], *, share: bool = False, unit: str = ""
) -> SafeString:
    """One bar per minute, stacked by series; ``share``: each bar scaled to 100 %."""
    names = list(series)
    width = max((len(values) for values in series.values()), default=60) or 60
    totals = [sum(series[name][i] for name in names) for i in range(width)]
    peak = 1.0 if share else max(max(totals, default=0), 1)
    step = (WIDTH - LEFT - RIGHT) / width
    plot_h = HEIGHT - TOP - BOTTOM
    body: list[str] = []
    for i in range(width):
        if not totals[i]:
            continue
        y = float(TOP + plot_h)
        for index, name in enumerate(names):
            value = series[name][i]
            if not value:
                continue
            height = plot_h * (value / totals[i] if share else value / peak)
            y -= height
            shown = f"{100 * value / totals[i]:.0f}%" if share else f"{value:g}{unit}"
            body.append(
                f'<rect x="{LEFT + i * step + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{height:.1f}" '
                f'fill="{series_color(name, index)}" data-series="{escape(name)}" data-value="{value:g}">'
                f"<title>{escape(name)}: {shown} (minute {i - width + 1})</title></rect>"
            )
    ticks = (
        [(f, f"{f * 100:.0f}%") for f in (0, 0.5, 1)] if share else [(f, _short(peak * f) + unit) for f in (0, 0.5, 1)]
    )
    return _frame(kind, title, body, ticks, width)


def line_chart(
    kind: str, title: str, series: Mapping[str, Sequence[float | None]], *, ceiling: float = 1.0
) -> SafeString:
    """Lines of fractions (0..ceiling) per minute; a dashed line marks 100 % (the limit)."""
    names = list(series)
    width = max((len(values) for values in series.values()), default=60) or 60
    top = max(ceiling, max((v for values in series.values() for v in values if v is not None), default=0))
    step = (WIDTH - LEFT - RIGHT) / width
    plot_h = HEIGHT - TOP - BOTTOM
    body: list[str] = []
    limit_y = TOP + plot_h * (1 - 1.0 / top)
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{limit_y:.1f}" y2="{limit_y:.1f}" '
        'stroke="#c8453c" stroke-dasharray="6 4"/>'
    )
    for index, name in enumerate(names):
        points = []
        for i, value in enumerate(series[name]):
            if value is None:
                continue
            x, y = LEFT + (i + 0.5) * step, TOP + plot_h * (1 - value / top)
            points.append((x, y, value))
        if not points:
            continue
        color = series_color(name, index)
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" data-series="{escape(name)}"/>'
        )
        for x, y, value in points:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}" data-series="{escape(name)}" '
                f'data-value="{value:.3f}">'
                f"<title>{escape(name)}: {value * 100:.0f}% of the limit</title></circle>"
            )
    ticks = (
        [(0, "0%"), (1.0 / top, "limit"), (1, f"{top * 100:.0f}%")]
        if top > 1.0
        else [(0, "0%"), (0.5, "50%"), (1, "100%")]
    )
    return _frame(kind, title, body, ticks, width)


def latency_bars(kind: str, title: str, latency: Mapping[str, Mapping[str, float]]) -> SafeString:
    """Per store: p50 and p95 as horizontal bars on a log scale (10 µs … 10 s)."""
    rows = list(latency.items())
    row_h = 26
    height = TOP + BOTTOM + row_h * max(len(rows), 1)
    low, high = math.log10(0.01), math.log10(10_000)
    plot_w = WIDTH - 170 - 260  # room on the right for the "p50 · p95 · n lookups" text

    def x_of(ms: float) -> float:
        return 170 + plot_w * (min(max(math.log10(max(ms, 0.01)), low), high) - low) / (high - low)

    parts = [
        f'<svg class="pyot-chart" data-chart="{escape(kind)}" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for ms, label in (
        (0.01, "10 µs"),
        (0.1, "100 µs"),
        (1, "1 ms"),
        (10, "10 ms"),
        (100, "100 ms"),
        (1000, "1 s"),
        (10_000, "10 s"),
    ):
        x = x_of(ms)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - BOTTOM}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#666">{label}</text>'
        )
    for row, (store, numbers) in enumerate(rows):
        y = TOP + row * row_h
        color = series_color(store, row)
        p50, p95 = float(numbers.get("p50_ms", 0)), float(numbers.get("p95_ms", 0))
        parts.append(f'<text x="8" y="{y + 17}" font-size="12" fill="#333">{escape(store)}</text>')
        parts.append(
            f'<rect x="170" y="{y + 4}" width="{x_of(p95) - 170:.1f}" height="18" fill="{color}" opacity="0.35" '
            f'data-series="{escape(store)} p95" data-value="{p95:g}">'
            f"<title>{escape(store)} p95 {p95:g} ms</title></rect>"
        )
        parts.append(
            f'<rect x="170" y="{y + 8}" width="{x_of(p50) - 170:.1f}" height="10" fill="{color}" '
            f'data-series="{escape(store)} p50" data-value="{p50:g}">'
            f"<title>{escape(store)} p50 {p50:g} ms</title></rect>"
        )
        parts.append(
            f'<text x="{x_of(p95) + 6:.1f}" y="{y + 17}" font-size="11" fill="#333">p50 {_ms(p50)} · p95 {_ms(p95)} · '
            f"{int(numbers.get('count', 0))} lookups</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} µs" if value < 1 else f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _short(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
