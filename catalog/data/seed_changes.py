"""Records of the seed files read into the services' commands, and the services' refusals back
into errors that name the file, the record and the field.

Each reader checks what only a file can get wrong (a missing field, text where a number belongs,
an unknown slug); the rules of the records themselves are the services'.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from catalog.data.records import DataError, Record
from catalog.models import LANGUAGES, CourseFormat, CourseStatus, EventKind, Level, Mode, Schedule
from catalog.services.batches import BatchChanges
from catalog.services.courses import CourseChanges, ModuleRow
from catalog.services.errors import DomainError
from catalog.services.events import EventChanges
from catalog.services.institutes import InstituteChanges
from catalog.services.instructors import InstructorChanges
from catalog.timeutil import LOCAL_TZ

#: What a seed course's ``status`` may ask for: publish it or not. Whether a published course
#: waits as pending is the course rules' call, as in the portal.
SEED_STATUSES = {CourseStatus.DRAFT: False, CourseStatus.PUBLISHED: True}


@contextmanager
def refusals_named(record: Record) -> Iterator[None]:
    """Turn a service's refusal into a seed error that names the file, the record and the field."""
    try:
        yield
    except DomainError as error:
        if error.code == "record-clash":
            raise DataError(
                f"{record.source}: {record.label}: the database refused a record: {error.params['detail']}"
            ) from None
        values = "".join(f", {name}={value!r}" for name, value in error.params.items())
        raise record.error(error.field or "(record)", f"refused: {error.code}{values}") from None


def institute_changes(record: Record, today: date) -> InstituteChanges:
    """An institute file's profile."""
    return InstituteChanges(
        name=record.text("name", 160),
        description=record.text("description", 5000),
        website=record.url("website"),
        email=record.text("email", 254, required=False),
        phone=record.text("phone", 40, required=False),
        founded_year=record.integer("founded_year", 1900, today.year, required=False),
        partners=tuple(record.strings("partners", required=False)),
    )


def instructor_changes(item: Record) -> InstructorChanges:
    """One of an institute file's instructors."""
    return InstructorChanges(
        name=item.text("name", 160),
        years_experience=item.integer("years_experience", 0, 60),
        bio=item.text("bio", 2000, required=False) or "",
        industry_background=item.text("industry_background", 200, required=False) or "",
    )


def _ids(record: Record, field: str, known: Mapping[str, Any], what: str) -> tuple[int, ...]:
    return tuple(entry.id for entry in record.references(field, known, what))


def course_changes(
    record: Record, today: date, *, campuses: Mapping, instructors: Mapping, topics: Mapping, tools: Mapping
) -> CourseChanges:
    """One of an institute file's courses; campuses by area slug, instructors by name."""
    certification = record.data.get("certification")
    certification_name = certification_issuer = None
    if certification is not None:
        cert = Record(record.source, f"{record.label} > certification", certification)
        certification_name = cert.text("name", 200)
        certification_issuer = cert.text("issuer", 200)
    placement_support = record.boolean("placement_support", False)
    placement = record.data.get("placement")
    rate = year = cohort = None
    if placement is not None:
        if not placement_support:
            raise record.error("placement", "placement figures need placement_support: true")
        figures = Record(record.source, f"{record.label} > placement", placement)
        rate = figures.integer("rate_percent", 0, 100)
        year = figures.integer("year", 2000, today.year)
        cohort = figures.integer("cohort_size", 1, 100_000)
    languages = record.strings("languages")
    for language in languages:
        if language not in LANGUAGES:
            raise record.error("languages", f"unknown language {language!r}")
    status = record.choice("status", CourseStatus)
    if status not in SEED_STATUSES:
        raise record.error("status", f"{status.value!r} is not one of: draft, published")
    reviewed_ago = record.integer("syllabus_reviewed_days_ago", 0, 3650, required=False)
    return CourseChanges(
        title=record.text("title", 200),
        slug=record.slug(),
        summary=record.text("summary", 300),
        description=record.text("description", 20_000),
        format=record.choice("format", CourseFormat),
        level=record.choice("level", Level),
        duration_days=record.integer("duration_days", 1, 1000),
        total_hours=record.integer("total_hours", 1, 5000),
        fee_inr=record.integer("fee_inr", 0, 10_000_000),
        emi_available=record.boolean("emi_available", False),
        mode=record.choice("mode", Mode),
        certification_name=certification_name,
        certification_issuer=certification_issuer,
        refund_policy=record.text("refund_policy", 2000),
        placement_support=placement_support,
        placement_rate=rate,
        placement_year=year,
        placement_cohort_size=cohort,
        prerequisites=record.text("prerequisites", 2000, required=False) or "",
        publish=SEED_STATUSES[status],
        syllabus_reviewed_on=None if reviewed_ago is None else today - timedelta(days=reviewed_ago),
        topics=_ids(record, "topics", topics, "topic"),
        tools=_ids(record, "tools", tools, "tool"),
        campuses=_ids(record, "campuses", campuses, "campus area of this institute"),
        instructors=_ids(record, "instructors", instructors, "instructor of this institute"),
        languages=tuple(languages),
        modules=tuple(
            ModuleRow(
                title=item.text("title", 200),
                hours=item.integer("hours", 0, 1000),
                outline=item.text("outline", 2000, required=False) or "",
            )
            for item in record.records("modules", "title")
        ),
    )


def batch_changes(item: Record, today: date, campuses: Mapping) -> BatchChanges:
    """One of a seed course's batches, its start counted in days from ``today``."""
    seats_total = item.integer("seats_total", 1, 10_000)
    campus = item.reference("campus", campuses, "campus area of this institute", required=False)
    return BatchChanges(
        start_date=today + timedelta(days=item.integer("starts_in_days", -365, 730)),
        schedule=item.choice("schedule", Schedule),
        mode=item.choice("mode", Mode),
        seats_total=seats_total,
        seats_left=item.integer("seats_left", 0, seats_total),
        campus=campus.id if campus is not None else None,
    )


def event_changes(record: Record, today: date, areas: Mapping, topics: Mapping) -> EventChanges:
    """One record of ``events.yaml``, its start counted in days from ``today`` (in Hyderabad)."""
    start_text = record.text("start_time", 5)
    try:
        start_time = time.fromisoformat(start_text)
    except ValueError:
        raise record.error("start_time", f"{start_text!r} is not a time like 18:30") from None
    day = today + timedelta(days=record.integer("starts_in_days", -365, 730))
    starts_at = datetime.combine(day, start_time, tzinfo=LOCAL_TZ)
    hours = record.number("duration_hours")
    if not 0.5 <= hours <= 24 * 14:
        raise record.error("duration_hours", f"must be between 0.5 and 336, not {hours:g}")
    return EventChanges(
        title=record.text("title", 200),
        slug=record.slug(),
        kind=record.choice("kind", EventKind),
        description=record.text("description", 5000),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        venue=record.text("venue", 300),
        area=record.reference("area", areas, "area").id,
        organiser=record.text("organiser", 200),
        fee_inr=record.integer("fee_inr", 0, 1_000_000),
        url=record.url("url"),
        topics=_ids(record, "topics", topics, "topic"),
    )
