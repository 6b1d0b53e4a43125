"""The outbox: emails are queued in the caller's transaction and delivered afterwards.

Queuing never sends anything, so a change and the emails it causes commit or roll back
together. :func:`deliver_pending` sends what is due through SMTP: each message is claimed
before the sender talks to the server (PostgreSQL picks it with ``FOR UPDATE SKIP LOCKED``,
SQLite with a conditional ``UPDATE`` of its claim column), so two senders running at once never
deliver the same message. A failed attempt is retried later, each wait longer than the last
(``OUTBOX_BACKOFF_MINUTES``), until ``OUTBOX_MAX_ATTEMPTS`` is reached and the message is
marked failed; an admin can queue it again with :func:`resend_message`.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from catalog.emails import Email
from catalog.models import OutboxMessage, OutboxStatus, User
from catalog.models.base import utcnow
from catalog.services.audit import audit_change, snapshot
from catalog.services.errors import DomainError
from catalog.services.transactions import one_write

log = logging.getLogger(__name__)

#: A claim older than this has lapsed (its sender died mid-send), so another sender may take
#: the message; it is far longer than one SMTP exchange can last under ``SMTP_TIMEOUT``.
CLAIM_LAPSES_AFTER = timedelta(minutes=15)
ERROR_MAX = 1000
#: The fields an admin's resend changes, for its audit entry.
RESEND_FIELDS = ["status", "attempts", "last_error", "next_attempt_at", "sent_at"]


@dataclass(frozen=True)
class DeliverySettings:
    """Where and how to send, and how often to try: read from the app's configuration."""

    host: str
    port: int
    mail_from: str
    user: str | None = None
    password: str | None = None
    timeout: int = 20
    starttls: bool = True
    max_attempts: int = 5
    backoff_minutes: tuple[int, ...] = (1, 5, 30, 120, 720)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeliverySettings:
        """The settings of ``SMTP_*``, ``MAIL_FROM`` and ``OUTBOX_*`` (``SMTP_HOST`` must be set)."""
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            mail_from=config["MAIL_FROM"],
            user=config.get("SMTP_USER"),
            password=config.get("SMTP_PASSWORD"),
            timeout=config["SMTP_TIMEOUT"],
            starttls=config["SMTP_STARTTLS"],
            max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
            backoff_minutes=tuple(config["OUTBOX_BACKOFF_MINUTES"]),
        )

    def wait_after(self, attempts: int) -> timedelta:
        """How long to wait after the ``attempts``-th failed attempt (the last wait repeats)."""
        return timedelta(minutes=self.backoff_minutes[min(attempts, len(self.backoff_minutes)) - 1])


@dataclass
class DeliveryReport:
    """What one run of the sender did: messages sent, put back for a later attempt, given up."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def queue_email(
    session: Session,
    kind: str,
    to: str,
    email: Email,
    enquiry_id: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """Add the composed ``email`` to the outbox (in the caller's transaction; nothing is sent now),
    with any extra ``headers`` it must carry (an alert's ``List-Unsubscribe``)."""
    message = OutboxMessage(
        kind=kind,
        to_email=to,
        subject=email.subject,
        body=email.body,
        enquiry_id=enquiry_id,
        headers=dict(headers or {}),
    )
    session.add(message)
    return message


def is_due(now: datetime) -> ColumnElement[bool]:
    """A message a sender may take at ``now``: pending, its wait over, and no live claim on it."""
    return and_(
        OutboxMessage.status == OutboxStatus.PENDING,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_LAPSES_AFTER),
    )


def claim_next(session: Session, now: datetime) -> OutboxMessage | None:
    """Take the oldest due message for this sender alone (committed), or None when none is due."""
    if session.get_bind().dialect.name == "postgresql":
        # Row locks: a message another sender is claiming this instant is skipped, not waited for.
        message = session.scalars(
            select(OutboxMessage)
            .where(is_due(now))
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if message is not None:
            message.claimed_at = now
        session.commit()
        return message
    while True:
        # SQLite has no row locks: the claim is a conditional UPDATE, and only the sender
        # whose UPDATE changed the row (rowcount 1) owns the message.
        message_id = session.scalar(
            select(OutboxMessage.id).where(is_due(now)).order_by(OutboxMessage.id).limit(1)
        )
        if message_id is None:
            session.commit()
            return None
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, is_due(now))
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount == 1:
            return session.get(OutboxMessage, message_id)


def compose(settings: DeliverySettings, message: OutboxMessage) -> EmailMessage:
    """The email of an outbox message, with a Message-ID that stays the same on every attempt."""
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}")
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    return email


def send(settings: DeliverySettings, email: EmailMessage) -> None:
    """Hand ``email`` to the SMTP server; returns once the server has accepted it, or raises.

    A failure after acceptance (the goodbye, closing the socket) is not a failed delivery, so
    it is swallowed here: the message must not be sent again.
    """
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(email)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def describe_failure(error: Exception) -> str:
    """The failed attempt in words for admins: the server's code and answer, or what broke."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{address}: {code} {text.decode(errors='replace')}"
            for address, (code, text) in error.recipients.items()
        )
        return f"Recipient refused ({answers})"
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about the message itself: trying it again would be refused again.

    A refused sign-in (535) is about the server's settings, not the message, so it is retried.
    A message that cannot be written as an email at all (a malformed address) fails at once.
    """
    if isinstance(error, ValueError | MessageError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def record_failure(
    settings: DeliverySettings, message: OutboxMessage, error: Exception, now: datetime
) -> bool:
    """Count the failed attempt on ``message``; True when it has now failed for good."""
    message.attempts += 1
    message.last_error = describe_failure(error)[:ERROR_MAX]
    message.claimed_at = None
    if is_permanent(error) or message.attempts >= settings.max_attempts:
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = None
        return True
    message.next_attempt_at = now + settings.wait_after(message.attempts)
    return False


def deliver_pending(
    session: Session,
    settings: DeliverySettings,
    limit: int = 100,
    clock: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """Send up to ``limit`` due messages, one claim and one SMTP exchange at a time."""
    report = DeliveryReport()
    for _ in range(limit):
        message = claim_next(session, clock())
        if message is None:
            break
        try:
            send(settings, compose(settings, message))
        except (OSError, smtplib.SMTPException, ValueError, MessageError) as error:
            if record_failure(settings, message, error, clock()):
                report.failed += 1
            else:
                report.retrying += 1
            log.warning("outbox message %s not delivered: %s", message.id, message.last_error)
        else:
            message.attempts += 1
            message.status = OutboxStatus.SENT
            message.sent_at = clock()
            message.claimed_at = None
            report.sent += 1
        session.commit()
    return report


def resend_message(session: Session, actor: User | None, message: OutboxMessage) -> OutboxMessage:
    """Queue a sent or failed message again, with a fresh count of attempts (audited).

    Refused with ``already-queued`` while it is still pending: the sender will deliver it.
    """
    if message.status == OutboxStatus.PENDING:
        raise DomainError("already-queued")
    with one_write(session):
        before = snapshot(message, RESEND_FIELDS)
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.last_error = ""
        message.next_attempt_at = None
        message.claimed_at = None
        message.sent_at = None
        audit_change(
            session,
            actor,
            "outbox-resend",
            message,
            before,
            snapshot(message, RESEND_FIELDS),
            summary=f"Queued “{message.subject}” to {message.to_email} again.",
        )
    return message
