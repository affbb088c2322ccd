"""Charts drawn on the server as SVG: a bar chart and a line chart (trend by month).

Our own small code, no JavaScript. Each chart is an accessible image (role="img", a
<title> and a <desc> that says what it shows) with its values written as text labels, in
NHS colours; the page puts the same numbers beside it in a table.

Each chart has a viewBox and no width or height of its own, so it scales to its container
(portal.css: width 100%, height auto): a 320 px screen does not scroll sideways. Labels
never reach beyond the viewBox, and on a long line chart they are thinned (every second,
third, sixth or twelfth month) so that they never run into each other.
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
#: The widest a character of the chart font is, on average, as a share of the font size
#: (Arial's digits are 0.556 em; capitals up to 0.72): used to keep labels apart.
CHARACTER_WIDTH_EM = 0.6
#: Show every n-th label, the smallest n that fits: months, then quarters, half years, years.
LABEL_STEPS = (1, 2, 3, 6, 12, 24)
#: The least space between two labels, in viewBox units.
LABEL_GAP = 8


def text_width(text: str, font_size: float) -> float:
    """How wide ``text`` is drawn, at most, in viewBox units."""
    return len(text) * font_size * CHARACTER_WIDTH_EM


def label_step(count: int, spacing: float, widest: float) -> int:
    """Show every n-th of ``count`` labels ``spacing`` apart, so that labels ``widest`` wide
    keep ``LABEL_GAP`` between them."""
    for step in LABEL_STEPS:
        if step * spacing >= widest + LABEL_GAP:
            return step
    return max(count, 1)


def _svg_open(width: int, height: int) -> str:
    # No width or height: the viewBox sets the shape and the page's CSS the size.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="app-chart" aria-labelledby="{{id}}-t {{id}}-d">'
    )


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
    # As many characters as fit left of the bars, so that no label reaches past the viewBox.
    longest = int((label_width - 8) / (14 * CHARACTER_WIDTH_EM))
    desc = description or "; ".join(f"{label}: {_number(value)}" for label, value in items)
    parts = [
        _svg_open(width, height),
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
            f'{FONT} font-size="14" fill="{NHS_TEXT}">{escape(_truncate(label, longest))}</text>'
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
    """A line through (label, value) points in order (e.g. months), values written above.

    From one month to five years: labels and values are thinned to what fits side by side,
    always keeping the first; the margins leave room for half of the first and last label,
    so none is clipped. Every value is still in the description and the page's table.
    """
    font_size = 13
    widest_label = max((text_width(label, font_size) for label, _ in points), default=0)
    widest_value = max(
        (text_width(_number(value or 0), font_size) for _, value in points), default=0
    )
    half = max(widest_label, widest_value) / 2 + 2
    left, right, top, bottom = max(40, half), max(20, half), 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((value for _, value in points), default=0) or 1
    step = plot_w / max(len(points) - 1, 1)
    every_label = label_step(len(points), step, widest_label) if len(points) > 1 else 1
    every_value = label_step(len(points), step, widest_value) if len(points) > 1 else 1
    desc = description or "; ".join(f"{label}: {_number(value)}" for label, value in points)
    parts = [
        _svg_open(width, height),
        f'<title id="{{id}}-t">{escape(title)}</title>',
        f'<desc id="{{id}}-d">{escape(desc or "No data")}</desc>',
        f'<line x1="{left:.1f}" y1="{top + plot_h}" x2="{left + plot_w:.1f}" y2="{top + plot_h}" '
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
    for index, (x, y, label, value) in enumerate(coords):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{NHS_DARK_BLUE}"/>')
        if index % every_value == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" {FONT} '
                f'font-size="{font_size}" fill="{NHS_TEXT}">{_number(value or 0)}</text>'
            )
        if index % every_label == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle" {FONT} '
                f'font-size="{font_size}" fill="{NHS_TEXT}" class="app-chart__axis-label">'
                f"{escape(label)}</text>"
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
