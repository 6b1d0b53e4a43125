"""The facets of the course search: their values, how they filter, how they are counted.

Every facet is described by the same thing: a selectable of ``(course_id, value)`` pairs. A
course passes a facet when one of its pairs has a selected value (OR within the facet); facets
combine with AND. Counting a value is counting distinct courses among its pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, case, literal, select, union_all
from sqlalchemy.orm import Session

from catalog.models import (
    Area,
    Batch,
    Campus,
    Course,
    CourseFormat,
    CourseLanguage,
    Level,
    Mode,
    Schedule,
    Tool,
    Topic,
    course_campuses,
    course_tools,
    course_topics,
)
from catalog.models.labels import choices

DURATION_BANDS = (
    ("up-to-1-week", "Up to a week", 0, 7),
    ("1-week-to-3-months", "1 week to 3 months", 8, 91),
    ("3-to-6-months", "3 to 6 months", 92, 183),
    ("6-to-12-months", "6 to 12 months", 184, 366),
    ("over-12-months", "Over 12 months", 367, None),
)
FEE_BANDS = (
    ("free", "Free", 0, 0),
    ("under-25k", "Under ₹25,000", 1, 24_999),
    ("25k-75k", "₹25,000 – ₹75,000", 25_000, 75_000),
    ("75k-150k", "₹75,001 – ₹1,50,000", 75_001, 150_000),
    ("over-150k", "Over ₹1,50,000", 150_001, None),
)
START_WINDOWS = (("7", "Within 7 days", 7), ("30", "Within 30 days", 30), ("90", "Within 90 days", 90))


def _band_case(column, bands):
    whens = []
    for value, _label, low, high in bands:
        condition = column >= low if high is None else column.between(low, high)
        whens.append((condition, value))
    return case(*whens, else_=None)


@dataclass(frozen=True)
class Facet:
    """One facet: URL parameter name, heading, its pairs and the values it can take."""

    name: str
    label: str
    pairs: Callable[[date], Select]
    choices: Callable[[Session], list[tuple[str, str]]]

    def subquery(self, today: date):
        return self.pairs(today).subquery(f"facet_{self.name.replace('-', '_')}")


def _enum_choices(enum_cls):
    return lambda _session: choices(enum_cls)


def _static_choices(options):
    return lambda _session: [(value, label) for value, label, *_ in options]


def _column_pairs(column_expr):
    return lambda _today: select(Course.id.label("course_id"), column_expr.label("value"))


def _vocabulary_choices(model):
    return lambda session: [
        (slug, name) for slug, name in session.execute(select(model.slug, model.name).order_by(model.name))
    ]


def _language_choices(session: Session) -> list[tuple[str, str]]:
    languages = session.scalars(select(CourseLanguage.language).distinct().order_by(CourseLanguage.language))
    return [(language, language) for language in languages]


def _area_pairs(_today: date) -> Select:
    taught_at = (
        select(course_campuses.c.course_id.label("course_id"), Area.slug.label("value"))
        .join(Campus, Campus.id == course_campuses.c.campus_id)
        .join(Area, Area.id == Campus.area_id)
    )
    online = select(Course.id.label("course_id"), literal("online").label("value")).where(
        Course.online_condition()
    )
    return union_all(taught_at, online)


def _area_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(Area.slug, Area.name).order_by(Area.slug == "online", Area.name))
    return [(slug, name) for slug, name in rows]


def _schedule_pairs(today: date) -> Select:
    return (
        select(Batch.course_id.label("course_id"), Batch.schedule.label("value"))
        .where(Batch.open_condition(today))
        .distinct()
    )


def _start_pairs(today: date) -> Select:
    parts = [
        select(Batch.course_id.label("course_id"), literal(value).label("value"))
        .where(Batch.open_condition(today), Batch.start_date <= today + timedelta(days=days))
        .distinct()
        for value, _label, days in START_WINDOWS
    ]
    return union_all(*parts)


FACETS: tuple[Facet, ...] = (
    Facet(
        "topic",
        "Topic",
        lambda _t: select(course_topics.c.course_id.label("course_id"), Topic.slug.label("value")).join(
            Topic, Topic.id == course_topics.c.topic_id
        ),
        _vocabulary_choices(Topic),
    ),
    Facet(
        "tool",
        "Tool",
        lambda _t: select(course_tools.c.course_id.label("course_id"), Tool.slug.label("value")).join(
            Tool, Tool.id == course_tools.c.tool_id
        ),
        _vocabulary_choices(Tool),
    ),
    Facet("area", "Area", _area_pairs, _area_choices),
    Facet("mode", "Mode", _column_pairs(Course.mode), _enum_choices(Mode)),
    Facet("schedule", "Schedule", _schedule_pairs, _enum_choices(Schedule)),
    Facet("format", "Format", _column_pairs(Course.format), _enum_choices(CourseFormat)),
    Facet("level", "Level", _column_pairs(Course.level), _enum_choices(Level)),
    Facet(
        "duration",
        "Duration",
        _column_pairs(_band_case(Course.duration_days, DURATION_BANDS)),
        _static_choices(DURATION_BANDS),
    ),
    Facet("fee", "Fee", _column_pairs(_band_case(Course.fee_inr, FEE_BANDS)), _static_choices(FEE_BANDS)),
    Facet(
        "language",
        "Language",
        lambda _t: select(
            CourseLanguage.course_id.label("course_id"), CourseLanguage.language.label("value")
        ),
        _language_choices,
    ),
    Facet(
        "certification",
        "Certification",
        _column_pairs(case((Course.certification_name.is_not(None), "yes"), else_="no")),
        lambda _s: [("yes", "Certificate on completion"), ("no", "No certificate")],
    ),
    Facet(
        "placement",
        "Placement support",
        _column_pairs(case((Course.placement_support, "yes"), else_="no")),
        lambda _s: [("yes", "With placement support"), ("no", "Without placement support")],
    ),
    Facet("starts", "Next batch starts", _start_pairs, _static_choices(START_WINDOWS)),
)

FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
