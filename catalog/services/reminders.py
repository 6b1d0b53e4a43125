"""Staleness reminders: an admin asks a course's institute, by email, to review its syllabus.

One reminder per course at most every ``REMINDER_INTERVAL_DAYS`` days, so a busy admin cannot
flood an institute; the email goes through the outbox in the same transaction as the reminder's
row and its audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalog.emails import staleness_reminder
from catalog.models import Course, StalenessReminder, User, next_reminder_at
from catalog.models.base import utcnow
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.services.outbox import queue_email
from catalog.services.transactions import one_write


def last_reminder_at(session: Session, course_id: int) -> datetime | None:
    """When the institute was last reminded about this course, if ever."""
    return session.scalar(
        select(func.max(StalenessReminder.sent_at)).where(StalenessReminder.course_id == course_id)
    )


def send_staleness_reminder(
    session: Session, course_id: int, actor: User, today: date, now: datetime | None = None
) -> StalenessReminder:
    """Queue the reminder email about a stale course to its institute; commits with an audit entry.

    Refuses with ``"course-missing"``, ``"not-stale"`` (reviewed within the year),
    ``"reminded-recently"`` (``next_on``: the first day another may go) or ``"no-recipient"``.
    """
    now = now or utcnow()
    with one_write(session):
        # Locking the course row makes two admins' clicks at the same moment take turns, so the
        # second one sees the first one's reminder (PostgreSQL; SQLite writes one at a time).
        course = session.scalar(
            select(Course)
            .where(Course.id == course_id)
            .options(selectinload(Course.institute))
            .with_for_update(of=Course)
        )
        if course is None:
            raise DomainError("course-missing")
        if not course.syllabus_is_stale(today):
            raise DomainError("not-stale")
        last = last_reminder_at(session, course.id)
        next_at = next_reminder_at(last)
        if next_at is not None and now < next_at:
            raise DomainError("reminded-recently", last_on=last, next_on=next_at)
        recipients = _recipients(session, course)
        if not recipients:
            raise DomainError("no-recipient")
        email = staleness_reminder(course)
        for address in recipients:
            queue_email(session, "staleness-reminder", address, email)
        reminder = StalenessReminder(course_id=course.id, sent_by_id=actor.id, sent_at=now)
        session.add(reminder)
        record_change(
            session,
            actor,
            "remind",
            course,
            {"reminded_at": [last.isoformat() if last else None, now.isoformat()]},
            summary=f"Reminded {course.institute.name} to review the syllabus of {course.title}"
            f" ({', '.join(recipients)})",
        )
    return reminder


def _recipients(session: Session, course: Course) -> list[str]:
    """Where a reminder about ``course`` goes: the institute's address, else its active staff's."""
    if course.institute.email:
        return [course.institute.email]
    return list(
        session.scalars(
            select(User.email)
            .where(User.institute_id == course.institute_id, User.active.is_(True))
            .order_by(User.email)
        )
    )
