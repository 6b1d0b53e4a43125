"""Reads about institutes and the areas they teach in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Area, Campus, Course, Institute, InstituteStatus
from catalog.queries.courses import VISIBLE
from catalog.search import catalog_counts

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


def _in_area(stmt, area_slug: str | None):
    # The "Online" area holds the institutes with a published course that can be attended
    # online (``Course.online_condition``), as the search's "Online" area holds those courses.
    if area_slug == ONLINE:
        return stmt.where(Institute.courses.any(VISIBLE & Course.online_condition()))
    if area_slug:
        return stmt.where(Institute.campuses.any(Campus.area.has(Area.slug == area_slug)))
    return stmt


def institutes_with_counts(
    session: Session, area_slug: str | None = None, limit: int | None = None, offset: int = 0
) -> list[InstituteRow]:
    """Approved institutes with their published-course counts, busiest first, optionally those
    in one area (or "Online"); ``limit`` and ``offset`` cut one page of them."""
    count = (
        select(func.count(Course.id))
        .where(Course.institute_id == Institute.id, VISIBLE)
        .correlate(Institute)
        .scalar_subquery()
    )
    stmt = _in_area(
        select(Institute, count)
        .where(APPROVED)
        .order_by(count.desc(), Institute.name, Institute.id)
        .options(selectinload(Institute.campuses).selectinload(Campus.area)),
        area_slug,
    )
    if limit:
        stmt = stmt.limit(limit).offset(offset)
    return [InstituteRow(institute, n) for institute, n in session.execute(stmt)]


def count_institutes(session: Session, area_slug: str | None = None) -> int:
    """How many approved institutes :func:`institutes_with_counts` would list in all."""
    return session.scalar(_in_area(select(func.count(Institute.id)).where(APPROVED), area_slug)) or 0


def areas_with_institutes(session: Session) -> list[Area]:
    """Areas that have at least one approved institute's campus, plus Online."""
    stmt = (
        select(Area)
        .where(Area.campuses.any(Campus.institute.has(APPROVED)) | (Area.slug == ONLINE))
        .order_by(Area.slug == ONLINE, Area.name)
    )
    return list(session.scalars(stmt))


def busiest_institutes(session: Session, today: date, limit: int) -> list[InstituteRow]:
    """The approved institutes with most published courses (then by name), with their campuses.

    The counts come from the search's facet snapshot, so only the institutes shown are read.
    """
    top = catalog_counts(session, today).institute_courses[:limit]
    loaded = {
        institute.id: institute
        for institute in session.scalars(
            select(Institute)
            .where(Institute.id.in_([institute_id for institute_id, _count in top]))
            .options(selectinload(Institute.campuses).selectinload(Campus.area))
        )
    }
    return [InstituteRow(loaded[i], n) for i, n in top if i in loaded]


def catalog_stats(session: Session, today: date) -> dict[str, int]:
    """Headline numbers of our own catalog for the home page, from the search's facet snapshot."""
    counts = catalog_counts(session, today)
    return {"courses": counts.courses, "institutes": counts.institutes, "open_batches": counts.open_batches}
