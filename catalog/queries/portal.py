"""Reads of the institute portal: one institute's own records, its dashboard, its form choices.

Every function takes the institute's id and returns only that institute's records (or None, or
an empty list); the view decides what a missing record means (a 404, never a 403).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    Area,
    AuditEntry,
    Batch,
    Campus,
    Course,
    CourseStatus,
    Enquiry,
    EnquiryStatus,
    Event,
    Institute,
    Instructor,
    course_instructors,
)

#: Courses the institute is showing or has asked to show: their batches and syllabi matter now.
LIVE_STATUSES = (CourseStatus.PUBLISHED, CourseStatus.PENDING)


def _institute_column(model):
    if hasattr(model, "institute_id"):
        return model.institute_id
    # Batches and modules belong to an institute through their course.
    return select(Course.institute_id).where(Course.id == model.course_id).scalar_subquery()


def owned(session: Session, model, record_id: int, institute_id: int, *options):
    """The ``model`` record with this id if it belongs to the institute, else None."""
    return session.scalar(
        select(model).where(model.id == record_id, _institute_column(model) == institute_id).options(*options)
    )


def course_edit_options() -> tuple:
    """Loader options for a course with everything its form, snapshot and audit entry read."""
    return (
        selectinload(Course.institute),
        selectinload(Course.modules),
        selectinload(Course.languages),
        selectinload(Course.topics),
        selectinload(Course.tools),
        selectinload(Course.instructors),
        selectinload(Course.campuses).selectinload(Campus.area),
    )


def course_batches_options() -> tuple:
    """Loader options for a course with its batches and their campuses' areas."""
    return (selectinload(Course.batches).selectinload(Batch.campus).selectinload(Campus.area),)


def batch_edit_options() -> tuple:
    """Loader options for a batch with its course and its campus's area."""
    return (selectinload(Batch.course), selectinload(Batch.campus).selectinload(Campus.area))


def event_edit_options() -> tuple:
    """Loader options for an event with its area and topics."""
    return (selectinload(Event.area), selectinload(Event.topics))


def campus_edit_options() -> tuple:
    """Loader options for a campus with its area."""
    return (selectinload(Campus.area),)


def institute_profile(session: Session, institute_id: int) -> Institute | None:
    """The institute with its partners, for the profile form."""
    return session.scalar(
        select(Institute).where(Institute.id == institute_id).options(selectinload(Institute.partners))
    )


def campuses_of(session: Session, institute_id: int) -> list[Campus]:
    """The institute's campuses with their areas, by area name."""
    return list(
        session.scalars(
            select(Campus)
            .join(Campus.area)
            .where(Campus.institute_id == institute_id)
            .options(selectinload(Campus.area))
            .order_by(Area.name)
        )
    )


def instructors_of(session: Session, institute_id: int) -> list[Instructor]:
    """The institute's instructors by name."""
    return list(
        session.scalars(
            select(Instructor).where(Instructor.institute_id == institute_id).order_by(Instructor.name)
        )
    )


def courses_of(session: Session, institute_id: int) -> list[Course]:
    """The institute's courses with their batches: archived ones last, the latest saved first."""
    return list(
        session.scalars(
            select(Course)
            .where(Course.institute_id == institute_id)
            .options(selectinload(Course.batches))
            .order_by(case((Course.status == CourseStatus.ARCHIVED, 1), else_=0), Course.updated_at.desc())
        )
    )


def events_of(session: Session, institute_id: int) -> list[Event]:
    """The institute's events with their areas and topics, latest start first."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.institute_id == institute_id)
            .options(selectinload(Event.area), selectinload(Event.topics))
            .order_by(Event.starts_at.desc())
        )
    )


def course_status_counts(session: Session, institute_id: int) -> dict[CourseStatus, int]:
    """How many of the institute's courses are in each status (statuses with none left out)."""
    rows = session.execute(
        select(Course.status, func.count(Course.id))
        .where(Course.institute_id == institute_id)
        .group_by(Course.status)
    )
    return {CourseStatus(status): count for status, count in rows}


def new_enquiries(session: Session, institute_id: int, limit: int) -> list[Enquiry]:
    """The institute's latest new enquiries with their course and batch."""
    return list(
        session.scalars(
            select(Enquiry)
            .where(Enquiry.institute_id == institute_id, Enquiry.status == EnquiryStatus.NEW)
            .order_by(Enquiry.created_at.desc())
            .limit(limit)
            .options(selectinload(Enquiry.course), selectinload(Enquiry.batch))
        )
    )


def new_enquiry_count(session: Session, institute_id: int) -> int:
    """How many of the institute's enquiries are new."""
    return (
        session.scalar(
            select(func.count(Enquiry.id)).where(
                Enquiry.institute_id == institute_id, Enquiry.status == EnquiryStatus.NEW
            )
        )
        or 0
    )


def scheduled_batches(session: Session, institute_id: int, today: date, limit: int) -> list[Batch]:
    """The soonest batches of the institute's live courses still to run (open or full)."""
    live_courses = select(Course.id).where(
        Course.institute_id == institute_id, Course.status.in_(LIVE_STATUSES)
    )
    return list(
        session.scalars(
            select(Batch)
            .where(Batch.course_id.in_(live_courses), Batch.scheduled_condition(today))
            .order_by(Batch.start_date)
            .limit(limit)
            .options(selectinload(Batch.course), selectinload(Batch.campus))
        )
    )


def stale_syllabi(session: Session, institute_id: int, today: date) -> list[Course]:
    """The institute's live courses whose syllabus is out of date (``Course.syllabus_is_stale``)."""
    return list(
        session.scalars(
            select(Course)
            .where(
                Course.institute_id == institute_id,
                Course.status.in_(LIVE_STATUSES),
                Course.stale_syllabus_condition(today),
            )
            .order_by(Course.syllabus_reviewed_on)
        )
    )


def scheduled_batch_dates_at(session: Session, campus_id: int, today: date) -> list[date]:
    """Start dates of the batches still to run (open or full) at a campus, soonest first."""
    return list(
        session.scalars(
            select(Batch.start_date)
            .where(Batch.campus_id == campus_id, Batch.scheduled_condition(today))
            .order_by(Batch.start_date)
        )
    )


def courses_taught_by(session: Session, instructor_id: int) -> list[str]:
    """Titles of the courses that name this instructor, alphabetically."""
    return list(
        session.scalars(
            select(Course.title)
            .join(course_instructors)
            .where(course_instructors.c.instructor_id == instructor_id)
            .order_by(Course.title)
        )
    )


def course_was_published(session: Session, course_id: int) -> bool:
    """True when the audit log shows the course published at some time (links to it may exist)."""
    changes = session.scalars(
        select(AuditEntry.changes).where(
            AuditEntry.record_type == "Course", AuditEntry.record_id == course_id
        )
    )
    return any(CourseStatus.PUBLISHED.value in (entry or {}).get("status", []) for entry in changes)


def course_saves_since(session: Session, course_id: int, version: int | None) -> list[AuditEntry]:
    """Audit entries of saves made to the course from ``version`` on (all recent ones for None),
    newest first, with who made them."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == "Course", AuditEntry.record_id == course_id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.id.desc())
        .limit(20)
    ).all()
    return [entry for entry in entries if version is None or _saved_from_version(entry) >= version]


def _saved_from_version(entry: AuditEntry) -> int:
    versions = (entry.changes or {}).get("version") or [0]
    return versions[0] if isinstance(versions[0], int) else 0
