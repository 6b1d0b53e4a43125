"""``/insights``: the public catalog in charts drawn on the server, and a map of the areas.

Every bar, column, point and place links into the course search filtered to what it counts (a
point links to its course), and every chart has its numbers in a table. The two figures cited
from the article the catalog grew out of are shown as on the home page: labelled as cited.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from flask import render_template, url_for

from catalog.extensions import db
from catalog.models import CourseFormat
from catalog.models.labels import label
from catalog.public.area_map import AreaMap, Place, area_map
from catalog.public.blueprint import bp
from catalog.public.charts import Bar, BarGroup, Point, bar_chart, column_chart, fee_duration_chart
from catalog.public.home import LANDSCAPE_SOURCE
from catalog.queries.insights import AreaCount, Insights, MonthCount, catalog_insights
from catalog.search import FacetCount
from catalog.search.facets import START_WINDOWS
from catalog.templating import format_inr
from catalog.timeutil import local_today


def _courses(count: int) -> str:
    return f"{count} {'course' if count == 1 else 'courses'}"


def _institutes(count: int) -> str:
    return f"{count} {'institute' if count == 1 else 'institutes'}"


def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "0%"


def month_search_args(month: date, today: date) -> dict[str, str]:
    """Search arguments for the batches of a month: sorted by next batch, narrowed to the
    smallest "starts within" window of the search that covers the whole month, if one does."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    days_to_end = (following - timedelta(days=1) - today).days
    window = next((value for value, _label, days in START_WINDOWS if days_to_end <= days), None)
    return {"sort": "start", **({"starts": window} if window else {})}


def _month_columns(months: list[MonthCount], today: date):
    return column_chart(
        [
            (
                f"{m.month:%b}",
                m.batches,
                url_for("public.course_search", **month_search_args(m.month, today)) if m.batches else None,
            )
            for m in months
        ]
    )


def _area_bars(areas: list[AreaCount]):
    """Institutes and courses per area; a row opens the area's courses (its institutes are
    linked from the table of numbers)."""
    return bar_chart(
        [
            BarGroup(
                area.name,
                [
                    Bar(area.institutes, _institutes(area.institutes), "institutes"),
                    Bar(area.courses, _courses(area.courses), "courses"),
                ],
                url_for("public.course_search", area=area.slug) if area.courses else None,
                f"{area.name}: {_institutes(area.institutes)}, {_courses(area.courses)}",
            )
            for area in areas
            if area.institutes or area.courses
        ]
    )


def _term_bars(values: list[FacetCount], facet: str, text, spoken, maximum: int | None = None):
    """One row per topic or tool, linking to the search filtered by it: ``text`` of a count is
    drawn beside the bar, ``spoken`` of it names the link."""
    return bar_chart(
        [
            BarGroup(
                v.label,
                [Bar(v.count, text(v.count))],
                url_for("public.course_search", **{facet: v.value}),
                f"{v.label}: {spoken(v.count)}",
            )
            for v in values
        ],
        maximum=maximum,
    )


@functools.lru_cache(maxsize=16)
def _laid_out(places: tuple[Place, ...]) -> AreaMap:
    # Placing the labels tries every spot of every label against the others (half of the page's
    # time); the places, and so the layout, change only with the catalog.
    return area_map(places)


def _map(areas: list[AreaCount]) -> AreaMap:
    return _laid_out(
        tuple(
            Place(
                area.latitude,
                area.longitude,
                area.name,
                f"{area.institutes} inst. · {_courses(area.courses)}",
                url_for("public.course_search", area=area.slug) if area.courses else None,
                area.courses,
            )
            for area in areas
            if not area.is_online and area.latitude is not None and area.longitude is not None
        )
    )


def charts(data: Insights, today: date) -> dict[str, object]:
    """The geometry of every chart of the page, with the links of its marks."""
    formats = [(value.value, value.label) for value in data.formats]
    return {
        "topics": _term_bars(data.topics, "topic", _courses, _courses),
        "tools": _term_bars(
            data.tools,
            "tool",
            lambda n: _share(n, data.total_courses),
            lambda n: f"{_share(n, data.total_courses)} of courses",
            data.total_courses,
        ),
        "fees": fee_duration_chart(
            [
                Point(
                    p.duration_days,
                    p.fee_inr,
                    p.format.value,
                    f"{p.title}: {format_inr(p.fee_inr)}, {p.duration_days} days, {label(p.format).lower()}",
                    url_for("public.course_detail", slug=p.slug),
                )
                for p in data.points
            ],
            formats or [(f.value, label(f)) for f in CourseFormat],
        ),
        "months": _month_columns(data.months, today),
        "areas": _area_bars(data.areas),
        "map": _map(data.areas),
    }


@bp.get("/insights")
def insights():
    """The landscape in charts, the area map, and the cited figures with their source."""
    today = local_today()
    data = catalog_insights(db.session, today)
    online = next((area for area in data.areas if area.is_online), None)
    return render_template(
        "public/insights.html",
        data=data,
        charts=charts(data, today),
        online=online,
        source=LANDSCAPE_SOURCE,
        today=today,
    )
