"""Charts drawn on the server as SVG: a bar chart and a line chart (trend by month).

Our own small code, no JavaScript. Each chart is an accessible image (role="img", a
<title> and a <desc> that says what it shows) with its values written as text labels, in
NHS colours; the page puts the same numbers beside it in a table.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"
NHS_TEXT = "#212b32"

FONT = 'font-family="Frutiger W01, Arial, sans-serif"'


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    description: str = "",
    width: int = 600,
    bar_height: int = 24,
    label_width: int = 220,
    colour: str = NHS_BLUE,
) -> SafeString:
    """Horizontal bars, one per (label, value), each with its label and its value written."""
    gap = 10
    top = 8
    height = top + max(len(items), 1) * (bar_height + gap) + 4
    largest = max((value for _, value in items), default=0) or 1
    room = width - label_width - 60
    desc = description or "; ".join(f"{label}: {_number(value)}" for label, value in items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="app-chart" aria-labelledby="{{id}}-t {{id}}-d">',
        f'<title id="{{id}}-t">{escape(title)}</title>',
        f'<desc id="{{id}}-d">{escape(desc or "No data")}</desc>',
    ]
    if not items:
        parts.append(
            f'<text x="0" y="{top + 16}" {FONT} font-size="16" fill="{NHS_TEXT}">No data</text>'
        )
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + gap)
        length = round(room * (value or 0) / largest)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.0f}" text-anchor="end" '
            f'{FONT} font-size="14" fill="{NHS_TEXT}">{escape(_truncate(label, 30))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" height="{bar_height}" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_width + max(length, 1) + 6}" y="{y + bar_height * 0.7:.0f}" '
            f'{FONT} font-size="14" fill="{NHS_TEXT}">{_number(value or 0)}</text>'
        )
    parts.append("</svg>")
    return _with_id("".join(parts), title)


def line_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    description: str = "",
    width: int = 600,
    height: int = 240,
    colour: str = NHS_BLUE,
) -> SafeString:
    """A line through (label, value) points in order (e.g. months), each value written."""
    left, right, top, bottom = 40, 20, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((value for _, value in points), default=0) or 1
    step = plot_w / max(len(points) - 1, 1)
    desc = description or "; ".join(f"{label}: {_number(value)}" for label, value in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="app-chart" aria-labelledby="{{id}}-t {{id}}-d">',
        f'<title id="{{id}}-t">{escape(title)}</title>',
        f'<desc id="{{id}}-d">{escape(desc or "No data")}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{NHS_GREY}" stroke-width="1"/>',
    ]
    coords = []
    for index, (label, value) in enumerate(points):
        x = left + (index * step if len(points) > 1 else plot_w / 2)
        y = top + plot_h - plot_h * (value or 0) / largest
        coords.append((x, y, label, value))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"/>')
    for x, y, label, value in coords:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{NHS_DARK_BLUE}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" {FONT} font-size="13" '
            f'fill="{NHS_TEXT}">{_number(value or 0)}</text>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle" {FONT} '
            f'font-size="13" fill="{NHS_TEXT}">{escape(label)}</text>'
        )
    if not points:
        parts.append(
            f'<text x="{left}" y="{top + 16}" {FONT} font-size="16" '
            f'fill="{NHS_TEXT}">No data</text>'
        )
    parts.append("</svg>")
    return _with_id("".join(parts), title)


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _with_id(svg: str, title: str) -> SafeString:
    import hashlib

    ident = "chart-" + hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:8]
    return mark_safe(svg.replace("{id}", ident))  # noqa: S308 - every text in it is escaped
