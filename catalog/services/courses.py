"""Courses: the one write behind the portal, the seed and (later) the admin area, importer and API.

A verified institute publishes directly; an unverified one, or any listing the claims check
flags (guaranteed placement, bare placement figures), goes to ``pending`` until an admin reviews
it. A published save keeps the listing's form as ``approved_snapshot``, which the moderation
queue compares a pending edit with. Every save bumps the
course's ``version``, so a save prepared from an older version is refused instead of
overwriting. Each change commits with its audit entry (see :mod:`catalog.services.transactions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import (
    LANGUAGES,
    Campus,
    Course,
    CourseFormat,
    CourseLanguage,
    CourseModule,
    CourseStatus,
    Institute,
    Instructor,
    Level,
    Mode,
    Tool,
    Topic,
    User,
)
from catalog.models.base import utcnow
from catalog.queries.portal import course_was_published
from catalog.services.audit import audit_change, snapshot
from catalog.services.claims import course_claims
from catalog.services.errors import DomainError, EditConflict
from catalog.services.outcomes import Outcome
from catalog.services.slugs import is_slug, unique_slug
from catalog.services.transactions import one_write

SCALAR_FIELDS = [
    "title", "slug", "summary", "description", "format", "level", "duration_days", "total_hours",
    "fee_inr", "emi_available", "mode", "certification_name", "certification_issuer", "refund_policy",
    "placement_support", "placement_rate", "placement_year", "placement_cohort_size", "prerequisites",
    "syllabus_reviewed_on",
]  # fmt: skip
PLACEMENT_FIGURES = ("placement_rate", "placement_year", "placement_cohort_size")


@dataclass(frozen=True)
class ModuleRow:
    """One part of the syllabus; rows keep the order they are given in."""

    title: str
    hours: int = 0
    outline: str = ""


@dataclass(frozen=True)
class CourseChanges:
    """Everything a course listing says. ``topics`` and ``tools`` are ids from the vocabulary,
    ``campuses`` and ``instructors`` ids of the institute's own; ``publish`` asks for the catalog
    (False saves a draft); ``version`` is the one the change was prepared from (needed to edit);
    ``slug`` is made from the title when None."""

    title: str
    summary: str
    format: CourseFormat
    level: Level
    mode: Mode
    duration_days: int
    total_hours: int
    fee_inr: int
    refund_policy: str
    languages: tuple[str, ...]
    description: str = ""
    emi_available: bool = False
    certification_name: str | None = None
    certification_issuer: str | None = None
    placement_support: bool = False
    placement_rate: int | None = None
    placement_year: int | None = None
    placement_cohort_size: int | None = None
    prerequisites: str = ""
    syllabus_reviewed_on: date | None = None
    topics: tuple[int, ...] = ()
    tools: tuple[int, ...] = ()
    campuses: tuple[int, ...] = ()
    instructors: tuple[int, ...] = ()
    modules: tuple[ModuleRow, ...] = ()
    slug: str | None = None
    publish: bool = False
    version: int | None = None


def course_snapshot(course: Course) -> dict[str, Any]:
    """Every field of a course as plain values, for the audit log."""
    values = snapshot(course, [*SCALAR_FIELDS, "status", "version", "topics", "tools", "instructors"])
    values["languages"] = sorted(course.language_names)
    values["campuses"] = sorted(campus.area.name for campus in course.campuses)
    values["modules"] = [f"{m.title} ({m.hours} h)" for m in course.modules]
    return values


def listing_snapshot(course: Course) -> dict[str, Any]:
    """What a listing tells learners, as plain values: kept as its last published form, and
    compared with the pending one in the moderation queue."""
    values = course_snapshot(course)
    del values["status"], values["version"]
    values["modules"] = [
        f"{m.title} ({m.hours} h)" + (f": {m.outline}" if m.outline else "") for m in course.modules
    ]
    return values


def slug_editable(session: Session, course: Course | None) -> bool:
    """A course's address may change until it has been published once (links to it may exist)."""
    if course is None or course.status not in (CourseStatus.DRAFT, CourseStatus.PENDING):
        return course is None
    return not course_was_published(session, course.id)


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


def _apply(session: Session, course: Course, changes: CourseChanges) -> None:
    """Copy the changes onto the course; the caller holds autoflush off (a new course is incomplete)."""
    unknown = [name for name in changes.languages if name not in LANGUAGES]
    if unknown:
        raise DomainError("unknown-language", field="languages", language=unknown[0])
    institute_id = course.institute.id
    topics = _records(session, Topic, changes.topics, "topics")
    tools = _records(session, Tool, changes.tools, "tools")
    campuses = _records(session, Campus, changes.campuses, "campuses", institute_id)
    instructors = _records(session, Instructor, changes.instructors, "instructors", institute_id)
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


