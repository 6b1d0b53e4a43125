"""Saving an institute's profile, partners, campuses and instructors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.forms.catalog import CampusForm, InstituteForm, InstructorForm
from catalog.models import (
    Area,
    Batch,
    BatchStatus,
    Campus,
    Course,
    Institute,
    Instructor,
    Partner,
    User,
    course_campuses,
    course_instructors,
)
from catalog.services.audit import snapshot
from catalog.services.listings.common import ListingError, Outcome, audit, one_transaction
from catalog.templating import format_date
from catalog.timeutil import local_today

INSTITUTE_FIELDS = ["name", "description", "website", "email", "phone", "founded_year", "partners"]


def save_institute(session: Session, user: User, institute: Institute, form: InstituteForm) -> Outcome:
    """Update the institute's public profile and its list of partners."""
    before = snapshot(institute, INSTITUTE_FIELDS)
    wanted = form.partner_names()
    with one_transaction(session):
        institute.name = form.name.data
        institute.description = form.description.data or ""
        for name in ("website", "email", "phone", "founded_year"):
            setattr(institute, name, form[name].data or None)
        # Kept partners stay as they are; only removed and added names change, so no name clashes.
        for partner in [p for p in institute.partners if p.name not in wanted]:
            institute.partners.remove(partner)
        existing = {partner.name for partner in institute.partners}
        institute.partners.extend(Partner(name=name) for name in wanted if name not in existing)
        session.flush()
        session.expire(institute, ["partners"])
        audit(
            session,
            user,
            "update",
            institute,
            before,
            snapshot(institute, INSTITUTE_FIELDS),
            summary=f"Saved the profile of {institute.name}",
            institute_id=institute.id,
        )
    return Outcome(institute, "Profile saved.")


def campus_snapshot(campus: Campus) -> dict[str, Any]:
    """A campus as plain values, for the audit log."""
    return {"area": campus.area.name if campus.area else None, "address": campus.address}


def save_campus(
    session: Session, user: User, institute: Institute, form: CampusForm, campus: Campus | None = None
) -> Outcome:
    """Add or change a campus; an institute has at most one campus per area."""
    area = session.get(Area, form.area.data)
    if area is None or area.is_online:
        raise ListingError("Choose an area of Hyderabad.", field="area")
    clash = session.scalar(
        select(Campus.id).where(
            Campus.institute_id == institute.id,
            Campus.area_id == area.id,
            Campus.id != (campus.id if campus is not None else -1),
        )
    )
    if clash is not None:
        raise ListingError(f"You already have a campus in {area.name}; edit that one instead.", field="area")
    creating = campus is None
    before = {} if creating else campus_snapshot(campus)
    with one_transaction(session), session.no_autoflush:
        if creating:
            campus = Campus(institute=institute)
            session.add(campus)
        campus.area = area
        campus.address = form.address.data
        session.flush()
        audit(
            session,
            user,
            "create" if creating else "update",
            campus,
            before,
            campus_snapshot(campus),
            summary=f"{'Added' if creating else 'Saved'} campus in {area.name}",
        )
    return Outcome(campus, f"Campus in {area.name} saved.")


def delete_campus(session: Session, user: User, campus: Campus) -> Outcome:
    """Delete a campus no upcoming batch meets at; courses that named it stop naming it."""
    upcoming = session.scalars(
        select(Batch.start_date)
        .where(
            Batch.campus_id == campus.id, Batch.start_date > local_today(), Batch.status != BatchStatus.CLOSED
        )
        .order_by(Batch.start_date)
    ).all()
    if upcoming:
        dates = ", ".join(format_date(day) for day in upcoming[:3])
        raise ListingError(
            f"Batches starting {dates} meet at this campus. Move them to another campus or close them first."
        )
    area_name = campus.area.name
    before = campus_snapshot(campus)
    courses = session.scalars(
        select(Course).join(course_campuses).where(course_campuses.c.campus_id == campus.id)
    ).all()
    with one_transaction(session):
        # Through the ORM, so each course is re-indexed without this campus's area.
        for course in courses:
            course.campuses.remove(campus)
        for batch in session.scalars(select(Batch).where(Batch.campus_id == campus.id)):
            batch.campus = None
        session.delete(campus)
        audit(session, user, "delete", campus, before, {}, summary=f"Deleted campus in {area_name}")
    return Outcome(None, f"Campus in {area_name} deleted.")


INSTRUCTOR_FIELDS = ["name", "bio", "years_experience", "industry_background"]


def save_instructor(
    session: Session,
    user: User,
    institute: Institute,
    form: InstructorForm,
    instructor: Instructor | None = None,
) -> Outcome:
    """Add or change an instructor; names are unique within an institute."""
    clash = session.scalar(
        select(Instructor.id).where(
            Instructor.institute_id == institute.id,
            Instructor.name == form.name.data,
            Instructor.id != (instructor.id if instructor is not None else -1),
        )
    )
    if clash is not None:
        raise ListingError(f"You already have an instructor named {form.name.data}.", field="name")
    creating = instructor is None
    before = {} if creating else snapshot(instructor, INSTRUCTOR_FIELDS)
    with one_transaction(session), session.no_autoflush:
        if creating:
            instructor = Instructor(institute=institute)
            session.add(instructor)
        instructor.name = form.name.data
        instructor.bio = form.bio.data or ""
        instructor.years_experience = form.years_experience.data
        instructor.industry_background = form.industry_background.data or ""
        session.flush()
        audit(
            session,
            user,
            "create" if creating else "update",
            instructor,
            before,
            snapshot(instructor, INSTRUCTOR_FIELDS),
            summary=f"{'Added' if creating else 'Saved'} instructor {instructor.name}",
        )
    return Outcome(instructor, f"{instructor.name} saved.")


def courses_taught_by(session: Session, instructor: Instructor) -> list[str]:
    """Titles of the courses that name this instructor."""
    return list(
        session.scalars(
            select(Course.title)
            .join(course_instructors)
            .where(course_instructors.c.instructor_id == instructor.id)
            .order_by(Course.title)
        )
    )


def delete_instructor(session: Session, user: User, instructor: Instructor) -> Outcome:
    """Delete an instructor who teaches no course; otherwise say which courses name them."""
    titles = courses_taught_by(session, instructor)
    if titles:
        listed = ", ".join(f"“{title}”" for title in titles[:5]) + (" and others" if len(titles) > 5 else "")
        raise ListingError(
            f"{instructor.name} cannot be deleted while assigned to {listed}. "
            "Remove them from those courses first."
        )
    before = snapshot(instructor, INSTRUCTOR_FIELDS)
    name = instructor.name
    with one_transaction(session):
        session.delete(instructor)
        audit(session, user, "delete", instructor, before, {}, summary=f"Deleted instructor {name}")
    return Outcome(None, f"{name} deleted.")
