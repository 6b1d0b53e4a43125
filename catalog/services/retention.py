"""Retention: erase the learner's personal data from enquiries that ended long enough ago.

An enquiry has ended when it is in a final status (:data:`FINAL_STATUSES`): closed, invalid
(spam, wrong number, duplicate), enrolled (the learner is now the institute's student, on the
institute's own books) or withdrawn. It ended when it last moved into that status, as its
history records (a note added later does not restart the clock). Once it ended longer ago than
the retention period, :func:`purge_personal_data` erases, in one transaction:

- the enquiry's name, email, phone and message, and its tracking-token hash (the private
  link stops working; the empty hash marks the enquiry as erased, so a second run skips it);
- every staff note in its history (free text that may name or quote the learner);
- the learner's receipt in the outbox (address and body; an unsent one is never sent), and the
  learner's name, email and phone wherever they appear in its other emails and audit entries.

What stays is anonymous: reference, course, batch, institute, status, reasons, dates and the
history of status changes, so every count and statistic is unchanged.

The same run deletes alerts (:func:`purge_alerts`) that nobody confirmed, or that were
unsubscribed, more than :data:`ALERT_KEEP_DAYS` days ago, and erases the alert emails of every
address that has no alert left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    Alert,
    AuditEntry,
    Enquiry,
    EnquiryEvent,
    EnquiryStatus,
    OutboxMessage,
    OutboxStatus,
)
from catalog.models.base import utcnow
from catalog.queries.enquiries import RECEIPT
from catalog.services.alerts import CONFIRMATION_KIND, DIGEST_KIND
from catalog.services.enquiries import WITHDRAWN_NOTE
from catalog.services.transactions import one_write

S = EnquiryStatus

#: The statuses an enquiry ends in; the retention period counts from the last move into one.
FINAL_STATUSES = (S.CLOSED, S.INVALID, S.ENROLLED, S.WITHDRAWN)
#: The tracking-token hash of an erased enquiry: no token hashes to it, so no link opens it.
ERASED_TOKEN_HASH = ""
ERASED = "[erased]"
ERASED_NOTE = "Erased at the end of the retention period."
ERASED_EMAIL_BODY = "Erased at the end of the retention period."
#: Notes the system writes itself, which hold no personal data.
SYSTEM_NOTES = ("", WITHDRAWN_NOTE)
#: How long an alert nobody confirmed, or one unsubscribed, is kept (its links still answer).
ALERT_KEEP_DAYS = 30


@dataclass(frozen=True)
class PurgeReport:
    """How many enquiries lost their personal data, and the end date they had to precede."""

    erased: int
    cutoff: datetime
    days: int
    #: Alerts deleted: never confirmed, or unsubscribed, more than ALERT_KEEP_DAYS ago.
    alerts: int = 0


def ended_at():
    """SQL for when an enquiry reached its current status (from its history).

    The latest history step into that status which was a move, not a note; an enquiry
    without one (written outside the services) counts from its withdrawal or last update.
    """
    moved = (
        select(func.max(EnquiryEvent.created_at))
        .where(
            EnquiryEvent.enquiry_id == Enquiry.id,
            EnquiryEvent.to_status == Enquiry.status,
            or_(EnquiryEvent.from_status.is_(None), EnquiryEvent.from_status != EnquiryEvent.to_status),
        )
        .correlate(Enquiry)
        .scalar_subquery()
    )
    return func.coalesce(moved, Enquiry.withdrawn_at, Enquiry.updated_at)


def purge_personal_data(session: Session, days: int, now: datetime | None = None) -> PurgeReport:
    """Erase the personal data of every enquiry that ended more than ``days`` days ago; commits.

    Running it again erases nothing more (until more enquiries pass the period).
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    with one_write(session):
        alerts = purge_alerts(session, now)
        enquiries = list(
            session.scalars(
                select(Enquiry)
                .where(
                    Enquiry.status.in_(FINAL_STATUSES),
                    Enquiry.token_hash != ERASED_TOKEN_HASH,
                    ended_at() < cutoff,
                )
                .options(selectinload(Enquiry.history))
                .order_by(Enquiry.id)
                .with_for_update()
            )
        )
        for enquiry in enquiries:
            _erase(session, enquiry)
        if enquiries:
            session.add(
                AuditEntry(
                    user_id=None,
                    institute_id=None,
                    action="purge",
                    record_type="Enquiry",
                    record_id=None,
                    summary=f"Erased the personal data of {len(enquiries)} enquiries that ended "
                    f"more than {days} days ago",
                    changes={"count": [None, len(enquiries)]},
                )
            )
    return PurgeReport(len(enquiries), cutoff, days, alerts)


def purge_alerts(session: Session, now: datetime) -> int:
    """Delete the alerts unconfirmed or unsubscribed for more than ``ALERT_KEEP_DAYS`` days, and
    erase the alert emails of addresses left without any alert (in the caller's transaction)."""
    cutoff = now - timedelta(days=ALERT_KEEP_DAYS)
    stale = list(
        session.scalars(
            select(Alert).where(
                or_(
                    and_(Alert.confirmed_at.is_(None), Alert.created_at < cutoff),
                    Alert.unsubscribed_at < cutoff,
                )
            )
        )
    )
    for alert in stale:
        session.delete(alert)
    session.flush()
    addresses = {alert.email for alert in stale}
    kept = set(session.scalars(select(Alert.email).where(Alert.email.in_(addresses))))
    gone = addresses - kept
    if gone:
        messages = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind.in_((CONFIRMATION_KIND, DIGEST_KIND)), OutboxMessage.to_email.in_(gone)
            )
        )
        for message in messages:
            message.to_email = ""
            message.subject = message.body = ERASED_EMAIL_BODY
            message.headers = {}
            if message.status == OutboxStatus.PENDING:
                message.status = OutboxStatus.FAILED
                message.last_error = "Not sent: the alert was deleted."
    return len(stale)


def _erase(session: Session, enquiry: Enquiry) -> None:
    personal = [value for value in (enquiry.email, enquiry.phone, enquiry.name) if value]
    for event in enquiry.history:
        if event.note not in SYSTEM_NOTES:
            event.note = ERASED_NOTE
    messages = session.scalars(select(OutboxMessage).where(OutboxMessage.enquiry_id == enquiry.id))
    for message in messages:
        if message.kind == RECEIPT or (enquiry.email and message.to_email == enquiry.email):
            message.to_email = ""
            message.body = ERASED_EMAIL_BODY
            if message.status == OutboxStatus.PENDING:
                message.status = OutboxStatus.FAILED
                message.last_error = "Not sent: erased at the end of the retention period."
        message.subject = _scrub(message.subject, personal)
        message.body = _scrub(message.body, personal)
        message.last_error = _scrub(message.last_error, personal)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == "Enquiry", AuditEntry.record_id == enquiry.id)
    )
    for entry in entries:
        entry.summary = _scrub(entry.summary, personal)
        entry.changes = _scrub_json(entry.changes, personal)
    enquiry.name = enquiry.email = enquiry.phone = enquiry.message = ""
    enquiry.token_hash = ERASED_TOKEN_HASH


def _scrub(text: str, personal: Iterable[str]) -> str:
    for value in personal:
        text = text.replace(value, ERASED)
    return text


def _scrub_json(value: Any, personal: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub(value, personal)
    if isinstance(value, list):
        return [_scrub_json(item, personal) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, personal) for key, item in value.items()}
    return value
