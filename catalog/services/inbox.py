"""The institute's enquiry inbox: filtering, the status workflow with its history, CSV export.

The allowed status changes are defined here once; the portal's form offers only these, and
``change_status`` refuses anything else, whatever was posted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, selectinload

from catalog.models import AuditEntry, Course, Enquiry, EnquiryEvent, EnquiryStatus, InvalidReason, User
from catalog.services.audit import record_change
from catalog.timeutil import LOCAL_TZ, to_local

S = EnquiryStatus

#: Where an enquiry may go from each status. Withdrawn enquiries belong to nobody any more.
TRANSITIONS: dict[EnquiryStatus, tuple[EnquiryStatus, ...]] = {
    S.NEW: (S.CONTACTED, S.CLOSED, S.INVALID),
    S.CONTACTED: (S.ENROLLED, S.CLOSED, S.INVALID),
    S.ENROLLED: (S.CLOSED,),
    # Closing or rejecting a lead by mistake happens; it can be taken up again.
    S.CLOSED: (S.CONTACTED,),
    S.INVALID: (S.CONTACTED,),
    S.WITHDRAWN: (),
}

STATUS_LABELS = {
    S.NEW: "New",
    S.CONTACTED: "Contacted",
    S.ENROLLED: "Enrolled",
    S.CLOSED: "Closed",
    S.INVALID: "Invalid",
    S.WITHDRAWN: "Withdrawn",
}

REASON_LABELS = {
    InvalidReason.WRONG_NUMBER: "Wrong number",
    InvalidReason.SPAM: "Spam",
    InvalidReason.DUPLICATE: "Duplicate",
}

CSV_HEADER = (
    "reference",
    "received",
    "status",
    "reason",
    "course",
    "batch start",
    "name",
    "email",
    "phone",
    "preferred contact",
    "message",
)

#: Spreadsheets treat a cell starting with one of these as a formula (or split it into one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TransitionRefused(ValueError):
    """A status change the workflow does not allow; the message says why, for the staff member."""


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


def allowed_targets(status: EnquiryStatus) -> tuple[EnquiryStatus, ...]:
    """The statuses an enquiry in ``status`` may move to (its own status, for a note, excluded)."""
    return TRANSITIONS[status]


def refusal(current: EnquiryStatus, target: EnquiryStatus) -> str | None:
    """Why an enquiry in ``current`` may not move to ``target``, or None when it may."""
    if current == S.WITHDRAWN:
        return "The learner withdrew this enquiry; it can no longer be changed."
    if target == current or target in TRANSITIONS[current]:
        return None
    if target == S.NEW:
        return "An enquiry cannot be marked new again once it has been handled."
    if target == S.WITHDRAWN:
        return "Only the learner can withdraw an enquiry."
    return (
        f"An enquiry that is {STATUS_LABELS[current].lower()} cannot be marked "
        f"{STATUS_LABELS[target].lower()}."
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


def change_status(
    session: Session,
    enquiry: Enquiry,
    user: User,
    target: EnquiryStatus,
    reason: InvalidReason | None = None,
    note: str = "",
    seen_status: EnquiryStatus | None = None,
) -> EnquiryEvent:
    """Move ``enquiry`` to ``target`` (or, with the same status, add a note), and commit.

    The history event, the audit entry and the change itself are one transaction. Raises
    ``TransitionRefused`` for a change the workflow does not allow, for a move to invalid
    without a reason, for an empty note, and when someone else changed the enquiry since
    ``seen_status`` was shown.
    """
    current = enquiry.status
    note = (note or "").strip()
    if seen_status is not None and seen_status != current:
        raise TransitionRefused(
            f"Someone changed this enquiry meanwhile: it is now {STATUS_LABELS[current].lower()}. "
            "Check its history and try again."
        )
    message = refusal(current, target)
    if message:
        raise TransitionRefused(message)
    if target == current:
        if not note:
            raise TransitionRefused("Nothing to save: choose a new status or write a note.")
        reason, new_reason = None, enquiry.invalid_reason
    elif target == S.INVALID:
        if reason is None:
            raise TransitionRefused("Choose why this enquiry is invalid: wrong number, spam or duplicate.")
        new_reason = reason
    else:
        reason, new_reason = None, None

    before = {"status": current.value, "invalid_reason": _value(enquiry.invalid_reason)}
    try:
        # Compare-and-set, so that two staff (or the learner withdrawing) cannot both win.
        result = session.execute(
            update(Enquiry)
            .where(Enquiry.id == enquiry.id, Enquiry.status == current)
            .values(status=target, invalid_reason=new_reason)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise TransitionRefused(
                "Someone changed this enquiry meanwhile. Check its history and try again."
            )
        session.refresh(enquiry)
        event = EnquiryEvent(
            enquiry_id=enquiry.id,
            user_id=user.id,
            from_status=current,
            to_status=target,
            reason=reason,
            note=note,
        )
        session.add(event)
        after = {"status": target.value, "invalid_reason": _value(new_reason)}
        changes = {"status": [before["status"], after["status"]]}
        if before["invalid_reason"] != after["invalid_reason"]:
            changes["invalid_reason"] = [before["invalid_reason"], after["invalid_reason"]]
        action = "note" if target == current else "status"
        summary = f"{enquiry.reference}: {before['status']} → {after['status']}"
        if note:
            summary += " (with a note)"
        record_change(session, user, action, enquiry, changes=changes, summary=summary)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return event


def _value(member) -> str | None:
    return None if member is None else member.value


def neutralise(cell: object) -> str:
    """A CSV cell that spreadsheets will show as text, never run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(enquiry: Enquiry) -> list[str]:
    """One enquiry as CSV cells (personal fields empty once the learner withdrew it)."""
    withdrawn = enquiry.is_withdrawn
    personal = (
        ["", "", "", "", ""]
        if withdrawn
        else [enquiry.name, enquiry.email, enquiry.phone, enquiry.preferred_contact.value, enquiry.message]
    )
    cells = [
        enquiry.reference,
        to_local(enquiry.created_at).strftime("%Y-%m-%d %H:%M"),
        enquiry.status.value,
        _value(enquiry.invalid_reason) or "",
        enquiry.course.title,
        enquiry.batch.start_date.isoformat() if enquiry.batch else "",
        *personal,
    ]
    return [neutralise(cell) for cell in cells]


def enquiries_csv(enquiries: Iterable[Enquiry]) -> tuple[str, int]:
    """The CSV text (UTF-8 with a byte-order mark, so spreadsheets read Telugu and Hindi names)
    and how many rows it holds."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for enquiry in enquiries:
        writer.writerow(csv_row(enquiry))
        count += 1
    return buffer.getvalue(), count


def export_csv(session: Session, user: User, institute_id: int, filters: InboxFilters) -> tuple[str, int]:
    """The filtered inbox as CSV, with an audit entry for the export; commits."""
    enquiries = session.scalars(inbox_query(institute_id, filters)).all()
    text, count = enquiries_csv(enquiries)
    session.add(
        AuditEntry(
            user_id=user.id,
            institute_id=institute_id,
            action="export",
            record_type="Enquiry",
            record_id=None,
            summary=f"Exported {count} enquiries as CSV ({filters.describe()})",
            changes={"count": [None, count]},
        )
    )
    session.commit()
    return text, count
