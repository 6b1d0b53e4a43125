"""Instructors: the people who teach an institute's courses; names are unique within it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Institute, Instructor, User
from catalog.queries.portal import courses_taught_by
from catalog.services.audit import audit_change, snapshot
from catalog.services.errors import DomainError
from catalog.services.outcomes import Outcome
from catalog.services.transactions import one_write

INSTRUCTOR_FIELDS = ["name", "bio", "years_experience", "industry_background"]


@dataclass(frozen=True)
class InstructorChanges:
    """Who an instructor is; learners see the years of experience."""

    name: str
    years_experience: int
    bio: str = ""
    industry_background: str = ""


def apply_instructor(
    session: Session,
    actor: User | None,
    institute: Institute,
    changes: InstructorChanges,
    instructor: Instructor | None = None,
) -> Outcome[Instructor]:
    """Add an instructor to ``institute`` (or change ``instructor``), with the audit entry."""
    clash = session.scalar(
        select(Instructor.id).where(
            Instructor.institute_id == institute.id,
            Instructor.name == changes.name,
            Instructor.id != (instructor.id if instructor is not None else -1),
        )
    )
    if clash is not None:
        raise DomainError("instructor-name-taken", field="name", name=changes.name)
    creating = instructor is None
    before = {} if creating else snapshot(instructor, INSTRUCTOR_FIELDS)
    with one_write(session), session.no_autoflush:
        if creating:
            instructor = Instructor(institute=institute)
            session.add(instructor)
        instructor.name = changes.name
        instructor.bio = changes.bio
        instructor.years_experience = changes.years_experience
        instructor.industry_background = changes.industry_background
        session.flush()
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            instructor,
            before,
            snapshot(instructor, INSTRUCTOR_FIELDS),
            summary=f"{'Added' if creating else 'Saved'} instructor {instructor.name}",
        )
    return Outcome(instructor, "instructor-saved", {"name": instructor.name})


def delete_instructor(session: Session, actor: User | None, instructor: Instructor) -> Outcome[Instructor]:
    """Delete an instructor who teaches no course.

    Refused with ``instructor-teaches``, the instructor's name and the titles of the courses
    that name them, otherwise.
    """
    titles = courses_taught_by(session, instructor.id)
    if titles:
        raise DomainError("instructor-teaches", name=instructor.name, titles=tuple(titles))
    before = snapshot(instructor, INSTRUCTOR_FIELDS)
    name = instructor.name
    with one_write(session):
        session.delete(instructor)
        audit_change(session, actor, "delete", instructor, before, {}, summary=f"Deleted instructor {name}")
    return Outcome(None, "instructor-deleted", {"name": name})
