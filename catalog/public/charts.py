"""Geometry of the server-drawn charts: plain data in, coordinates out, nothing else.

The Jinja macros in ``templates/_macros/charts.html`` draw what these functions return as inline
SVG (no script, no inline styles). Every chart has a ``viewBox`` about as wide as a phone's
screen in CSS pixels, so at 360 px its text is drawn at about its nominal size, and the SVG is
scaled to the width of its box on larger screens.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The width of every chart's ``viewBox``.
WIDTH = 320
LABEL_LINE = 18
BAR_LINE = 16
#: Rows are at least this tall, so a row's link is a target a finger can hit at 360 px.
ROW_MIN = 48
#: Room kept right of the longest bar for its value.
VALUE_ROOM = 84


@dataclass(frozen=True)
class Bar:
    """One bar to draw: how long it is (of the longest), what it says, its series."""

    value: float
    text: str
    kind: str = ""


@dataclass(frozen=True)
class BarGroup:
    """A label with one or more bars under it (one per series); the whole row is one link to
    ``href``, named ``name`` for screen readers."""

    label: str
    bars: Sequence[Bar]
    href: str | None = None
    name: str = ""


@dataclass(frozen=True)
class DrawnBar:
    """A bar placed: its rectangle and where its value is written."""

    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    bar: Bar


@dataclass(frozen=True)
class DrawnGroup:
    """A row placed: its band (the link's target), its label line and its bars."""

    top: float
    height: float
    label_y: float
    bars: list[DrawnBar]
    group: BarGroup


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, each label on its own line above its bars (legible when narrow)."""

    width: int
    height: float
    groups: list[DrawnGroup]


def bar_chart(groups: Sequence[BarGroup], maximum: float | None = None) -> BarChart:
    """Lay out ``groups`` top to bottom; bar lengths are relative to ``maximum`` (the largest
    value by default)."""
    largest = maximum or max((bar.value for group in groups for bar in group.bars), default=0) or 1
    room = WIDTH - VALUE_ROOM
    drawn, y = [], 0.0
    for group in groups:
        top = y
        label_y = y + 13
        y += LABEL_LINE
        bars = []
        for bar in group.bars:
            width = max(room * bar.value / largest, 2 if bar.value else 0)
            bars.append(DrawnBar(0, y, width, BAR_LINE - 4, width + 5, y + 11, bar))
            y += BAR_LINE
        y = max(y + 8, top + ROW_MIN)
        drawn.append(DrawnGroup(top, y - top, label_y, bars, group))
    return BarChart(WIDTH, max(y, 1), drawn)


@dataclass(frozen=True)
class Column:
    """A column placed: its rectangle, its label and value, its link and its slot."""

    x: float
    y: float
    width: float
    height: float
    label: str
    label_x: float
    text: str
    text_y: float
    href: str | None
    #: The column's whole slot, top to bottom: the target of its link.
    slot_x: float
    slot_width: float


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns over a baseline, a short label under each."""

    width: int
    height: int
    baseline: float
    columns: list[Column]


def column_chart(items: Sequence[tuple[str, int, str | None]], height: int = 180) -> ColumnChart:
    """Columns for ``(label, value, href)`` items, left to right, value printed above each."""
    baseline = height - 24
    top = 18
    slot = WIDTH / max(len(items), 1)
    largest = max((value for _label, value, _href in items), default=0) or 1
    columns = []
    for i, (label, value, href) in enumerate(items):
        bar_height = (baseline - top) * value / largest
        x = i * slot + slot * 0.15
        columns.append(
            Column(
                x,
                baseline - bar_height,
                slot * 0.7,
                bar_height,
                label,
                i * slot + slot / 2,
                str(value),
                baseline - bar_height - 4,
                href,
                i * slot,
                slot,
            )
        )
    return ColumnChart(WIDTH, height, baseline, columns)


#: Marker shapes, one per series of a scatter chart, in order.
SHAPES = ("circle", "square", "triangle", "diamond")


def marker_path(shape: str, x: float, y: float, size: float = 5) -> str:
    """SVG path data of a marker of ``shape`` centred on ``(x, y)``."""
    s = size
    if shape == "square":
        s *= 0.85
        return f"M{x - s:.1f},{y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - s * 1.15:.1f}L{x + s:.1f},{y + s * 0.85:.1f}L{x - s:.1f},{y + s * 0.85:.1f}z"
    if shape == "diamond":
        s *= 1.2
        return f"M{x:.1f},{y - s:.1f}L{x + s:.1f},{y:.1f}L{x:.1f},{y + s:.1f}L{x - s:.1f},{y:.1f}z"
    return f"M{x - s:.1f},{y:.1f}a{s:.1f},{s:.1f} 0 1,0 {2 * s:.1f},0a{s:.1f},{s:.1f} 0 1,0 {-2 * s:.1f},0"


@dataclass(frozen=True)
class Point:
    """One course (or any item) of a scatter chart: where it is, its series, label and link."""

    x: float
    y: float
    series: str
    title: str
    href: str | None = None


@dataclass(frozen=True)
class DrawnPoint:
    """A point placed: the path of its marker, its series, its name and its link."""

    path: str
    series: str
    title: str
    href: str | None


@dataclass(frozen=True)
class ScatterChart:
    """A plot area with ticks on both axes, its points and a legend of the series' shapes."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    points: list[DrawnPoint]
    legend: list[tuple[str, str, str]] = field(default_factory=list)


#: Duration ticks of the log-scaled axis: (days, label).
DURATION_TICKS = ((1, "1 d"), (7, "1 wk"), (30, "1 mo"), (91, "3 mo"), (183, "6 mo"), (365, "1 yr"))


def _fee_tick(rupees: int) -> str:
    return "₹0" if rupees == 0 else f"₹{rupees // 1000:,}k"


def _fee_step(top: int) -> int:
    return next((step for step in (10_000, 25_000, 50_000, 100_000, 250_000) if top / step <= 5), 500_000)


def fee_duration_chart(points: Sequence[Point], series: Sequence[tuple[str, str]]) -> ScatterChart:
    """Scatter of fees (``y``, rupees) against durations (``x``, days, on a log scale);
    ``series`` is ``(value, label)`` per series, each drawn with its own shape."""
    width, height, left, right, top, bottom = WIDTH, 262, 44, WIDTH - 10, 24, 222
    longest = max([365, *(p.x for p in points)])
    step = _fee_step(max([0, *(p.y for p in points)]) or 1)
    fee_top = step * max(1, math.ceil(max([1, *(p.y for p in points)]) / step))

    # One-day courses sit a marker's width inside the axis, clear of the fee labels.
    inset = 8

    def x_of(days: float) -> float:
        return left + inset + (right - left - inset) * math.log(max(days, 1)) / math.log(longest)

    def y_of(fee: float) -> float:
        return bottom - (bottom - top) * fee / fee_top

    shapes = {value: SHAPES[i % len(SHAPES)] for i, (value, _label) in enumerate(series)}
    drawn = [
        DrawnPoint(
            marker_path(shapes.get(p.series, "circle"), x_of(p.x), y_of(p.y)), p.series, p.title, p.href
        )
        for p in points
    ]
    legend = [(value, label, marker_path(shapes[value], 6, 6)) for value, label in series]
    return ScatterChart(
        width,
        height,
        left,
        right,
        top,
        bottom,
        [(x_of(days), text) for days, text in DURATION_TICKS if days <= longest],
        [(y_of(fee), _fee_tick(fee)) for fee in range(0, fee_top + 1, step)],
        drawn,
        legend,
    )
