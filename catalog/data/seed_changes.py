"""Records of the data files (the seed's, an import file's) read into the services' commands,
and the services' refusals back into errors that name the file, the record and the field.

Each reader checks what only a file can get wrong (a missing field, text where a number belongs,
an unknown slug); the rules of the records themselves are the services'. The seed and the
importer read the same fields with the same functions; they differ only in how a file gives
dates (the seed counts days from today, an import file names the day) and a course's status.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from catalog.data.records import DataError, Record
from catalog.models import (
    LANGUAGES,
    CourseFormat,
    CourseStatus,
    EventKind,
    Institute,
    InstituteStatus,
    Level,
    Mode,
    Schedule,
)
from catalog.services.batches import BatchChanges
from catalog.services.campuses import CampusChanges
from catalog.services.course_changes import CourseChanges, ModuleRow
from catalog.services.errors import DomainError
from catalog.services.events import EventChanges
from catalog.services.institutes import InstituteChanges
from catalog.services.instructors import InstructorChanges
from catalog.services.vocabulary import NAME_MAX, TermChanges, has_description, has_synonyms
from catalog.timeutil import LOCAL_TZ

#: What a seed course's ``status`` may ask for: publish it or not. Whether a published course
#: waits as pending is the course rules' call, as in the portal.
SEED_STATUSES = {CourseStatus.DRAFT: False, CourseStatus.PUBLISHED: True}

#: Weekday names as a seed file writes them in ``on_day``, Monday first (``date.weekday()``).
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ANY_DAY = frozenset(range(7))
#: The days a batch of each schedule may start on; the other schedules start on any day.
SCHEDULE_DAYS = {Schedule.WEEKDAY: frozenset(range(5)), Schedule.WEEKEND: frozenset({5, 6})}


def seed_day(today: date, days: int, weekdays: Collection[int] = ANY_DAY) -> date:
    """The first day on or after ``today + days`` whose weekday (Monday 0) is one of ``weekdays``,
    so a relative seed date keeps its meaning (a weekend batch starts on a weekend) whatever day
    the seed runs."""
    if not weekdays:
        raise ValueError("no weekday to fall on")
    day = today + timedelta(days=days)
    while day.weekday() not in weekdays:
        day += timedelta(days=1)
    return day


def _seed_start(record: Record, today: date, allowed: frozenset[int]) -> date:
    """A seed record's day: ``starts_in_days`` from ``today``, moved on to a day in ``allowed``,
    or to the weekday its optional ``on_day`` names (one of ``allowed``)."""
    days = record.integer("starts_in_days", -365, 730)
    on_day = record.data.get("on_day")
    if on_day is not None:
        if on_day not in WEEKDAY_NAMES:
            return record.refuse("on_day", f"{on_day!r} is not one of: {', '.join(WEEKDAY_NAMES)}")
        if WEEKDAY_NAMES.index(on_day) not in allowed:
            return record.refuse("on_day", f"{on_day!r} does not fit this schedule")
        allowed = frozenset({WEEKDAY_NAMES.index(on_day)})
    return seed_day(today, days or 0, allowed)


@contextmanager
def refusals_named(record: Record) -> Iterator[None]:
    """Turn a service's refusal into a data error that names the file, the record and the field."""
    try:
        yield
    except DomainError as error:
        if error.code == "record-clash":
            raise DataError(
                f"{record.source}: {record.label}: the database refused a record: {error.params['detail']}",
                record.source,
                record.label,
                reason=f"the database refused a record: {error.params['detail']}",
            ) from None
        values = "".join(f", {name}={value!r}" for name, value in error.params.items())
        raise record.error(error.field or None, f"refused: {error.code}{values}") from None


def _id(entry: Any) -> int | None:
    # A reference a collecting record could not resolve stands as None.
    return None if entry is None else entry.id


def _ids(record: Record, field: str, known: Mapping[str, Any], what: str) -> tuple[int, ...]:
    return tuple(_id(entry) for entry in record.references(field, known, what))


