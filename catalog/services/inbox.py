"""The institute's enquiry inbox: the status workflow with its history, and the CSV export.

The allowed status changes are defined here once; the portal's form offers only these, and
``change_status`` refuses anything else, whatever was posted. Refusals are
:class:`DomainError` codes (see :func:`change_status`); the portal puts them into words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from catalog.models import AuditEntry, Enquiry, EnquiryEvent, EnquiryStatus, InvalidReason, User
from catalog.queries.enquiries import InboxFilters, inbox_enquiries
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.timeutil import to_local

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


@dataclass(frozen=True)
class StatusChange:
    """What a staff member asks of one enquiry: a status (its own, to add a note alone), the
    reason when it is invalid, a note, and the status their page showed (None when unknown)."""

    target: EnquiryStatus
    reason: InvalidReason | None = None
    note: str = ""
    seen_status: EnquiryStatus | None = None


def allowed_targets(status: EnquiryStatus) -> tuple[EnquiryStatus, ...]:
    """The statuses an enquiry in ``status`` may move to (its own status, for a note, excluded)."""
    return TRANSITIONS[status]


def refusal(current: EnquiryStatus, target: EnquiryStatus) -> DomainError | None:
    """Why an enquiry in ``current`` may not move to ``target``, or None when it may.

    Codes: ``withdrawn`` (nobody may change it), ``new-again``, ``withdraw-by-learner-only``,
    ``move-not-allowed`` (with ``current`` and ``target``); all concern the ``target`` field.
    """
    if current == S.WITHDRAWN:
        return DomainError("withdrawn", "target")
    if target == current or target in TRANSITIONS[current]:
        return None
    if target == S.NEW:
        return DomainError("new-again", "target")
    if target == S.WITHDRAWN:
        return DomainError("withdraw-by-learner-only", "target")
    return DomainError("move-not-allowed", "target", current=current, target=target)


def change_status(session: Session, enquiry: Enquiry, user: User, change: StatusChange) -> EnquiryEvent:
    """Move ``enquiry`` to ``change.target`` (or, with the same status, add a note), and commit.

    The history event, the audit entry and the change itself are one transaction. Raises
    :class:`DomainError` ``changed-meanwhile`` (with ``current`` when known) when someone else
    changed the enquiry since ``seen_status`` was shown or while saving; any code of
    :func:`refusal` for a move the workflow does not allow; ``reason-required`` (``reason``)
    for a move to invalid without a reason; ``note-required`` (``note``) for a note alone
    that is empty.
    """
    current = enquiry.status
    target = change.target
    note = (change.note or "").strip()
    if change.seen_status is not None and change.seen_status != current:
        raise DomainError("changed-meanwhile", current=current)
    refused = refusal(current, target)
    if refused:
        raise refused
    reason = change.reason
    if target == current:
        if not note:
            raise DomainError("note-required", "note")
        reason, new_reason = None, enquiry.invalid_reason
    elif target == S.INVALID:
        if reason is None:
            raise DomainError("reason-required", "reason")
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
            raise DomainError("changed-meanwhile")
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
    text, count = enquiries_csv(inbox_enquiries(session, institute_id, filters))
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
