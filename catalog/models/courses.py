"""Courses, their ordered modules, languages and batches (intakes)."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.base import Base, enum_column, timestamp_column, utcnow
from catalog.models.catalog import Campus, Institute, Instructor, Tool, Topic

course_topics = Table(
    "course_topics",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
)
course_tools = Table(
    "course_tools",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("tool_id", ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True, index=True),
)
course_instructors = Table(
    "course_instructors",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("instructor_id", ForeignKey("instructors.id", ondelete="CASCADE"), primary_key=True),
)
course_campuses = Table(
    "course_campuses",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("campus_id", ForeignKey("campuses.id", ondelete="CASCADE"), primary_key=True, index=True),
)

LANGUAGES = ("English", "Telugu", "Hindi", "Tamil", "Kannada", "Urdu")


class CourseFormat(enum.StrEnum):
    BOOTCAMP = "bootcamp"
    CERTIFICATION = "certification"
    DIPLOMA = "diploma"
    WORKSHOP = "workshop"


class Level(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Mode(enum.StrEnum):
    CLASSROOM = "classroom"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def is_online(self) -> bool:
        """True when learners can attend from anywhere: online, or hybrid (online or in class).

        This is what "Online" means everywhere in the catalog: the search's "Online" area,
        the institute list's "Online" filter, a batch's place and the search index's words.
        """
        return self != Mode.CLASSROOM


#: A syllabus not reviewed within this many days is out of date: the course page says so, the
#: portal dashboard lists it, and the admins' staleness report reminds its institute.
SYLLABUS_STALE_AFTER_DAYS = 365


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Schedule(enum.StrEnum):
    WEEKDAY = "weekday"
    WEEKEND = "weekend"
    EVENING = "evening"
    FAST_TRACK = "fast-track"


class BatchStatus(enum.StrEnum):
    OPEN = "open"
    FULL = "full"
    CLOSED = "closed"


class Course(Base):
    """A program an institute offers: what it teaches, for how long, at what price."""

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("fee_inr >= 0", name="fee"),
        CheckConstraint("duration_days > 0", name="duration"),
        CheckConstraint("total_hours > 0", name="hours"),
        CheckConstraint(
            "placement_rate IS NULL OR (placement_rate BETWEEN 0 AND 100"
            " AND placement_year IS NOT NULL AND placement_cohort_size > 0)",
            name="placement_figures",
        ),
        Index("ix_courses_status_fee", "status", "fee_inr"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institute_id: Mapped[int] = mapped_column(ForeignKey("institutes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[CourseFormat] = enum_column(CourseFormat)
    level: Mapped[Level] = enum_column(Level)
    duration_days: Mapped[int]
    total_hours: Mapped[int]
    fee_inr: Mapped[int]
    emi_available: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[Mode] = enum_column(Mode)
    certification_name: Mapped[str | None] = mapped_column(String(200))
    certification_issuer: Mapped[str | None] = mapped_column(String(200))
    refund_policy: Mapped[str] = mapped_column(Text)
    placement_support: Mapped[bool] = mapped_column(Boolean, default=False)
    placement_rate: Mapped[int | None]
    placement_year: Mapped[int | None]
    placement_cohort_size: Mapped[int | None]
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CourseStatus] = enum_column(CourseStatus, default=CourseStatus.DRAFT, index=True)
    syllabus_reviewed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = timestamp_column()
    updated_at: Mapped[datetime] = timestamp_column(onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Moderation: the listing as it was last published (what a pending edit is compared with),
    # and the reason an admin gave when the last change was sent back.
    approved_snapshot: Mapped[dict | None] = mapped_column(JSON)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # A published listing's edit that waits for review (the saved form, see
    # ``services.course_changes``): the row keeps showing the approved listing meanwhile.
    held_changes: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    __mapper_args__ = {"version_id_col": version}

    institute: Mapped[Institute] = relationship(back_populates="courses")
    modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseModule.position"
    )
    batches: Mapped[list[Batch]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Batch.start_date"
    )
    languages: Mapped[list[CourseLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="CourseLanguage.language"
    )
    topics: Mapped[list[Topic]] = relationship(secondary=course_topics, order_by=Topic.name)
    tools: Mapped[list[Tool]] = relationship(secondary=course_tools, order_by=Tool.name)
    instructors: Mapped[list[Instructor]] = relationship(
        secondary=course_instructors, order_by=Instructor.name
    )
    campuses: Mapped[list[Campus]] = relationship(secondary=course_campuses, order_by=Campus.id)

    @property
    def language_names(self) -> list[str]:
        """The languages of instruction, as plain names."""
        return [entry.language for entry in self.languages]

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED

    @property
    def has_held_edit(self) -> bool:
        """True when the published listing has an edit that waits (or was sent back)."""
        return self.held_changes is not None

    @property
    def awaits_review(self) -> bool:
        """True when an admin has something of this course to review: a pending listing, or a
        published one's held edit that has not been sent back."""
        if self.status == CourseStatus.PENDING:
            return True
        return self.has_held_edit and self.rejection_reason is None

    @classmethod
    def awaits_review_condition(cls):
        """SQL condition equivalent to :attr:`awaits_review`."""
        return or_(
            cls.status == CourseStatus.PENDING,
            and_(cls.held_changes.is_not(None), cls.rejection_reason.is_(None)),
        )

    @classmethod
    def public_condition(cls):
        """SQL condition for courses learners may see: published, by an approved institute."""
        return and_(
            cls.status == CourseStatus.PUBLISHED,
            cls.institute.has(Institute.is_public),
        )

    @property
    def is_online(self) -> bool:
        """True when the course can be attended online (see :attr:`Mode.is_online`)."""
        return self.mode.is_online

    @classmethod
    def online_condition(cls):
        """SQL condition equivalent to :attr:`is_online`."""
        return cls.mode != Mode.CLASSROOM

    def next_open_batch(self, today: date) -> Batch | None:
        """The soonest batch a learner can still join, if any."""
        return next((b for b in self.batches if b.is_open(today)), None)

    def syllabus_is_stale(self, today: date) -> bool:
        """True when the syllabus has not been reviewed within ``SYLLABUS_STALE_AFTER_DAYS``."""
        if self.syllabus_reviewed_on is None:
            return True
        return (today - self.syllabus_reviewed_on).days > SYLLABUS_STALE_AFTER_DAYS

    @classmethod
    def stale_syllabus_condition(cls, today: date):
        """SQL condition equivalent to :meth:`syllabus_is_stale`."""
        oldest_fresh = today - timedelta(days=SYLLABUS_STALE_AFTER_DAYS)
        return or_(cls.syllabus_reviewed_on.is_(None), cls.syllabus_reviewed_on < oldest_fresh)


