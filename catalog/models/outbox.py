"""Every email the system sends, written in the transaction of the change that causes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models.base import Base, UTCDateTime, enum_column, timestamp_column


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """An email waiting to be sent (or sent, or given up on); readable in the admin area.

    A sender claims a message (``claimed_at``) before it talks to the SMTP server, so no other
    sender picks it up meanwhile; a failed attempt sets ``next_attempt_at`` further out each time.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: Extra headers of the email (``List-Unsubscribe`` of alerts), name to value.
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus, default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: Not before this time (None: at once); set after each failed attempt.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When a sender took the message; a claim older than the sender's time limit has lapsed.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enquiry_id: Mapped[int | None] = mapped_column(
        ForeignKey("enquiries.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = timestamp_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
