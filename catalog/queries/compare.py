"""Reads behind the shortlist and the compare page: public courses by id or slug, each with
everything a comparison shows, in a fixed number of statements however many courses there are."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Course
from catalog.queries.courses import VISIBLE, course_list_options


def public_course(session: Session, course_id: int) -> Course | None:
    """The course with this id when it is public (published, by an approved institute)."""
    return session.scalar(select(Course).where(Course.id == course_id, VISIBLE))


def shortlisted_courses(session: Session, course_ids: Sequence[int]) -> list[Course]:
    """The public courses among ``course_ids``, in that order, with what a course card shows;
    archived, unpublished and unknown ids are left out."""
    if not course_ids:
        return []
    stmt = select(Course).where(Course.id.in_(course_ids), VISIBLE).options(*course_list_options())
    found = {course.id: course for course in session.scalars(stmt)}
    return [found[course_id] for course_id in course_ids if course_id in found]


def courses_to_compare(session: Session, slugs: Sequence[str]) -> dict[str, Course]:
    """The public courses with these slugs, by slug, with their institute, batches, topics, tools
    and instructors loaded (one statement each, whatever the number of courses)."""
    if not slugs:
        return {}
    stmt = (
        select(Course)
        .where(Course.slug.in_(slugs), VISIBLE)
        .options(
            selectinload(Course.institute),
            selectinload(Course.batches),
            selectinload(Course.topics),
            selectinload(Course.tools),
            selectinload(Course.instructors),
        )
    )
    return {course.slug: course for course in session.scalars(stmt)}
