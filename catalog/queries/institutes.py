"""Reads about institutes and the areas they teach in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Area, Campus, Course, Institute, InstituteStatus, User
from catalog.queries.courses import VISIBLE
from catalog.search import catalog_counts
from catalog.timeutil import local_today

APPROVED = Institute.is_public
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


def ranked_institutes(
    session: Session, area_slug: str | None = None, today: date | None = None
) -> list[tuple[int, int]]:
    """``(institute id, published courses)`` of the approved institutes, most courses first
    (then by name), from the search's facet snapshot; only those in the area when one is given.

    The "Online" area holds the institutes with a published course that can be attended online
    (``Course.online_condition``), as the search's "Online" area holds those courses.
    """
    ranked = catalog_counts(session, today or local_today()).institute_courses
    if area_slug == ONLINE:
        in_area = select(Course.institute_id).where(VISIBLE, Course.online_condition())
    elif area_slug:
        in_area = select(Campus.institute_id).join(Campus.area).where(Area.slug == area_slug)
    else:
        return ranked
    kept = set(session.scalars(in_area))
    return [row for row in ranked if row[0] in kept]


def institute_rows(session: Session, ranked: list[tuple[int, int]]) -> list[InstituteRow]:
    """The institutes of these ``(id, course count)`` pairs, in their order, with campuses."""
    if not ranked:
        return []
    loaded = {
        institute.id: institute
        for institute in session.scalars(
            select(Institute)
            .where(Institute.id.in_([institute_id for institute_id, _count in ranked]))
            .options(selectinload(Institute.campuses).selectinload(Campus.area))
        )
    }
    return [InstituteRow(loaded[i], n) for i, n in ranked if i in loaded]


def institutes_with_counts(
    session: Session, area_slug: str | None = None, limit: int | None = None, today: date | None = None
) -> list[InstituteRow]:
    """The first ``limit`` (or all) approved institutes of :func:`ranked_institutes`."""
    ranked = ranked_institutes(session, area_slug, today)
    return institute_rows(session, ranked[:limit] if limit else ranked)


def areas_with_institutes(session: Session) -> list[Area]:
    """Areas that have at least one approved institute's campus, plus Online."""
    stmt = (
        select(Area)
        .where(Area.campuses.any(Campus.institute.has(APPROVED)) | (Area.slug == ONLINE))
        .order_by(Area.slug == ONLINE, Area.name)
    )
    return list(session.scalars(stmt))


def catalog_stats(session: Session, today: date) -> dict[str, int]:
    """Headline numbers of our own catalog for the home page, from the search's facet snapshot."""
    counts = catalog_counts(session, today)
    return {"courses": counts.courses, "institutes": counts.institutes, "open_batches": counts.open_batches}


@dataclass(frozen=True)
class InstituteFilters:
    """What the admins' list of institutes is narrowed to: part of the name, status, verified."""

    name: str = ""
    status: InstituteStatus | None = None
    verified: bool | None = None


def admin_institutes_query(filters: InstituteFilters) -> Select:
    """Every institute whatever its status, matching ``filters``, by name (for ``db.paginate``)."""
    stmt = select(Institute).order_by(Institute.name, Institute.id)
    if filters.name:
        stmt = stmt.where(Institute.name.icontains(filters.name, autoescape=True))
    if filters.status is not None:
        stmt = stmt.where(Institute.status == filters.status)
    if filters.verified is not None:
        stmt = stmt.where(Institute.verified.is_(filters.verified))
    return stmt


def admin_institute(session: Session, institute_id: int) -> Institute | None:
    """The institute with this id whatever its status, with its courses."""
    return session.scalar(
        select(Institute).where(Institute.id == institute_id).options(selectinload(Institute.courses))
    )


def institute_staff(session: Session, institute_id: int) -> list[User]:
    """Every account of the institute's staff, active or not, by email."""
    return list(session.scalars(select(User).where(User.institute_id == institute_id).order_by(User.email)))
