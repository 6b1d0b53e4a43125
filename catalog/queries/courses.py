"""Reads about courses and batches for the public pages, the enquiry pages and (later) the API.

Each returns plain records or None; the caller decides what a missing record means (a 404).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Batch, Campus, Course, Institute
from catalog.search import related_course_ids

#: Courses learners may see: published, by an approved institute.
VISIBLE = Course.public_condition()


def published_course(session: Session, slug: str) -> Course | None:
    """The published course with this slug, with everything its page shows."""
    return session.scalar(
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


def course_by_slug(session: Session, slug: str) -> Course | None:
    """The course with this slug whatever its status, with its institute and batches."""
    return session.scalar(
        select(Course)
        .where(Course.slug == slug)
        .options(
            selectinload(Course.institute),
            selectinload(Course.batches).selectinload(Batch.campus).selectinload(Campus.area),
        )
    )


def course_list_options() -> tuple:
    """Loader options for a list of course cards: a fixed number of statements for any length."""
    return (
        selectinload(Course.institute),
        selectinload(Course.batches),
        selectinload(Course.topics),
        selectinload(Course.languages),
        selectinload(Course.campuses).selectinload(Campus.area),
    )


def courses_by_ids(session: Session, course_ids: list[int]) -> dict[int, Course]:
    """These courses by id, with what a course card shows, in a fixed number of statements."""
    if not course_ids:
        return {}
    stmt = select(Course).where(Course.id.in_(course_ids)).options(*course_list_options())
    return {course.id: course for course in session.scalars(stmt)}


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


def related_courses(session: Session, course: Course, limit: int) -> list[Course]:
    """Other published courses sharing the most topics and tools with ``course``, then by title."""
    ids = related_course_ids(
        session, course.id, [t.slug for t in course.topics], [t.slug for t in course.tools], limit
    )
    found = courses_by_ids(session, ids)
    return [found[course_id] for course_id in ids if course_id in found]


def institute_courses(session: Session, institute: Institute) -> list[Course]:
    """An institute's published courses."""
    return list(
        session.scalars(
            select(Course)
            .where(Course.institute_id == institute.id, VISIBLE)
            .order_by(Course.title)
            .options(*course_list_options())
        )
    )