def _check_slug(session: Session, wanted: str, course_id: int | None) -> None:
    if not is_slug(wanted):
        raise DomainError("slug-malformed", field="slug")
    clash = select(Course.id).where(Course.slug == wanted)
    if course_id is not None:
        clash = clash.where(Course.id != course_id)
    if session.scalar(clash) is not None:
        raise DomainError("slug-taken", field="slug")


def status_after_save(
    institute: Institute, course: Course, publishing: bool, reviewed: bool = False
) -> tuple[CourseStatus, str]:
    """The status a save leaves the course in, and the outcome code that says why.

    ``reviewed`` marks a change an admin stands behind: it publishes an unverified institute's
    course, but a listing the claims check flags (:mod:`catalog.services.claims`) waits for
    review all the same, whoever saves it and however it arrives.
    """
    if not publishing:
        was_published = course.status == CourseStatus.PUBLISHED
        return CourseStatus.DRAFT, "course-unpublished" if was_published else "course-draft-saved"
    if course_claims(course):
        return CourseStatus.PENDING, "course-held-for-claim"
    if not institute.verified and not reviewed:
        return CourseStatus.PENDING, "course-held-for-review"
    return CourseStatus.PUBLISHED, "course-published"


def apply_course(
    session: Session,
    actor: User | None,
    institute: Institute,
    changes: CourseChanges,
    course: Course | None = None,
    *,
    reviewed: bool = False,
) -> Outcome[Course]:
    """Create a course of ``institute`` (or update ``course``) with its audit entry, in one commit.

    ``actor`` is who makes the change (None: the catalog's own tools); ``reviewed`` is for
    callers that stand in for an admin's review (see :func:`status_after_save`). Raises
    :class:`EditConflict` when ``changes.version`` is not the stored version (or another save
    wins the race at flush time), and :class:`DomainError` for a refused web address or choice.
    """
    creating = course is None
    if not creating:
        if course.institute_id != institute.id:
            raise ValueError("the course belongs to another institute")
        if course.status == CourseStatus.ARCHIVED:
            raise DomainError("course-is-archived", title=course.title)
        if changes.version != course.version:
            raise EditConflict()
    before = {} if creating else course_snapshot(course)
    with one_write(session), session.no_autoflush:
        if creating:
            if changes.slug:
                _check_slug(session, changes.slug, None)
            slug = changes.slug or unique_slug(session, Course, changes.title, "course")
            course = Course(institute=institute, slug=slug, status=CourseStatus.DRAFT)
            session.add(course)
        elif changes.slug and changes.slug != course.slug and slug_editable(session, course):
            _check_slug(session, changes.slug, course.id)
            course.slug = changes.slug
        _apply(session, course, changes)
        course.status, code = status_after_save(institute, course, changes.publish, reviewed)
        if course.status == CourseStatus.PUBLISHED:
            course.approved_snapshot, course.rejection_reason = listing_snapshot(course), None
        session.flush()
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            course,
            before,
            course_snapshot(course),
            summary=f"{'Created' if creating else 'Saved'} course “{course.title}” ({course.status.value})",
        )
    return Outcome(course, code, {"title": course.title})


def _change_status(
    session: Session, actor: User | None, course: Course, status: CourseStatus, action: str
) -> None:
    before = course_snapshot(course)
    summary = f"{action.capitalize()}d course “{course.title}”"
    try:
        with one_write(session):
            course.status = status
            course.updated_at = utcnow()
            session.flush()
            audit_change(session, actor, action, course, before, course_snapshot(course), summary)
    except EditConflict:
        raise DomainError("course-changed-meanwhile") from None


def archive_course(session: Session, actor: User | None, course: Course) -> Outcome[Course]:
    """Take a course out of the public catalog (and its search index), keeping its record."""
    if course.status == CourseStatus.ARCHIVED:
        return Outcome(course, "course-already-archived", {"title": course.title})
    _change_status(session, actor, course, CourseStatus.ARCHIVED, "archive")
    return Outcome(course, "course-archived", {"title": course.title})


def restore_course(session: Session, actor: User | None, course: Course) -> Outcome[Course]:
    """Bring an archived course back as a draft, to be reviewed and published again."""
    if course.status != CourseStatus.ARCHIVED:
        return Outcome(course, "course-not-archived", {"title": course.title})
    _change_status(session, actor, course, CourseStatus.DRAFT, "restore")
    return Outcome(course, "course-restored", {"title": course.title})
