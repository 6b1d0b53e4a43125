"""Campuses: where an institute teaches, one per area of Hyderabad."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Area, Batch, Campus, Course, Institute, User, course_campuses
from catalog.queries.portal import scheduled_batch_dates_at
from catalog.services.audit import audit_change
from catalog.services.errors import DomainError
from catalog.services.outcomes import Outcome
from catalog.services.transactions import one_write
from catalog.timeutil import local_today


@dataclass(frozen=True)
class CampusChanges:
    """A campus: ``area`` is the id of an area of Hyderabad (not "Online"), and its address."""

    area: int
    address: str


def campus_snapshot(campus: Campus) -> dict[str, Any]:
    """A campus as plain values, for the audit log."""
    return {"area": campus.area.name if campus.area else None, "address": campus.address}


def apply_campus(
    session: Session,
    actor: User | None,
    institute: Institute,
    changes: CampusChanges,
    campus: Campus | None = None,
) -> Outcome[Campus]:
    """Add a campus to ``institute`` (or change ``campus``); at most one campus per area."""
    area = session.get(Area, changes.area)
    if area is None or area.is_online:
        raise DomainError("area-not-in-city", field="area")
    clash = session.scalar(
        select(Campus.id).where(
            Campus.institute_id == institute.id,
            Campus.area_id == area.id,
            Campus.id != (campus.id if campus is not None else -1),
        )
    )
    if clash is not None:
        raise DomainError("campus-area-taken", field="area", area=area.name)
    creating = campus is None
    before = {} if creating else campus_snapshot(campus)
    with one_write(session), session.no_autoflush:
        if creating:
            campus = Campus(institute=institute)
            session.add(campus)
        campus.area = area
        campus.address = changes.address
        session.flush()
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            campus,
            before,
            campus_snapshot(campus),
            summary=f"{'Added' if creating else 'Saved'} campus in {area.name}",
        )
    return Outcome(campus, "campus-saved", {"area": area.name})


def delete_campus(session: Session, actor: User | None, campus: Campus) -> Outcome[Campus]:
    """Delete a campus no batch still to run meets at; courses that named it stop naming it.

    Refused with ``campus-in-use`` and the batches' start dates (soonest first) otherwise.
    """
    upcoming = scheduled_batch_dates_at(session, campus.id, local_today())
    if upcoming:
        raise DomainError("campus-in-use", start_dates=tuple(upcoming))
    area_name = campus.area.name
    before = campus_snapshot(campus)
    courses = session.scalars(
        select(Course).join(course_campuses).where(course_campuses.c.campus_id == campus.id)
    ).all()
    with one_write(session):
        # Through the ORM, so each course is re-indexed without this campus's area.
        for course in courses:
            course.campuses.remove(campus)
        for batch in session.scalars(select(Batch).where(Batch.campus_id == campus.id)):
            batch.campus = None
        session.delete(campus)
        audit_change(session, actor, "delete", campus, before, {}, summary=f"Deleted campus in {area_name}")
    return Outcome(None, "campus-deleted", {"area": area_name})
