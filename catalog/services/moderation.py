"""Moderation: an admin approves a pending course listing, or sends it back with a reason.

Approving publishes the listing (search follows in the same commit) and keeps it as the
course's approved form; for a published course's held edit, approving puts the edit onto the
live listing. Sending a listing back makes it a draft again (a held edit stays held instead,
and the live listing as it is), stores the reason, which the institute's portal shows beside
the course, and emails the reason to the institute's staff through the outbox. Both are
checked against the version the admin looked at, so a listing changed meanwhile is never
approved unseen. Each is one commit with its audit entry.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import Course, CourseStatus, Institute, User
from catalog.models.base import utcnow
from catalog.queries.accounts import active_staff
from catalog.services.audit import audit_change
from catalog.services.course_listing import apply_held_changes
from catalog.services.courses import course_snapshot, listing_snapshot
from catalog.services.errors import DomainError, EditConflict
from catalog.services.moderation_institutes import approve_institute
from catalog.services.outbox import queue_email
from catalog.services.outcomes import Outcome
from catalog.services.transactions import one_write

#: The longest reason an admin may give (it is shown in the portal and sent by email).
REASON_MAX = 2000


def _check_pending(course: Course, version: int) -> None:
    if not course.awaits_review:
        raise DomainError("course-not-pending", title=course.title)
    if course.version != version:
        raise DomainError("course-changed-meanwhile", title=course.title)


def approve_course(session: Session, actor: User, course: Course, version: int) -> Outcome[Course]:
    """Publish the pending listing as it stands at ``version``, with its audit entry."""
    _check_pending(course, version)
    before = course_snapshot(course)
    try:
        with one_write(session):
            if course.has_held_edit:
                apply_held_changes(session, course)
            course.status = CourseStatus.PUBLISHED
            course.approved_snapshot = listing_snapshot(course)
            course.rejection_reason = None
            course.updated_at = utcnow()
            session.flush()
            audit_change(
                session, actor, "approve", course, before, course_snapshot(course),
                summary=f"Approved course “{course.title}”",
            )  # fmt: skip
    except EditConflict:
        raise DomainError("course-changed-meanwhile", title=course.title) from None
    return Outcome(course, "course-approved", {"title": course.title})


def reject_course(
    session: Session, actor: User, course: Course, version: int, reason: str
) -> Outcome[Course]:
    """Send the pending listing back to its institute as a draft, with the admin's ``reason``
    (required), stored for the portal and emailed to the institute's staff."""
    reason = reason.strip()
    if not reason:
        raise DomainError("reason-required", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError("reason-too-long", field="reason", limit=REASON_MAX)
    _check_pending(course, version)
    before = course_snapshot(course)
    try:
        with one_write(session):
            if not course.has_held_edit:
                course.status = CourseStatus.DRAFT
            course.rejection_reason = reason
            course.updated_at = utcnow()
            for address in _recipients(session, course.institute):
                email = emails.course_rejected(course, reason)
                queue_email(session, "course-rejected", address, email)
            session.flush()
            after = {**course_snapshot(course), "rejection_reason": reason}
            audit_change(
                session, actor, "reject", course, before, after,
                summary=f"Sent course “{course.title}” back: {reason}"[:200],
            )  # fmt: skip
    except EditConflict:
        raise DomainError("course-changed-meanwhile", title=course.title) from None
    return Outcome(course, "course-rejected", {"title": course.title})


def _recipients(session: Session, institute: Institute) -> list[str]:
    """The institute's active staff, or its public address when it has no staff accounts."""
    staff = [user.email for user in active_staff(session, institute.id)]
    return staff or ([institute.email] if institute.email else [])


def approve_pending_institute(session: Session, actor: User, institute: Institute) -> Outcome[Institute]:
    """Approve a pending institute from the queue (the same service as ``approve-institute``)."""
    if approve_institute(session, institute, by=actor) is None:
        return Outcome(institute, "institute-already-approved", {"name": institute.name})
    return Outcome(institute, "institute-approved", {"name": institute.name})
