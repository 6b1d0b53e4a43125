"""Staleness reminders: each time an admin asked an institute to review a course's syllabus."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models.base import Base, timestamp_column

#: An institute is reminded about one course at most once in this many days.
REMINDER_INTERVAL_DAYS = 30


def next_reminder_at(last_sent: datetime | None) -> datetime | None:
    """The first moment another reminder about a course may go (None: at once)."""
    return None if last_sent is None else last_sent + timedelta(days=REMINDER_INTERVAL_DAYS)


class StalenessReminder(Base):
    """A reminder sent to a course's institute that its syllabus is due for review."""

    __tablename__ = "staleness_reminders"
    __table_args__ = (Index("ix_staleness_reminders_course_sent", "course_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = timestamp_column()
