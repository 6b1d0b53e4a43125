"""Geometry of the schematic area map: localities placed by latitude and longitude, labelled.

No tiles and no script: each place is a marker and a two-line label (its name, its counts) that
the template draws as inline SVG. Places are projected around the city's mean latitude, each
axis stretched to fill the map (at most ``STRETCH`` times the other); each label takes the nearest spot
beside its marker that overlaps no other label or marker (or, failing that, the spot that
overlaps least), joined to its marker by a thin line when it had to move away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from catalog.public.charts import WIDTH

HEIGHT = 420
#: Room kept around the places so labels near the edge stay inside the map.
PAD_X, PAD_Y = 48, 34
NAME_EM, DETAIL_EM = 7.4, 6.4
LINE = 14
#: How much more one axis may be stretched than the other to fill the map.
STRETCH = 3


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Place:
    """A locality to show: where it is, its name, a line of counts, its link and its size."""

    latitude: float
    longitude: float
    name: str
    detail: str
    href: str | None
    weight: int


@dataclass(frozen=True)
class Marker:
    """A place drawn: its marker, where its label goes, and the label's box."""

    cx: float
    cy: float
    r: float
    label_x: float
    label_y: float
    anchor: str
    #: True when the label sits away from its marker (a thin line joins them).
    leader: bool
    place: Place
    #: What the label covers: the target of the place's link.
    box: Box


@dataclass(frozen=True)
class AreaMap:
    """The map's size and its places."""

    width: int
    height: int
    markers: list[Marker]


def _overlap(a: Box, b: Box) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def label_box(x: float, y: float, anchor: str, width: float) -> Box:
    """The box a label of ``width`` drawn at ``(x, y)`` with ``anchor`` covers."""
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left, y - 11, left + width, y - 11 + 2 * LINE)


def label_width(place: Place) -> float:
    """About how wide a place's label is drawn (its longer line)."""
    return max(len(place.name) * NAME_EM, len(place.detail) * DETAIL_EM)


def _spots(cx: float, cy: float, r: float) -> list[tuple[float, float, str, float]]:
    """Where a label may go: beside, above or below its marker, then further out (the last
    value is how far out, so nearer spots win a tie)."""
    spots = []
    for far in (0, 12, 24, 36, 48, 64):
        gap, rise = r + 4 + far, LINE + 2 + far
        spots += [
            (cx + gap, cy - 1, "start", far),
            (cx - gap, cy - 1, "end", far),
            (cx, cy - r - rise, "middle", far),
            (cx, cy + r + 11 + far, "middle", far),
            (cx + gap, cy - rise, "start", far),
            (cx - gap, cy + rise - 4, "end", far),
            (cx + gap, cy + rise - 4, "start", far),
            (cx - gap, cy - rise, "end", far),
        ]
    return spots


def area_map(places: Sequence[Place]) -> AreaMap:
    """Project ``places`` into the map and place each one's label."""
    if not places:
        return AreaMap(WIDTH, HEIGHT, [])
    mean_lat = math.radians(sum(p.latitude for p in places) / len(places))
    xs = [p.longitude * math.cos(mean_lat) for p in places]
    ys = [-p.latitude for p in places]
    # Schematic: each axis fills the map, but one is stretched at most STRETCH times as much as
    # the other, so the city keeps something of its shape.
    scale_x = (WIDTH - 2 * PAD_X) / max(max(xs) - min(xs), 1e-6)
    scale_y = min((HEIGHT - 2 * PAD_Y) / max(max(ys) - min(ys), 1e-6), STRETCH * scale_x)
    scale_x = min(scale_x, STRETCH * scale_y)
    offset_x = (WIDTH - (max(xs) - min(xs)) * scale_x) / 2
    offset_y = (HEIGHT - (max(ys) - min(ys)) * scale_y) / 2
    heaviest = max((p.weight for p in places), default=1) or 1
    centres = [
        (
            offset_x + (x - min(xs)) * scale_x,
            offset_y + (y - min(ys)) * scale_y,
            4 + 5 * math.sqrt(p.weight / heaviest),
        )
        for p, x, y in zip(places, xs, ys, strict=True)
    ]
    dots: list[Box] = [(cx - r, cy - r, cx + r, cy + r) for cx, cy, r in centres]
    labels: list[Box] = []
    markers = []
    # Labels of the busiest places are placed first, so they get the best spots.
    for i in sorted(range(len(places)), key=lambda i: -places[i].weight):
        place, (cx, cy, r) = places[i], centres[i]
        width = label_width(place)

        def cost(spot, width=width):
            box = label_box(spot[0], spot[1], spot[2], width)
            outside = max(0, -box[0]) + max(0, box[2] - WIDTH) + max(0, -box[1]) + max(0, box[3] - HEIGHT)
            # Labels are drawn over the markers, so covering a marker costs less than another label.
            covered = sum(_overlap(box, other) for other in labels) * 50 + sum(
                _overlap(box, dot) for dot in dots
            )
            return covered + outside * 1000 + spot[3] * 2

        x, y, anchor, far = min(_spots(cx, cy, r), key=cost)
        labels.append(label_box(x, y, anchor, width))
        markers.append(Marker(cx, cy, r, x, y, anchor, far > 0, place, labels[-1]))
    return AreaMap(WIDTH, HEIGHT, sorted(markers, key=lambda m: m.place.name))
