"""Read-only queries behind the public pages, each a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    Area,
    Batch,
    Campus,
    Course,
    Event,
    EventKind,
    Institute,
    InstituteStatus,
    Tool,
    Topic,
    course_tools,
    course_topics,
    event_topics,
)
from catalog.timeutil import LOCAL_TZ

#: Courses learners may see: published, by an approved institute.
VISIBLE = Course.public_condition()
APPROVED = Institute.status == InstituteStatus.APPROVED


def get_published_course_or_404(session: Session, slug: str) -> Course:
    """The published course with this slug, with everything its page shows, or 404."""
    course = session.scalar(
        select(Course)
        .where(Course.slug == slug, VISIBLE)
        .options(
            selectinload(Course.institute).selectinload(Institute.campuses).selectinload(Campus.area),
            selectinload(Course.modules),
            selectinload(Course.batches).selectinload(Batch.campus).selectinload(Campus.area),
            selectinload(Course.topics),
            selectinload(Course.tools),
            selectinload(Course.instructors),
            selectinload(Course.languages),
            selectinload(Course.campuses).selectinload(Campus.area),
        )
    )
    if course is None:
        abort(404, description="No published course has that address. It may have been archived.")
    return course


def get_approved_institute_or_404(session: Session, slug: str) -> Institute:
    """The approved institute with this slug, or 404."""
    institute = session.scalar(
        select(Institute)
        .where(Institute.slug == slug, APPROVED)
        .options(
            selectinload(Institute.campuses).selectinload(Campus.area),
            selectinload(Institute.partners),
            selectinload(Institute.instructors),
        )
    )
    if institute is None:
        abort(404, description="No institute has that address.")
    return institute


def get_topic_or_404(session: Session, slug: str) -> Topic:
    """The topic with this slug, or 404."""
    topic = session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        abort(404, description="No topic has that address.")
    return topic


def _course_list_options():
    return (
        selectinload(Course.institute),
        selectinload(Course.batches),
        selectinload(Course.topics),
        selectinload(Course.languages),
    )


def topics_with_counts(session: Session) -> list[tuple[Topic, int]]:
    """Every topic with its number of published courses, busiest first."""
    count = (
        select(func.count(course_topics.c.course_id))
        .join(Course, Course.id == course_topics.c.course_id)
        .where(course_topics.c.topic_id == Topic.id, VISIBLE)
        .correlate(Topic)
        .scalar_subquery()
    )
    return [
        (topic, n) for topic, n in session.execute(select(Topic, count).order_by(count.desc(), Topic.name))
    ]


def upcoming_batches(session: Session, today: date, limit: int) -> list[Batch]:
    """The soonest open batches of published courses."""
    return list(
        session.scalars(
            select(Batch)
            .join(Batch.course)
            .where(Batch.open_condition(today), VISIBLE)
            .order_by(Batch.start_date, Batch.id)
            .limit(limit)
            .options(
                selectinload(Batch.course).selectinload(Course.institute),
                selectinload(Batch.campus).selectinload(Campus.area),
            )
        )
    )


@dataclass(frozen=True)
class InstituteRow:
    institute: Institute
    course_count: int


def institutes_with_counts(
    session: Session, area_slug: str | None = None, limit: int | None = None
) -> list[InstituteRow]:
    """Approved institutes with their published-course counts, optionally those in one area."""
    count = (
        select(func.count(Course.id))
        .where(Course.institute_id == Institute.id, VISIBLE)
        .correlate(Institute)
        .scalar_subquery()
    )
    stmt = (
        select(Institute, count)
        .where(APPROVED)
        .order_by(count.desc(), Institute.name)
        .options(selectinload(Institute.campuses).selectinload(Campus.area))
    )
    if area_slug == "online":
        stmt = stmt.where(~Institute.campuses.any())
    elif area_slug:
        stmt = stmt.where(Institute.campuses.any(Campus.area.has(Area.slug == area_slug)))
    if limit:
        stmt = stmt.limit(limit)
    return [InstituteRow(institute, n) for institute, n in session.execute(stmt)]


def areas_with_institutes(session: Session) -> list[Area]:
    """Areas that have at least one approved institute's campus, plus Online."""
    stmt = (
        select(Area)
        .where(Area.campuses.any(Campus.institute.has(APPROVED)) | (Area.slug == "online"))
        .order_by(Area.slug == "online", Area.name)
    )
    return list(session.scalars(stmt))


