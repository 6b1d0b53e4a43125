"""Reads of the outbox: the admin list (filtered by status, newest first), one message, failures."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from catalog.models import OutboxMessage, OutboxStatus


def messages_query(status: OutboxStatus | None = None) -> Select:
    """Every outbox message (or those of one ``status``), newest first, for paginating."""
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    return statement


def find_message(session: Session, message_id: int) -> OutboxMessage | None:
    """One outbox message by id, or None."""
    return session.get(OutboxMessage, message_id)


def failed_count(session: Session) -> int:
    """How many messages the sender gave up on (the dashboard's "outbox failures")."""
    return session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    )
