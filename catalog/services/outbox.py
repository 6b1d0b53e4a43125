"""The outbox: emails are queued in the caller's transaction and delivered afterwards.

Queuing never sends anything, so a change and the emails it causes commit or roll back
together. ``deliver_pending`` sends what is queued through SMTP when ``SMTP_HOST`` is set;
without it, messages stay pending and readable by admins.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.emails import Email
from catalog.models import OutboxMessage, OutboxStatus
from catalog.models.base import utcnow

MAX_ATTEMPTS = 5


def queue_email(
    session: Session, kind: str, to: str, email: Email, enquiry_id: int | None = None
) -> OutboxMessage:
    """Add the composed ``email`` to the outbox (in the caller's transaction; nothing is sent now)."""
    message = OutboxMessage(
        kind=kind, to_email=to, subject=email.subject, body=email.body, enquiry_id=enquiry_id
    )
    session.add(message)
    return message


def deliver_pending(session: Session, limit: int = 100) -> tuple[int, int]:
    """Send pending messages through SMTP; returns (sent, failed). Does nothing without SMTP."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return (0, 0)
    pending = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message in pending:
        email = EmailMessage()
        email["From"] = config["MAIL_FROM"]
        email["To"] = message.to_email
        email["Subject"] = message.subject
        email.set_content(message.body)
        message.attempts += 1
        try:
            with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
                smtp.starttls()
                if config.get("SMTP_USER"):
                    smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
                smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:1000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            failed += 1
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            sent += 1
        session.commit()
    return sent, failed