def catalog_stats(session: Session, today: date) -> dict[str, int]:
    """Headline numbers of our own catalog for the home page."""
    return {
        "courses": session.scalar(
            select(func.count(Course.id)).join(Course.institute).where(VISIBLE, APPROVED)
        )
        or 0,
        "institutes": session.scalar(select(func.count(Institute.id)).where(APPROVED)) or 0,
        "open_batches": session.scalar(
            select(func.count(Batch.id)).join(Batch.course).where(Batch.open_condition(today), VISIBLE)
        )
        or 0,
    }


def related_courses(session: Session, course: Course, limit: int) -> list[Course]:
    """Other published courses sharing the most topics and tools with ``course``."""
    topic_ids = [t.id for t in course.topics]
    tool_ids = [t.id for t in course.tools]
    shared = (
        select(course_topics.c.course_id.label("course_id"))
        .where(course_topics.c.topic_id.in_(topic_ids))
        .union_all(select(course_tools.c.course_id).where(course_tools.c.tool_id.in_(tool_ids)))
        .subquery()
    )
    score = func.count().label("score")
    ranked = (
        select(shared.c.course_id, score)
        .where(shared.c.course_id != course.id)
        .group_by(shared.c.course_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(Course)
            .join(ranked, ranked.c.course_id == Course.id)
            .where(VISIBLE)
            .order_by(ranked.c.score.desc(), Course.title)
            .limit(limit)
            .options(*_course_list_options())
        )
    )


def institute_courses(session: Session, institute: Institute) -> list[Course]:
    """An institute's published courses."""
    return list(
        session.scalars(
            select(Course)
            .where(Course.institute_id == institute.id, VISIBLE)
            .order_by(Course.title)
            .options(*_course_list_options())
        )
    )


def tools_for_topic(session: Session, topic: Topic) -> list[tuple[Tool, int]]:
    """Tools taught in the topic's published courses, most used first."""
    uses = func.count(course_tools.c.course_id).label("uses")
    stmt = (
        select(Tool, uses)
        .join(course_tools, course_tools.c.tool_id == Tool.id)
        .join(course_topics, course_topics.c.course_id == course_tools.c.course_id)
        .join(Course, Course.id == course_tools.c.course_id)
        .where(course_topics.c.topic_id == topic.id, VISIBLE)
        .group_by(Tool.id)
        .order_by(uses.desc(), Tool.name)
    )
    return [(tool, n) for tool, n in session.execute(stmt)]


def upcoming_events(
    session: Session,
    today: date,
    *,
    kind: str | None = None,
    topic_slug: str | None = None,
    topic_id: int | None = None,
    area_slug: str | None = None,
    institute_id: int | None = None,
) -> list[Event]:
    """Events that have not ended, soonest first, with optional filters."""
    start_of_today = datetime.combine(today, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)
    stmt = (
        select(Event)
        .where(Event.ends_at >= start_of_today)
        .order_by(Event.starts_at, Event.id)
        .options(selectinload(Event.area), selectinload(Event.topics), selectinload(Event.institute))
    )
    if kind:
        stmt = stmt.where(Event.kind == EventKind(kind))
    if topic_slug:
        stmt = stmt.where(Event.topics.any(Topic.slug == topic_slug))
    if topic_id:
        stmt = stmt.where(
            Event.id.in_(select(event_topics.c.event_id).where(event_topics.c.topic_id == topic_id))
        )
    if area_slug:
        stmt = stmt.where(Event.area.has(Area.slug == area_slug))
    if institute_id:
        stmt = stmt.where(Event.institute_id == institute_id)
    return list(session.scalars(stmt))


def event_filter_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Options for the event filters; the first option of each means "any"."""
    used_areas = select(Event.area_id).distinct()
    return {
        "kind": [("", "Any kind")] + [(k.value, k.value.capitalize()) for k in EventKind],
        "topic": [("", "Any topic")]
        + [(t.slug, t.name) for t in session.scalars(select(Topic).order_by(Topic.name))],
        "area": [("", "Anywhere")]
        + [
            (a.slug, a.name)
            for a in session.scalars(
                select(Area).where(Area.id.in_(used_areas)).order_by(Area.slug == "online", Area.name)
            )
        ],
    }
