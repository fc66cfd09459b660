"""Server-rendered SVG charts: pure functions from numbers to markup, no Django.

Charts carry no inline style (a strict CSP forbids it): colours and fonts come from classes
styled in static/css/portal.css. Each chart is an image with a title and a description for
screen readers; pages put the same numbers in a table next to it.
"""

import math
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 48


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^n at or above ``value`` (a round top for the axis)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _number(value: float, decimal: str = ",", thousands: str = ".") -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def bar_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    description: str,
    chart_id: str,
    decimal: str = ",",
    thousands: str = ".",
    highlight: str | None = None,
) -> str:
    """A vertical bar chart of (label, value) pairs, e.g. one figure over every period.
    ``highlight`` marks the bar of the selected period."""
    highest = max((v for _, v in points), default=0)
    step = max(_nice_ceiling(highest / 4), 1)  # whole-number ticks: the figures are counts
    ticks = max(math.ceil(highest / step), 1)
    top = step * ticks
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bar_w = max(min(slot * 0.7, 48), 2)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for i in range(ticks + 1):  # grid lines and axis labels at every step
        value = step * i
        y = TOP + plot_h - plot_h * i / ticks
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_number(value, decimal, thousands))}</text>"
        )
    every = max(1, math.ceil(len(points) / 6))  # at most six labels on the x axis
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top if top else 0
        x = LEFT + slot * i + (slot - bar_w) / 2
        y = TOP + plot_h - h
        css = "chart-bar chart-bar-current" if label == highlight else "chart-bar"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{escape(label)}: {escape(_number(value, decimal, thousands))}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text class="chart-label" x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(
        f'<line class="chart-axis-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bar_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    description: str,
    chart_id: str,
    decimal: str = ",",
    thousands: str = ".",
) -> str:
    """Horizontal bars with the label left and the value right, e.g. KIND-uren per province."""
    row_h, label_w, value_w = 26, 230, 90
    height = TOP + row_h * len(points) + 8
    top = max((v for _, v in points), default=0) or 1
    plot_w = WIDTH - label_w - value_w
    parts = [
        f'<svg class="chart chart-horizontal" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(points):
        y = TOP + row_h * i
        w = plot_w * value / top
        parts.append(
            f'<text class="chart-label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect class="chart-bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
            f'height="{row_h - 8}"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{label_w + w + 6:.1f}" y="{y + 17}">'
            f"{escape(_number(value, decimal, thousands))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
