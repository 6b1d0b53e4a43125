"""Learner reports: a problem a learner saw in one course or institute listing, and what an
admin made of it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.accounts import User
from catalog.models.base import Base, UTCDateTime, enum_column, timestamp_column
from catalog.models.catalog import Institute
from catalog.models.courses import Course

#: The longest description a learner may give, and the longest note an admin may leave.
REPORT_DETAILS_MAX = 2000
REPORT_NOTE_MAX = 1000


class ReportReason(enum.StrEnum):
    WRONG_FEE = "wrong-fee"
    BATCH_NOT_RUNNING = "batch-not-running"
    MISLEADING_CLAIM = "misleading-claim"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    NEW = "new"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class ListingReport(Base):
    """One learner's report about one listing: a course, or an institute (never both)."""

    __tablename__ = "listing_reports"
    __table_args__ = (
        CheckConstraint("(course_id IS NULL) <> (institute_id IS NULL)", name="one_listing"),
        CheckConstraint("(status = 'new') = (resolved_at IS NULL)", name="closed_has_time"),
        Index("ix_listing_reports_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    institute_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutes.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[ReportReason] = enum_column(ReportReason)
    details: Mapped[str] = mapped_column(Text, default="")
    #: The learner's address, stored as :func:`catalog.models.contacts.normalise_email` gives it.
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[ReportStatus] = enum_column(ReportStatus, default=ReportStatus.NEW)
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = timestamp_column()
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course | None] = relationship()
    institute: Mapped[Institute | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    @property
    def listing(self) -> Course | Institute:
        """The course or institute the report is about."""
        return self.course if self.course is not None else self.institute

    @property
    def listing_institute_id(self) -> int:
        """The institute whose listing this is (the course's institute for a course report)."""
        return self.course.institute_id if self.course is not None else self.institute_id

    @property
    def is_waiting(self) -> bool:
        """True while no admin has resolved or dismissed it."""
        return self.status == ReportStatus.NEW
