"""Reads behind ``/insights``: the public catalog counted for charts and the area map.

Counts by topic, tool, format and area come from the course search itself (an empty search's
facet counts), so a chart's number is the number of results its link opens. The rest (a point
per course, up to ``MAX_POINTS``; open batches per month; institutes per area) are a few plain
statements, counted again only when the catalog changes: the page costs the same queries, and
about the same bytes, at any catalog size.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session

from catalog.models import Area, Batch, Campus, Course, CourseFormat, SearchState
from catalog.queries.courses import VISIBLE
from catalog.queries.institutes import APPROVED, ONLINE
from catalog.search import FacetCount, SearchParams, search_courses

#: How many calendar months, this one first, the batches chart covers.
MONTHS_AHEAD = 12
#: The most courses the fee-against-duration chart draws (and its table lists).
MAX_POINTS = 150


@dataclass(frozen=True)
class CoursePoint:
    """One public course as a point of the fee-against-duration chart."""

    slug: str
    title: str
    fee_inr: int
    duration_days: int
    format: CourseFormat


@dataclass(frozen=True)
class MonthCount:
    """Open batches of public courses starting in the month that begins on ``month``."""

    month: date
    batches: int


@dataclass(frozen=True)
class AreaCount:
    """A locality (or "Online") with its approved institutes and public courses."""

    slug: str
    name: str
    latitude: float | None
    longitude: float | None
    institutes: int
    courses: int

    @property
    def is_online(self) -> bool:
        """True for the "Online" pseudo-area (not on the map)."""
        return self.slug == ONLINE


@dataclass(frozen=True)
class Insights:
    """Everything the insights page draws, as plain values."""

    total_courses: int
    topics: list[FacetCount]
    tools: list[FacetCount]
    formats: list[FacetCount]
    points: list[CoursePoint]
    months: list[MonthCount]
    areas: list[AreaCount]


def _busiest(values: list[FacetCount]) -> list[FacetCount]:
    """The values with at least one course, most courses first (then in the facet's order)."""
    return sorted((v for v in values if v.count), key=lambda v: -v.count)


def course_points(session: Session, total: int, limit: int = MAX_POINTS) -> list[CoursePoint]:
    """Public courses' fees, durations and formats, cheapest first: all ``total`` of them up to
    ``limit``, else a sample of about ``limit`` (every n-th course by id), so the page keeps
    its size however large the catalog is."""
    step = max(1, math.ceil(total / limit))
    sample = Course.id % step == 0 if step > 1 else true()
    rows = session.execute(
        select(Course.slug, Course.title, Course.fee_inr, Course.duration_days, Course.format)
        .where(sample, VISIBLE)
        .order_by(Course.fee_inr, Course.id)
        .limit(limit)
    )
    return [CoursePoint(*row) for row in rows]


def _month_starts(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return months


def batches_by_month(session: Session, today: date, months: int = MONTHS_AHEAD) -> list[MonthCount]:
    """Open batches of public courses per month, from this month for ``months`` months (a month
    without any is listed with 0), counted in one statement. "Open" is the search's own rule
    (``Batch.open_condition``)."""
    starts = _month_starts(today, months + 1)
    counts = [
        func.count(case((and_(Batch.start_date >= start, Batch.start_date < end), Batch.id)))
        for start, end in itertools.pairwise(starts)
    ]
    row = session.execute(
        select(*counts)
        .join(Batch.course)
        .where(Batch.open_condition(today), VISIBLE, Batch.start_date < starts[-1])
    ).one()
    return [MonthCount(month, count) for month, count in zip(starts, row, strict=False)]


def _institutes_per_area(session: Session) -> dict[str, int]:
    """Approved institutes with a campus in each area, and (as "online") those with a public
    course that can be attended online: the institute list's own rules for its area filter."""
    in_area = session.execute(
        select(Area.slug, func.count(func.distinct(Campus.institute_id)))
        .join(Campus, Campus.area_id == Area.id)
        .where(Campus.institute.has(APPROVED))
        .group_by(Area.slug)
    )
    counts = {slug: n for slug, n in in_area}
    counts[ONLINE] = session.scalar(
        select(func.count(func.distinct(Course.institute_id))).where(VISIBLE, Course.online_condition())
    )
    return counts


def areas_with_counts(session: Session, course_counts: dict[str, int]) -> list[AreaCount]:
    """Every area, by name with "Online" last, with its institutes and ``course_counts`` (the
    search's area facet)."""
    institutes = _institutes_per_area(session)
    areas = session.scalars(select(Area).order_by(Area.slug == ONLINE, Area.name))
    return [
        AreaCount(
            area.slug,
            area.name,
            area.latitude,
            area.longitude,
            institutes.get(area.slug, 0),
            course_counts.get(area.slug, 0),
        )
        for area in areas
    ]


def count_insights(session: Session, today: date) -> Insights:
    """The whole page's data, counted now: facet counts of an empty search, points, months and
    areas."""
    result = search_courses(session, SearchParams(), today, per_page=1)
    facets = {facet.name: facet.values for facet in result.facets}
    return Insights(
        total_courses=result.total,
        topics=_busiest(facets["topic"]),
        tools=_busiest(facets["tool"]),
        formats=[v for v in facets["format"] if v.count],
        points=course_points(session, result.total),
        months=batches_by_month(session, today),
        areas=areas_with_counts(session, {v.value: v.count for v in facets["area"]}),
    )


#: Per database: the search version and day the insights were counted for, and the insights.
_cache: dict[str, tuple[int, date, Insights]] = {}


def catalog_insights(session: Session, today: date) -> Insights:
    """:func:`count_insights`, counted again only when the catalog changed (the search's
    version moved, as every change of a course, batch, institute, campus or term moves it) or
    the day did; otherwise this process's last count, at the cost of one query."""
    version = session.scalar(select(SearchState.version).where(SearchState.id == 1))
    key = session.get_bind().url.render_as_string(hide_password=True)
    cached = _cache.get(key)
    if version is not None and cached is not None and cached[:2] == (version, today):
        return cached[2]
    insights = count_insights(session, today)
    if version is not None:
        _cache[key] = (version, today, insights)
    return insights
