"""Alerts: a learner's standing request to hear about new batches and courses by email.

An alert follows a search (its normalised query-string arguments), a topic (its slug) or a
course (its id). It is inert until its address confirms it (double opt-in), and it stops for
good once unsubscribed. Its links (confirm, unsubscribe, the private list of the address's
alerts) are signed from ``link_nonce`` with the app's secret key, so every digest can carry
them without any link being stored, and a fresh nonce retires every old link at once.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models.base import Base, UTCDateTime, enum_column, timestamp_column


class AlertKind(enum.StrEnum):
    SEARCH = "search"
    TOPIC = "topic"
    COURSE = "course"


class Alert(Base):
    """One address following one search, topic or course."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("email", "criteria_key"),
        Index("ix_alerts_confirmed_sent", "confirmed_at", "last_sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The address, stored as :func:`catalog.models.contacts.normalise_email` gives it.
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[AlertKind] = enum_column(AlertKind)
    #: What it follows: ``{"args": {...}}`` of a search, ``{"topic": slug}``, ``{"course": id}``.
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: SHA-256 of the kind and criteria in canonical JSON: one alert per address and criteria.
    criteria_key: Mapped[str] = mapped_column(String(64))
    #: Random; the signed links of this alert are made from it (see ``services.alerts``).
    link_nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp_column()
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the last digest was queued (None: none yet; new items count from confirmation).
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:
        """Confirmed and not unsubscribed: digests go out."""
        return self.confirmed_at is not None and self.unsubscribed_at is None