class CourseLanguage(Base):
    """A language a course is taught in."""

    __tablename__ = "course_languages"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class CourseModule(Base):
    """One ordered part of a course's syllabus."""

    __tablename__ = "course_modules"
    __table_args__ = (
        UniqueConstraint("course_id", "position"),
        CheckConstraint("hours >= 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int] = mapped_column(default=0)
    outline: Mapped[str] = mapped_column(Text, default="")

    course: Mapped[Course] = relationship(back_populates="modules")


class Batch(Base):
    """An intake of a course: when it starts, on which schedule, and how many seats are left."""

    __tablename__ = "batches"
    __table_args__ = (
        CheckConstraint("seats_total > 0", name="seats_total"),
        CheckConstraint("seats_left >= 0 AND seats_left <= seats_total", name="seats_left"),
        Index("ix_batches_course_start", "course_id", "start_date"),
        Index("ix_batches_start", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    start_date: Mapped[date] = mapped_column(Date)
    schedule: Mapped[Schedule] = enum_column(Schedule)
    mode: Mapped[Mode] = enum_column(Mode)
    campus_id: Mapped[int | None] = mapped_column(ForeignKey("campuses.id", ondelete="SET NULL"))
    seats_total: Mapped[int]
    seats_left: Mapped[int]
    status: Mapped[BatchStatus] = enum_column(BatchStatus, default=BatchStatus.OPEN)

    course: Mapped[Course] = relationship(back_populates="batches")
    campus: Mapped[Campus | None] = relationship()

    def has_started(self, today: date) -> bool:
        """True once the batch's first day has come: it is closed to learners from then on."""
        return self.start_date <= today

    def effective_status(self, today: date) -> BatchStatus:
        """The status a learner sees: a batch that has started is closed, a full one is full."""
        if self.has_started(today) or self.status == BatchStatus.CLOSED:
            return BatchStatus.CLOSED
        if self.seats_left == 0 or self.status == BatchStatus.FULL:
            return BatchStatus.FULL
        return BatchStatus.OPEN

    @property
    def is_online(self) -> bool:
        """True when the batch can be attended online (see :attr:`Mode.is_online`)."""
        return self.mode.is_online

    def is_open(self, today: date) -> bool:
        """True while a learner can still join this batch."""
        return self.effective_status(today) == BatchStatus.OPEN

    def is_scheduled(self, today: date) -> bool:
        """True for a batch still to start that nobody has closed: an open or a full one.

        Wider than :meth:`is_open` on purpose: staff plan around a full batch too (it still
        meets, at its campus, on its date), while learners can join only an open one.
        """
        return self.effective_status(today) != BatchStatus.CLOSED

    @classmethod
    def scheduled_condition(cls, today: date):
        """SQL condition equivalent to :meth:`is_scheduled`."""
        return and_(cls.start_date > today, cls.status != BatchStatus.CLOSED)

    @classmethod
    def open_condition(cls, today: date):
        """SQL condition equivalent to :meth:`is_open`."""
        return and_(cls.status == BatchStatus.OPEN, cls.start_date > today, cls.seats_left > 0)
