"""How a course save lands on a course object: choices resolved, fields copied, edits held.

:func:`copy_onto` puts a :class:`CourseChanges` onto a course (the write service,
:mod:`catalog.services.courses`, wraps it in its transaction and audit entry). A published
course's held edit (``Course.held_changes``) is read back here: as a course object that is never
stored (:func:`held_listing`, for the moderation diff and the portal's form), or onto the live
listing when an admin approves it (:func:`apply_held_changes`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import LANGUAGES, Campus, Course, CourseLanguage, CourseModule, Instructor, Tool, Topic
from catalog.models.base import utcnow
from catalog.services.course_changes import (
    PLACEMENT_FIGURES,
    SCALAR_FIELDS,
    CourseChanges,
    ModuleRow,
    decode_changes,
)
from catalog.services.errors import DomainError


def _records(session: Session, model, ids: tuple[int, ...], field: str, institute_id: int | None = None):
    """The records with these ids, in id order; an id that is unknown (or another institute's)
    is refused, so no caller can attach another institute's campus or instructor."""
    if not ids:
        return []
    stmt = select(model).where(model.id.in_(ids)).order_by(model.id)
    if institute_id is not None:
        stmt = stmt.where(model.institute_id == institute_id)
    found = list(session.scalars(stmt))
    if len(found) != len(set(ids)):
        raise DomainError("unknown-choice", field=field)
    return found


def resolve_choices(
    session: Session, institute_id: int, changes: CourseChanges
) -> tuple[list, list, list, list]:
    """The topics, tools, campuses and instructors the changes name; refuses unknown languages
    and choices (see :func:`_records`)."""
    unknown = [name for name in changes.languages if name not in LANGUAGES]
    if unknown:
        raise DomainError("unknown-language", field="languages", language=unknown[0])
    return (
        _records(session, Topic, changes.topics, "topics"),
        _records(session, Tool, changes.tools, "tools"),
        _records(session, Campus, changes.campuses, "campuses", institute_id),
        _records(session, Instructor, changes.instructors, "instructors", institute_id),
    )


def copy_onto(session: Session, course: Course, institute_id: int, changes: CourseChanges) -> None:
    """Copy the changes onto the course; the caller holds autoflush off (a new course is incomplete)."""
    topics, tools, campuses, instructors = resolve_choices(session, institute_id, changes)
    for name in SCALAR_FIELDS:
        if name != "slug":
            setattr(course, name, getattr(changes, name))
    course.certification_name = changes.certification_name or None
    course.certification_issuer = changes.certification_issuer or None
    if not course.placement_support:
        for name in PLACEMENT_FIGURES:
            setattr(course, name, None)
    course.topics, course.tools = topics, tools
    course.campuses, course.instructors = campuses, instructors
    kept = {entry.language: entry for entry in course.languages}
    course.languages = [kept.get(name) or CourseLanguage(language=name) for name in changes.languages]
    _apply_modules(course, changes.modules)
    course.updated_at = utcnow()  # a column change, so that every save bumps the version


#: The choices a course makes among records: field of ``CourseChanges`` -> (model, the institute's own).
_CHOICES = {
    "topics": (Topic, False),
    "tools": (Tool, False),
    "campuses": (Campus, True),
    "instructors": (Instructor, True),
}


def _held_changes(session: Session, course: Course) -> CourseChanges:
    """The course's held edit, without the choices that have gone since it was held (a campus
    deleted, say): they cannot be shown or approved, and the rest of the edit still can."""
    changes = decode_changes(course.held_changes)
    kept = {}
    for name, (model, own) in _CHOICES.items():
        ids = getattr(changes, name)
        if ids:
            stmt = select(model.id).where(model.id.in_(ids))
            if own:
                stmt = stmt.where(model.institute_id == course.institute_id)
            found = set(session.scalars(stmt))
            kept[name] = tuple(record_id for record_id in ids if record_id in found)
    return replace(changes, **kept)


def move_held_choice(session: Session, field: str, old_id: int, new_id: int) -> None:
    """Point every held edit that chose ``old_id`` in ``field`` ("topics", "tools") at ``new_id``
    (the vocabulary's merge, inside its write)."""
    for course in session.scalars(select(Course).where(Course.held_changes.is_not(None))):
        ids = course.held_changes.get(field) or []
        if old_id in ids:
            moved = [new_id if record_id == old_id else record_id for record_id in ids]
            course.held_changes = {**course.held_changes, field: list(dict.fromkeys(moved))}


def held_listing(session: Session, course: Course) -> Course | None:
    """The listing a published course's held edit would show, as a course object that is never
    stored (for the moderation diff and the portal's form), or None when no edit is held."""
    if course.held_changes is None:
        return None
    proposal = Course(institute_id=course.institute_id, slug=course.slug, status=course.status)
    with session.no_autoflush:
        copy_onto(session, proposal, course.institute_id, _held_changes(session, course))
    proposal.version = course.version
    return proposal


def _apply_modules(course: Course, rows: tuple[ModuleRow, ...]) -> None:
    # Rows fill the existing modules in order, so positions never clash within one flush.
    existing = list(course.modules)
    next_position = max((m.position for m in existing), default=0) + 1
    for index, row in enumerate(rows):
        if index < len(existing):
            module = existing[index]
            module.title, module.hours, module.outline = row.title, row.hours, row.outline
        else:
            course.modules.append(
                CourseModule(position=next_position, title=row.title, hours=row.hours, outline=row.outline)
            )
            next_position += 1
    for module in existing[len(rows) :]:
        course.modules.remove(module)


def apply_held_changes(session: Session, course: Course) -> None:
    """Put a published course's held edit onto the live listing (inside the caller's write):
    the moderation service's approval."""
    with session.no_autoflush:
        copy_onto(session, course, course.institute_id, _held_changes(session, course))
    course.held_changes = None