def term_changes(record: Record, kind: str) -> tuple[str, TermChanges, dict[str, Any]]:
    """A topic, tool or area: its slug, what its vocabulary page edits, and its details (a
    tool's category, an area's coordinates)."""
    slug = record.slug()
    if slug is not None and len(slug) > NAME_MAX:
        record.refuse("slug", f"must be at most {NAME_MAX} characters")
    changes = TermChanges(
        name=record.text("name", NAME_MAX),
        description=(record.text("description", 4000, required=False) or "") if has_description(kind) else "",
        synonyms=tuple(record.strings("synonyms", required=False)) if has_synonyms(kind) else (),
    )
    if kind == "tool":
        details = {"category": record.text("category", 40)}
    elif kind == "area":
        details = {name: record.number(name, required=False) for name in ("latitude", "longitude")}
    else:
        details = {}
    return slug, changes, details


def institute_changes(record: Record, today: date) -> InstituteChanges:
    """An institute's profile."""
    return InstituteChanges(
        name=record.text("name", 160),
        description=record.text("description", 5000, required=False) or "",
        website=record.url("website"),
        email=record.text("email", 254, required=False),
        phone=record.text("phone", 40, required=False),
        founded_year=record.integer("founded_year", 1900, today.year, required=False),
        partners=tuple(record.strings("partners", required=False)),
    )


def new_institute(record: Record, slug: str) -> Institute:
    """An institute not stored yet, with what only admins set: in a data file, the file sets
    its status and verified mark (its profile follows through ``apply_institute``)."""
    return Institute(
        slug=slug,
        status=record.choice("status", InstituteStatus),
        verified=record.boolean("verified", False),
    )


def campus_changes(item: Record, areas: Mapping) -> CampusChanges:
    """One of an institute's campuses: its area by slug, and its address."""
    area = item.reference("area", areas, "area")
    return CampusChanges(area=_id(area), address=item.text("address", 300))


def instructor_changes(item: Record) -> InstructorChanges:
    """One of an institute's instructors."""
    return InstructorChanges(
        name=item.text("name", 160),
        years_experience=item.integer("years_experience", 0, 60),
        bio=item.text("bio", 2000, required=False) or "",
        industry_background=item.text("industry_background", 200, required=False) or "",
    )


def course_changes(
    record: Record,
    today: date,
    *,
    campuses: Mapping,
    instructors: Mapping,
    topics: Mapping,
    tools: Mapping,
    publish: bool,
    syllabus_reviewed_on: date | None,
    modules: list[Record] | None = None,
) -> CourseChanges:
    """A course listing; campuses by area slug, instructors by name (the institute's own), its
    modules the record's own (or ``modules``, when a file keeps them elsewhere)."""
    if modules is None:
        modules = record.records("modules", "title")
    certification = record.data.get("certification")
    certification_name = certification_issuer = None
    if certification is not None:
        cert = record.child("certification", certification)
        certification_name = cert.text("name", 200)
        certification_issuer = cert.text("issuer", 200)
    placement_support = record.boolean("placement_support", False)
    placement = record.data.get("placement")
    rate = year = cohort = None
    if placement is not None:
        if placement_support is False:
            record.refuse("placement", "placement figures need placement_support: true")
        figures = record.child("placement", placement)
        rate = figures.integer("rate_percent", 0, 100)
        year = figures.integer("year", 2000, today.year)
        cohort = figures.integer("cohort_size", 1, 100_000)
    languages = record.strings("languages")
    for language in languages:
        if language not in LANGUAGES:
            record.refuse("languages", f"unknown language {language!r}")
    return CourseChanges(
        title=record.text("title", 200),
        slug=record.slug(),
        summary=record.text("summary", 300),
        description=record.text("description", 20_000, required=False) or "",
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
        publish=publish,
        syllabus_reviewed_on=syllabus_reviewed_on,
        topics=_ids(record, "topics", topics, "topic"),
        tools=_ids(record, "tools", tools, "tool"),
        campuses=_ids(record, "campuses", campuses, "campus area of this institute"),
        instructors=_ids(record, "instructors", instructors, "instructor of this institute"),
        languages=tuple(languages),
        modules=tuple(module_row(item) for item in modules),
    )


