"""Reads of the admin area: the data-quality figures, the lists behind them, the audit log.

Each problem of the dashboard is one SQL condition here, built from the models' own rules
(``Course.public_condition``, ``Batch.open_condition``, ``Course.stale_syllabus_condition``), so
a figure and the list it links to can never disagree. Every list costs a fixed number of
queries, whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, distinct, func, not_, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    AuditEntry,
    Batch,
    BatchStatus,
    Course,
    CourseStatus,
    Institute,
    InstituteStatus,
    OutboxMessage,
    OutboxStatus,
    StalenessReminder,
    User,
)
from catalog.queries.enquiries import _local_day_start
from catalog.queries.reports import waiting_count


def _no_fee(today: date) -> ColumnElement[bool]:
    return and_public(Course.fee_inr == 0)


def _no_refund(today: date) -> ColumnElement[bool]:
    return and_public(func.trim(Course.refund_policy) == "")


def _no_open_batch(today: date) -> ColumnElement[bool]:
    return and_public(not_(Course.batches.any(Batch.open_condition(today))))


def _stale(today: date) -> ColumnElement[bool]:
    return and_public(Course.stale_syllabus_condition(today))


def _pending(today: date) -> ColumnElement[bool]:
    return Course.awaits_review_condition()


def and_public(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition`` among the listings learners see (published, by an approved institute)."""
    return Course.public_condition() & condition


#: The problems a course can have, as ``?problem=`` names them: (heading, SQL condition).
COURSE_PROBLEMS: dict[str, tuple[str, Callable[[date], ColumnElement[bool]]]] = {
    "no-fee": ("Published listings without a fee (shown as free)", _no_fee),
    "no-refund": ("Published listings without a refund policy", _no_refund),
    "no-batch": ("Published listings without an upcoming open batch", _no_open_batch),
    "stale": ("Published listings whose syllabus was reviewed over 12 months ago", _stale),
    "pending": ("Course listings waiting for moderation", _pending),
}


def past_open_batch_condition(today: date) -> ColumnElement[bool]:
    """Batches still marked open in the data though they have started (``Batch.is_scheduled``
    is false for them, so every page already shows them closed)."""
    return (Batch.status == BatchStatus.OPEN) & not_(Batch.scheduled_condition(today))


def institute_without_upcoming_batch_condition(today: date) -> ColumnElement[bool]:
    """Approved institutes none of whose published courses has a batch still to start."""
    upcoming = Course.batches.any(Batch.scheduled_condition(today))
    return Institute.is_public & not_(
        Institute.courses.any((Course.status == CourseStatus.PUBLISHED) & upcoming)
    )


#: The problems an institute can have, as ``?problem=`` names them: (heading, SQL condition).
INSTITUTE_PROBLEMS: dict[str, tuple[str, Callable[[date], ColumnElement[bool]]]] = {
    "no-batch": ("Approved institutes with no upcoming batch", institute_without_upcoming_batch_condition),
    "pending": ("Institutes waiting for approval", lambda today: Institute.status == InstituteStatus.PENDING),
}


@dataclass(frozen=True)
class QualityFigures:
    """The dashboard's counts, one per problem."""

    courses: dict[str, int]
    institutes: dict[str, int]
    past_open_batches: int
    failed_messages: int
    waiting_reports: int


def quality_figures(session: Session, today: date) -> QualityFigures:
    """Every figure of the data-quality dashboard (one query per figure)."""

    def count(model, condition) -> int:
        return session.scalar(select(func.count()).select_from(model).where(condition)) or 0

    return QualityFigures(
        courses={name: count(Course, rule(today)) for name, (_, rule) in COURSE_PROBLEMS.items()},
        institutes={name: count(Institute, rule(today)) for name, (_, rule) in INSTITUTE_PROBLEMS.items()},
        past_open_batches=count(Batch, past_open_batch_condition(today)),
        failed_messages=count(OutboxMessage, OutboxMessage.status == OutboxStatus.FAILED),
        waiting_reports=waiting_count(session),
    )


def problem_courses_query(problem: str, today: date) -> Select:
    """Courses with ``problem`` (a key of :data:`COURSE_PROBLEMS`), with their institutes, by title."""
    _, rule = COURSE_PROBLEMS[problem]
    return (
        select(Course)
        .where(rule(today))
        .options(selectinload(Course.institute))
        .order_by(Course.title, Course.id)
    )


def problem_institutes_query(problem: str, today: date) -> Select:
    """Institutes with ``problem`` (a key of :data:`INSTITUTE_PROBLEMS`), by name."""
    _, rule = INSTITUTE_PROBLEMS[problem]
    return select(Institute).where(rule(today)).order_by(Institute.name, Institute.id)


def stale_courses_query(today: date) -> Select:
    """Published listings with an out-of-date syllabus, the longest unreviewed first."""
    return (
        select(Course)
        .where(_stale(today))
        .options(selectinload(Course.institute))
        .order_by(Course.syllabus_reviewed_on.asc().nulls_first(), Course.title, Course.id)
    )


def last_reminders(session: Session, course_ids: list[int]) -> dict[int, datetime]:
    """When each of these courses' institutes was last reminded (courses never reminded left out)."""
    if not course_ids:
        return {}
    rows = session.execute(
        select(StalenessReminder.course_id, func.max(StalenessReminder.sent_at))
        .where(StalenessReminder.course_id.in_(course_ids))
        .group_by(StalenessReminder.course_id)
    )
    return dict(rows.tuples().all())


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log (and its CSV export) is narrowed to (all optional)."""

    who: str | None = None
    record_type: str | None = None
    record_id: int | None = None
    changed_from: date | None = None
    changed_to: date | None = None


def audit_query(filters: AuditFilters) -> Select:
    """Audit entries matching ``filters``, newest first, with who made them."""
    stmt = select(AuditEntry).options(selectinload(AuditEntry.user))
    if filters.who:
        email = func.lower(User.email)
        stmt = stmt.where(AuditEntry.user.has(email.contains(filters.who.lower(), autoescape=True)))
    if filters.record_type:
        stmt = stmt.where(AuditEntry.record_type == filters.record_type)
    if filters.record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == filters.record_id)
    # Dates are the admin's days in Hyderabad; "to" includes the whole of its day.
    if filters.changed_from is not None:
        stmt = stmt.where(AuditEntry.created_at >= _local_day_start(filters.changed_from))
    if filters.changed_to is not None:
        stmt = stmt.where(AuditEntry.created_at < _local_day_start(filters.changed_to + timedelta(days=1)))
    return stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


#: Rows fetched at a time by the CSV export, so a long log is never held in memory at once.
EXPORT_CHUNK = 1000


def audit_entries_for_export(session: Session, filters: AuditFilters) -> Iterator[AuditEntry]:
    """Every entry of the filtered audit log, newest first, read in chunks."""
    last: tuple[datetime, int] | None = None
    while True:
        stmt = audit_query(filters)
        if last is not None:
            stmt = stmt.where(
                (AuditEntry.created_at < last[0])
                | ((AuditEntry.created_at == last[0]) & (AuditEntry.id < last[1]))
            )
        chunk = list(session.scalars(stmt.limit(EXPORT_CHUNK)))
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        last = (chunk[-1].created_at, chunk[-1].id)


def audit_record_types(session: Session) -> list[str]:
    """The record types the audit log holds, by name (for its filter)."""
    return list(session.scalars(select(distinct(AuditEntry.record_type)).order_by(AuditEntry.record_type)))
