"""Reads of the moderation queue: what waits for an admin, and one pending listing in full."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Course, Institute, InstituteStatus


def pending_courses_query() -> Select:
    """Course listings waiting for review (pending ones, and published ones' held edits), the
    longest waiting first, with their institutes (for ``db.paginate``)."""
    return (
        select(Course)
        .where(Course.awaits_review_condition())
        .options(selectinload(Course.institute), selectinload(Course.modules))
        .order_by(Course.updated_at, Course.id)
    )


def pending_institutes(session: Session) -> list[Institute]:
    """Institutes that registered and wait for approval, the longest waiting first."""
    return list(
        session.scalars(
            select(Institute)
            .where(Institute.status == InstituteStatus.PENDING)
            .order_by(Institute.created_at, Institute.id)
        )
    )


def pending_course_count(session: Session) -> int:
    """How many course listings wait for review."""
    return session.scalar(select(func.count()).where(Course.awaits_review_condition())) or 0


def pending_course(session: Session, course_id: int) -> Course | None:
    """One course with everything its listing shows, or None when there is no such course."""
    return session.scalar(
        select(Course)
        .where(Course.id == course_id)
        .options(
            selectinload(Course.institute),
            selectinload(Course.modules),
            selectinload(Course.languages),
            selectinload(Course.topics),
            selectinload(Course.tools),
            selectinload(Course.instructors),
            selectinload(Course.campuses),
        )
    )
