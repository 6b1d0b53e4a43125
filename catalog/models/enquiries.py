"""Enquiries from learners to one institute about one course, with their status history."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.base import Base, UTCDateTime, enum_column, timestamp_column, utcnow
from catalog.models.catalog import Institute
from catalog.models.courses import Batch, Course


class ContactMethod(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    WHATSAPP = "whatsapp"


class EnquiryStatus(enum.StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    ENROLLED = "enrolled"
    CLOSED = "closed"
    INVALID = "invalid"
    WITHDRAWN = "withdrawn"


class InvalidReason(enum.StrEnum):
    WRONG_NUMBER = "wrong-number"
    SPAM = "spam"
    DUPLICATE = "duplicate"


class Enquiry(Base):
    """A learner's question about a course; it belongs to the course's institute alone."""

    __tablename__ = "enquiries"
    __table_args__ = (
        CheckConstraint("(status = 'invalid') = (invalid_reason IS NOT NULL)", name="invalid_has_reason"),
        Index("ix_enquiries_institute_created", "institute_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    #: The random key of the form that sent it: a resubmitted form finds the first enquiry.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    institute_id: Mapped[int] = mapped_column(ForeignKey("institutes.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))
    preferred_contact: Mapped[ContactMethod] = enum_column(ContactMethod)
    message: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool] = mapped_column(Boolean)
    #: The consent sentence exactly as shown, naming the institute.
    consent_text: Mapped[str] = mapped_column(Text)
    status: Mapped[EnquiryStatus] = enum_column(EnquiryStatus, default=EnquiryStatus.NEW)
    invalid_reason: Mapped[InvalidReason | None] = enum_column(InvalidReason, nullable=True)
    created_at: Mapped[datetime] = timestamp_column()
    updated_at: Mapped[datetime] = timestamp_column(onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institute: Mapped[Institute] = relationship()
    course: Mapped[Course] = relationship()
    batch: Mapped[Batch | None] = relationship()
    history: Mapped[list[EnquiryEvent]] = relationship(
        back_populates="enquiry", cascade="all, delete-orphan", order_by="EnquiryEvent.id"
    )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == EnquiryStatus.WITHDRAWN


class EnquiryEvent(Base):
    """One step in an enquiry's history: a status change and/or a staff note."""

    __tablename__ = "enquiry_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[EnquiryStatus | None] = enum_column(
        EnquiryStatus, constraint_name="from_status", nullable=True
    )
    to_status: Mapped[EnquiryStatus] = enum_column(EnquiryStatus, constraint_name="to_status")
    reason: Mapped[InvalidReason | None] = enum_column(InvalidReason, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = timestamp_column()

    enquiry: Mapped[Enquiry] = relationship(back_populates="history")
    user = relationship("User")
