"""Reads about enquiries: the learner's own enquiry, the institute's inbox, one enquiry's page.

Each returns records, a statement to paginate, ``None`` or an empty list; the caller decides
what a missing enquiry means (the learner's pages and the portal answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Course, Enquiry, EnquiryEvent, EnquiryStatus, OutboxMessage
from catalog.timeutil import LOCAL_TZ
from catalog.tokens import token_matches

#: The outbox kind of the learner's receipt, the one email that carries their details.
RECEIPT = "enquiry-receipt"


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox list and its CSV export are narrowed to (all optional)."""

    status: EnquiryStatus | None = None
    course_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None

    def describe(self) -> str:
        """The filters in words, for the audit log."""
        parts = []
        if self.status is not None:
            parts.append(f"status {self.status.value}")
        if self.course_id is not None:
            parts.append(f"course #{self.course_id}")
        if self.received_from is not None:
            parts.append(f"from {self.received_from.isoformat()}")
        if self.received_to is not None:
            parts.append(f"to {self.received_to.isoformat()}")
        return ", ".join(parts) or "all"


def find_by_submission_key(session: Session, key: str | None) -> Enquiry | None:
    """The enquiry a form with this submission key already stored, if any."""
    if not key:
        return None
    return session.scalar(select(Enquiry).where(Enquiry.submission_key == key))


def enquiry_by_reference(session: Session, reference: str) -> Enquiry | None:
    """The enquiry with this reference (as typed or linked, in any case), if any."""
    return session.scalar(select(Enquiry).where(Enquiry.reference == reference.upper()))


def find_enquiry(session: Session, reference: str, token: str | None) -> Enquiry | None:
    """The enquiry with ``reference``, only if ``token`` is its tracking token."""
    enquiry = enquiry_by_reference(session, reference)
    if enquiry is None or not token_matches(token, enquiry.token_hash):
        return None
    return enquiry


def receipts_of(session: Session, enquiry_id: int) -> list[OutboxMessage]:
    """The learner's receipt emails of one enquiry, sent or not."""
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.enquiry_id == enquiry_id, OutboxMessage.kind == RECEIPT)
        )
    )


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def inbox_query(institute_id: int, filters: InboxFilters) -> Select:
    """Enquiries of one institute matching ``filters``, newest first, with course and batch loaded."""
    stmt = (
        select(Enquiry)
        .where(Enquiry.institute_id == institute_id)
        .options(selectinload(Enquiry.course), selectinload(Enquiry.batch))
        .order_by(Enquiry.created_at.desc(), Enquiry.id.desc())
    )
    if filters.status is not None:
        stmt = stmt.where(Enquiry.status == filters.status)
    if filters.course_id is not None:
        stmt = stmt.where(Enquiry.course_id == filters.course_id)
    # Dates are the staff's days in Hyderabad; "to" includes the whole of its day.
    if filters.received_from is not None:
        stmt = stmt.where(Enquiry.created_at >= _local_day_start(filters.received_from))
    if filters.received_to is not None:
        stmt = stmt.where(Enquiry.created_at < _local_day_start(filters.received_to + timedelta(days=1)))
    return stmt


def inbox_enquiries(session: Session, institute_id: int, filters: InboxFilters) -> list[Enquiry]:
    """Every enquiry of the filtered inbox (for the CSV export), newest first."""
    return list(session.scalars(inbox_query(institute_id, filters)))


def own_courses(session: Session, institute_id: int) -> list[Course]:
    """The institute's courses by title (for the course filter), whatever their status."""
    return list(
        session.scalars(select(Course).where(Course.institute_id == institute_id).order_by(Course.title))
    )


def detail_options() -> tuple:
    """Loader options for one enquiry's page: its course, batch, and history with who wrote it."""
    return (
        selectinload(Enquiry.course),
        selectinload(Enquiry.batch),
        selectinload(Enquiry.history).selectinload(EnquiryEvent.user),
    )
