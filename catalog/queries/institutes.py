"""Reads about institutes and the areas they teach in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Area, Batch, Campus, Course, Institute, InstituteStatus
from catalog.queries.courses import VISIBLE

APPROVED = Institute.status == InstituteStatus.APPROVED
#: The slug of the "Online" pseudo-area.
ONLINE = "online"


def approved_institute(session: Session, slug: str) -> Institute | None:
    """The approved institute with this slug, with its campuses, partners and instructors."""
    return session.scalar(
        select(Institute)
        .where(Institute.slug == slug, APPROVED)
        .options(
            selectinload(Institute.campuses).selectinload(Campus.area),
            selectinload(Institute.partners),
            selectinload(Institute.instructors),
        )
    )


@dataclass(frozen=True)
class InstituteRow:
    """An institute with its number of published courses."""

    institute: Institute
    course_count: int


def institutes_with_counts(
    session: Session, area_slug: str | None = None, limit: int | None = None
) -> list[InstituteRow]:
    """Approved institutes with their published-course counts, optionally those in one area.

    The "Online" area holds the institutes with a published course that can be attended online
    (``Course.online_condition``), as the search's "Online" area holds those courses.
    """
    count = (
        select(func.count(Course.id))
        .where(Course.institute_id == Institute.id, VISIBLE)
        .correlate(Institute)
        .scalar_subquery()
    )
    stmt = (
        select(Institute, count)
        .where(APPROVED)
        .order_by(count.desc(), Institute.name)
        .options(selectinload(Institute.campuses).selectinload(Campus.area))
    )
    if area_slug == ONLINE:
        stmt = stmt.where(Institute.courses.any(VISIBLE & Course.online_condition()))
    elif area_slug:
        stmt = stmt.where(Institute.campuses.any(Campus.area.has(Area.slug == area_slug)))
    if limit:
        stmt = stmt.limit(limit)
    return [InstituteRow(institute, n) for institute, n in session.execute(stmt)]


def areas_with_institutes(session: Session) -> list[Area]:
    """Areas that have at least one approved institute's campus, plus Online."""
    stmt = (
        select(Area)
        .where(Area.campuses.any(Campus.institute.has(APPROVED)) | (Area.slug == ONLINE))
        .order_by(Area.slug == ONLINE, Area.name)
    )
    return list(session.scalars(stmt))


def catalog_stats(session: Session, today: date) -> dict[str, int]:
    """Headline numbers of our own catalog for the home page."""
    return {
        "courses": session.scalar(select(func.count(Course.id)).where(VISIBLE)) or 0,
        "institutes": session.scalar(select(func.count(Institute.id)).where(APPROVED)) or 0,
        "open_batches": session.scalar(
            select(func.count(Batch.id)).join(Batch.course).where(Batch.open_condition(today), VISIBLE)
        )
        or 0,
    }
