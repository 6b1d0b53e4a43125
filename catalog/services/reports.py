"""Learner reports: a learner tells the catalog a listing is wrong; an admin resolves or dismisses it.

A report is written together with an audit entry on the listing itself, so it shows in that
course's or institute's history and in the audit log; closing a report is audited on the report.
The learner's email address never goes into the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from catalog.models import (
    REPORT_DETAILS_MAX,
    REPORT_NOTE_MAX,
    Course,
    Institute,
    ListingReport,
    ReportReason,
    ReportStatus,
    User,
)
from catalog.models.base import utcnow
from catalog.models.contacts import parse_email
from catalog.models.labels import label
from catalog.services.audit import audit_change, record_change, snapshot
from catalog.services.errors import DomainError
from catalog.services.transactions import one_write

#: The fields of a report that closing it changes, for the audit entry's before and after.
CLOSE_FIELDS = ["status", "resolution_note", "resolved_at"]


@dataclass(frozen=True)
class ReportDetails:
    """What a learner sends: why the listing is wrong, in their words, and optionally an email."""

    reason: ReportReason
    details: str = ""
    email: str = ""


def report_problems(details: ReportDetails) -> list[DomainError]:
    """Every rule the report breaks (empty when it can be stored)."""
    problems = []
    text = details.details.strip()
    if len(text) > REPORT_DETAILS_MAX:
        problems.append(DomainError("details-too-long", "details", limit=REPORT_DETAILS_MAX))
    if details.reason == ReportReason.OTHER and not text:
        problems.append(DomainError("details-required", "details"))
    if details.email.strip() and parse_email(details.email) is None:
        problems.append(DomainError("email-invalid", "email"))
    return problems


def submit_report(session: Session, listing: Course | Institute, details: ReportDetails) -> ListingReport:
    """Store a learner's report about ``listing`` (a course or an institute) with an audit entry
    on the listing; refused with the first rule it breaks (see :func:`report_problems`)."""
    problems = report_problems(details)
    if problems:
        raise problems[0]
    is_course = isinstance(listing, Course)
    report = ListingReport(
        course=listing if is_course else None,
        institute=None if is_course else listing,
        reason=details.reason,
        details=details.details.strip(),
        email=parse_email(details.email) if details.email.strip() else None,
        status=ReportStatus.NEW,
    )
    with one_write(session):
        session.add(report)
        session.flush()
        record_change(
            session,
            None,
            "learner-report",
            listing,
            {"report": [None, report.id], "reason": [None, report.reason.value]},
            summary=f"A learner reported: {label(report.reason)}.",
            institute_id=listing.institute_id if is_course else listing.id,
        )
    return report


def close_report(
    session: Session, actor: User | None, report: ListingReport, status: ReportStatus, note: str = ""
) -> ListingReport:
    """Mark a waiting report resolved or dismissed, with the admin's optional note (audited).

    Refused with ``report-closed`` when someone already closed it, ``status-invalid`` for any
    status but resolved or dismissed, ``note-too-long`` past :data:`REPORT_NOTE_MAX` characters.
    """
    if status not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
        raise DomainError("status-invalid", "status")
    if not report.is_waiting:
        raise DomainError("report-closed")
    note = note.strip()
    if len(note) > REPORT_NOTE_MAX:
        raise DomainError("note-too-long", "note", limit=REPORT_NOTE_MAX)
    with one_write(session):
        before = snapshot(report, CLOSE_FIELDS)
        # Only a report still waiting changes, so two admins closing it at once cannot both win.
        claimed = session.execute(
            update(ListingReport)
            .where(ListingReport.id == report.id, ListingReport.status == ReportStatus.NEW)
            .values(
                status=status,
                resolution_note=note,
                resolved_at=utcnow(),
                resolved_by_id=actor.id if actor is not None else None,
            )
        )
        if claimed.rowcount != 1:
            raise DomainError("report-closed")
        session.refresh(report)
        audit_change(
            session,
            actor,
            f"report-{status.value}",
            report,
            before,
            snapshot(report, CLOSE_FIELDS),
            summary=f"Learner report {report.id} {label(status).lower()}.",
            institute_id=report.listing_institute_id,
        )
    return report