def module_row(item: Record) -> ModuleRow:
    """One part of a course's syllabus."""
    return ModuleRow(
        title=item.text("title", 200),
        hours=item.integer("hours", 0, 1000),
        outline=item.text("outline", 2000, required=False) or "",
    )


def seed_course_changes(
    record: Record, today: date, *, campuses: Mapping, instructors: Mapping, topics: Mapping, tools: Mapping
) -> CourseChanges:
    """One of a seed file's courses: published or draft, reviewed some days before today."""
    status = record.choice("status", CourseStatus)
    if status not in SEED_STATUSES:
        raise record.error("status", f"{status.value!r} is not one of: draft, published")
    reviewed_ago = record.integer("syllabus_reviewed_days_ago", 0, 3650, required=False)
    return course_changes(
        record,
        today,
        campuses=campuses,
        instructors=instructors,
        topics=topics,
        tools=tools,
        publish=SEED_STATUSES[status],
        syllabus_reviewed_on=None if reviewed_ago is None else today - timedelta(days=reviewed_ago),
    )


def batch_changes(item: Record, start_date: date | None, campuses: Mapping) -> BatchChanges:
    """A batch of a course starting on ``start_date``; its campus by area slug."""
    seats_total = item.integer("seats_total", 1, 10_000)
    campus = item.reference("campus", campuses, "campus area of this institute", required=False)
    return BatchChanges(
        start_date=start_date,
        schedule=item.choice("schedule", Schedule),
        mode=item.choice("mode", Mode),
        seats_total=seats_total,
        seats_left=item.integer("seats_left", 0, seats_total),
        campus=_id(campus),
    )


def seed_batch_changes(item: Record, today: date, campuses: Mapping) -> BatchChanges:
    """One of a seed course's batches, its start counted in days from ``today`` and moved on to
    the first day its schedule (and ``on_day``) allows."""
    schedule = Schedule(item.data["schedule"]) if item.data.get("schedule") in set(Schedule) else None
    start_date = _seed_start(item, today, SCHEDULE_DAYS.get(schedule, ANY_DAY))
    return batch_changes(item, start_date, campuses)


def event_changes(
    record: Record, starts_at: datetime | None, ends_at: datetime | None, areas: Mapping, topics: Mapping
) -> EventChanges:
    """An event from ``starts_at`` to ``ends_at``; its area and topics by slug."""
    return EventChanges(
        title=record.text("title", 200),
        slug=record.slug(),
        kind=record.choice("kind", EventKind),
        description=record.text("description", 5000, required=False) or "",
        starts_at=starts_at,
        ends_at=ends_at,
        venue=record.text("venue", 300),
        area=_id(record.reference("area", areas, "area")),
        organiser=record.text("organiser", 200),
        fee_inr=record.integer("fee_inr", 0, 1_000_000),
        url=record.url("url"),
        topics=_ids(record, "topics", topics, "topic"),
    )


def seed_event_changes(record: Record, today: date, areas: Mapping, topics: Mapping) -> EventChanges:
    """One record of ``events.yaml``, its start counted in days from ``today`` (in Hyderabad) and
    moved on to the weekday its optional ``on_day`` names."""
    start_text = record.text("start_time", 5)
    try:
        start_time = time.fromisoformat(start_text)
    except ValueError:
        raise record.error("start_time", f"{start_text!r} is not a time like 18:30") from None
    day = _seed_start(record, today, ANY_DAY)
    starts_at = datetime.combine(day, start_time, tzinfo=LOCAL_TZ)
    hours = record.number("duration_hours")
    if not 0.5 <= hours <= 24 * 14:
        raise record.error("duration_hours", f"must be between 0.5 and 336, not {hours:g}")
    return event_changes(record, starts_at, starts_at + timedelta(hours=hours), areas, topics)
