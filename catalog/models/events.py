"""Events: workshops, seminars, conferences and meetups on a date."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.base import Base, UTCDateTime, enum_column
from catalog.models.catalog import Area, Institute, Topic

event_topics = Table(
    "event_topics",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class EventKind(enum.StrEnum):
    WORKSHOP = "workshop"
    SEMINAR = "seminar"
    CONFERENCE = "conference"
    MEETUP = "meetup"


class Event(Base):
    """A dated gathering; times are stored in UTC and shown in Asia/Kolkata."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("fee_inr >= 0", name="fee"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[EventKind] = enum_column(EventKind)
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str] = mapped_column(String(300))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    organiser: Mapped[str] = mapped_column(String(200))
    institute_id: Mapped[int | None] = mapped_column(ForeignKey("institutes.id"), index=True)
    fee_inr: Mapped[int] = mapped_column(default=0)
    url: Mapped[str | None] = mapped_column(String(300))

    area: Mapped[Area | None] = relationship()
    institute: Mapped[Institute | None] = relationship(back_populates="events")
    topics: Mapped[list[Topic]] = relationship(secondary=event_topics, order_by=Topic.name)

    @property
    def is_online(self) -> bool:
        return self.area is not None and self.area.is_online

    @property
    def registration_url(self) -> str | None:
        """The event's own page, only when it is a web address (never ``javascript:`` and kin)."""
        if self.url and self.url.lower().startswith(("https://", "http://")):
            return self.url
        return None

    def is_over(self, now: datetime) -> bool:
        """True once the event has ended (``now`` an aware datetime)."""
        return self.ends_at <= now
