"""Inline SVG charts for the report: plain SVG strings, readable without JavaScript.

Each function returns one ``<svg>`` element as a string with every text escaped; the
template inserts it as is. Colours come from the report's stylesheet classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

__all__ = ["Bar", "TimelinePoint", "run_bars", "timeline"]


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """An outlet's copy of a story at ``moment``; ``original`` marks the canonical."""

    outlet: str
    moment: datetime
    original: bool
    label: str


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def timeline(points: Sequence[TimelinePoint], *, width: int = 640, row: int = 22) -> str:
    """One row per outlet, a dot at each copy's time (publication, else first seen),
    the original's dot filled; the axis spans the earliest to the latest."""
    if not points:
        return ""
    outlets = list(dict.fromkeys(point.outlet for point in points))
    label_width = min(180, 8 + 7 * max(len(name) for name in outlets))
    start = min(point.moment for point in points)
    end = max(point.moment for point in points)
    span = max((end - start).total_seconds(), 1.0)
    plot = width - label_width - 20
    height = row * len(outlets) + 28
    parts = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="timeline of the story across {len(outlets)} outlets">']
    for index, outlet in enumerate(outlets):
        y = 14 + index * row
        parts.append(f'<text x="0" y="{y + 4}" class="axis">{escape(outlet[:24])}</text>')
        parts.append(f'<line x1="{label_width}" y1="{y}" x2="{label_width + plot}" y2="{y}" '
                     'class="grid"/>')
    for point in points:
        x = label_width + plot * (point.moment - start).total_seconds() / span
        y = 14 + outlets.index(point.outlet) * row
        kind = "original" if point.original else "copy"
        parts.append(f'<circle cx="{_fmt(x)}" cy="{y}" r="5" class="{kind}">'
                     f'<title>{escape(point.label)}</title></circle>')
    bottom = height - 6
    parts.append(f'<text x="{label_width}" y="{bottom}" class="axis">'
                 f'{start:%Y-%m-%d %H:%M}</text>')
    if end > start:
        parts.append(f'<text x="{label_width + plot}" y="{bottom}" class="axis" '
                     f'text-anchor="end">{end:%Y-%m-%d %H:%M} UTC</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Bar:
    """One run (or a group of runs): its height, whether it failed, its tooltip."""

    value: int
    second: int
    failed: int
    label: str


def run_bars(bars: Sequence[Bar], *, width: int = 640, height: int = 90) -> str:
    """Pages fetched per run as bars (a failed run's bar marked failed), new articles as
    an inner bar; oldest on the left."""
    if not bars:
        return ""
    top = max(max(bar.value, bar.second) for bar in bars) or 1
    step = min(width / len(bars), 24.0)
    gap = 1 if step > 3 else 0
    plot = height - 16
    parts = [f'<svg class="runs" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{len(bars)} runs: pages fetched and new articles">']
    for index, bar in enumerate(bars):
        x = index * step
        w = max(step - gap, 1)
        kind = "failed" if bar.failed else "success"
        h = max(plot * bar.value / top, 2)
        # Whole pixels: a report holds thousands of bars, and their size is its size.
        parts.append(f'<rect x="{x:.0f}" y="{plot - h:.0f}" width="{w:.0f}" height="{h:.0f}" '
                     f'class="{kind}"><title>{escape(bar.label)}</title></rect>')
        if bar.second:
            inner = max(plot * bar.second / top, 1)
            parts.append(f'<rect x="{x + w / 4:.0f}" y="{plot - inner:.0f}" width="{w / 2:.0f}" '
                         f'height="{inner:.0f}" class="new"/>')
    parts.append(f'<text x="0" y="{height - 2}" class="axis">max {top} pages</text>')
    parts.append("</svg>")
    return "".join(parts)
