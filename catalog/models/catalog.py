"""Places and people around courses: areas, institutes, campuses, instructors, vocabulary."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.base import Base, enum_column, timestamp_column

if TYPE_CHECKING:
    from catalog.models.courses import Course
    from catalog.models.events import Event


class Area(Base):
    """A locality of Hyderabad, or the pseudo-area "Online"."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    campuses: Mapped[list[Campus]] = relationship(back_populates="area")

    @property
    def is_online(self) -> bool:
        """True for the "Online" pseudo-area."""
        return self.slug == "online"


class InstituteStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"


class Institute(Base):
    """An organisation that offers courses and events."""

    __tablename__ = "institutes"
    __table_args__ = (
        CheckConstraint("founded_year IS NULL OR founded_year BETWEEN 1900 AND 2100", name="founded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    founded_year: Mapped[int | None]
    status: Mapped[InstituteStatus] = enum_column(InstituteStatus, default=InstituteStatus.PENDING)
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = timestamp_column()

    campuses: Mapped[list[Campus]] = relationship(
        back_populates="institute", cascade="all, delete-orphan", order_by="Campus.id"
    )
    partners: Mapped[list[Partner]] = relationship(
        back_populates="institute", cascade="all, delete-orphan", order_by="Partner.name"
    )
    instructors: Mapped[list[Instructor]] = relationship(
        back_populates="institute", cascade="all, delete-orphan", order_by="Instructor.name"
    )
    courses: Mapped[list[Course]] = relationship(back_populates="institute")
    events: Mapped[list[Event]] = relationship(back_populates="institute")

    @hybrid_property
    def is_public(self) -> bool:
        """True for an approved institute: the only ones learners see, with their courses and
        events, and whose staff may use the portal. In a query, the same rule as SQL."""
        return self.status == InstituteStatus.APPROVED


class Campus(Base):
    """A place where an institute teaches: an address in an area."""

    __tablename__ = "campuses"
    __table_args__ = (UniqueConstraint("institute_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institute_id: Mapped[int] = mapped_column(ForeignKey("institutes.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    address: Mapped[str] = mapped_column(String(300))

    institute: Mapped[Institute] = relationship(back_populates="campuses")
    area: Mapped[Area] = relationship(back_populates="campuses")


class Partner(Base):
    """An industry partner an institute names (hiring, curriculum or cloud credits)."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("institute_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institute_id: Mapped[int] = mapped_column(ForeignKey("institutes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(160))

    institute: Mapped[Institute] = relationship(back_populates="partners")


class Instructor(Base):
    """A teacher at an institute; experience is shown because good instructors are scarce."""

    __tablename__ = "instructors"
    __table_args__ = (
        UniqueConstraint("institute_id", "name"),
        CheckConstraint("years_experience >= 0 AND years_experience <= 60", name="experience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institute_id: Mapped[int] = mapped_column(ForeignKey("institutes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(160))
    bio: Mapped[str] = mapped_column(Text, default="")
    years_experience: Mapped[int] = mapped_column(default=0)
    industry_background: Mapped[str] = mapped_column(String(200), default="")

    institute: Mapped[Institute] = relationship(back_populates="instructors")


class Topic(Base):
    """A curated subject of MLOps with the synonyms learners type for it."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)


class Tool(Base):
    """A curated tool or platform taught in courses, with a category and synonyms."""

    __tablename__ = "tools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    category: Mapped[str] = mapped_column(String(40))
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
