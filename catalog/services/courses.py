"""Courses: the one write behind the portal, the seed, the admin area and the importer.

A verified institute publishes directly; an unverified one, or any listing the claims check
flags (guaranteed placement, bare placement figures), goes to ``pending`` until an admin reviews
it. A published save keeps the listing's form as ``approved_snapshot``, which the moderation
queue compares a pending edit with. An edit of a published listing that needs review does not
touch the live listing: it is held in ``held_changes`` (the course stays in search as approved)
until an admin approves it (:func:`apply_held_changes`) or sends it back. Every save bumps the
course's ``version``, so a save prepared from an older version is refused instead of
overwriting. Each change commits with its audit entry (see :mod:`catalog.services.transactions`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import (
    Course,
    CourseStatus,
    Institute,
    User,
)
from catalog.models.base import utcnow
from catalog.queries.portal import course_was_published
from catalog.services.audit import audit_change, snapshot
from catalog.services.claims import course_claims
from catalog.services.course_changes import (
    SCALAR_FIELDS,
    CourseChanges,
    encode_changes,
)
from catalog.services.course_listing import copy_onto, held_listing, resolve_choices
from catalog.services.errors import DomainError, EditConflict
from catalog.services.outcomes import Outcome
from catalog.services.slugs import is_slug, unique_slug
from catalog.services.transactions import one_write


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


def _check_slug(session: Session, wanted: str, course_id: int | None) -> None:
    if not is_slug(wanted):
        raise DomainError("slug-malformed", field="slug")
    clash = select(Course.id).where(Course.slug == wanted)
    if course_id is not None:
        clash = clash.where(Course.id != course_id)
    if session.scalar(clash) is not None:
        raise DomainError("slug-taken", field="slug")


#: The outcome of a published listing's edit that waits for review, by the reason it waits.
_EDIT_HELD = {
    "course-held-for-claim": "course-edit-held-for-claim",
    "course-held-for-review": "course-edit-held-for-review",
}


def status_after_save(
    institute: Institute,
    course: Course,
    listing: Course | CourseChanges,
    publishing: bool,
    reviewed: bool = False,
) -> tuple[CourseStatus, str]:
    """The status a save of ``listing`` leaves ``course`` in, and the outcome code that says why.

    ``reviewed`` marks a change an admin stands behind: it publishes an unverified institute's
    course, but a listing the claims check flags (:mod:`catalog.services.claims`) waits for
    review all the same, whoever saves it and however it arrives.
    """
    if not publishing:
        was_published = course.status == CourseStatus.PUBLISHED
        return CourseStatus.DRAFT, "course-unpublished" if was_published else "course-draft-saved"
    if course_claims(listing):
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
        status, code = status_after_save(institute, course, changes, changes.publish, reviewed)
        if status == CourseStatus.PENDING and course.status == CourseStatus.PUBLISHED:
            resolve_choices(session, institute.id, changes)  # refuse a bad choice now, not at approval
            course.held_changes, course.rejection_reason = encode_changes(changes), None
            course.updated_at = utcnow()
            code = _EDIT_HELD[code]
        else:
            copy_onto(session, course, institute.id, changes)
            course.status, course.held_changes = status, None
            if status == CourseStatus.PUBLISHED:
                course.approved_snapshot, course.rejection_reason = listing_snapshot(course), None
        session.flush()
        # A held edit's entry shows what the edit proposes; the live listing is unchanged.
        after = course_snapshot(held_listing(session, course) or course)
        state = "edit held for review" if course.has_held_edit else course.status.value
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            course,
            before,
            after,
            summary=f"{'Created' if creating else 'Saved'} course “{course.title}” ({state})",
        )
    return Outcome(course, code, {"title": course.title})


def _change_status(
    session: Session, actor: User | None, course: Course, status: CourseStatus, action: str
) -> None:
    before = course_snapshot(course)
    summary = f"{action.capitalize()}d course “{course.title}”"
    try:
        with one_write(session):
            course.status, course.held_changes = status, None
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
