"""Saving courses: form to record, moderation status, version check, archive, audit.

A verified institute publishes directly; an unverified one, or any listing that promises
guaranteed placement, goes to ``pending`` until an admin reviews it. Every save bumps the
course's ``version``, so a save made from an older form is refused instead of overwriting.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.forms.courses import CourseForm
from catalog.models import (
    AuditEntry,
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
from catalog.services.audit import snapshot
from catalog.services.listings.common import (
    EditConflict,
    ListingError,
    Outcome,
    audit,
    one_transaction,
)
from catalog.services.slugs import unique_slug

CONFLICT_MESSAGE = (
    "Someone else saved this course while you were editing. Nothing was overwritten: "
    "review their changes below and make yours again."
)

#: Promises that India's 2024 consumer-protection guidelines ban; such listings wait for review.
GUARANTEE_CLAIM = re.compile(
    r"\b100\s*(?:%|per\s*cent|percent)\s*(?:job\s+)?placements?\b"
    r"|\bguarantee[ds]?\s+(?:a\s+)?(?:jobs?|placements?)\b"
    r"|\b(?:jobs?|placements?)\s+guarantee",
    re.IGNORECASE,
)

SCALAR_FIELDS = [
    "title", "slug", "summary", "description", "format", "level", "duration_days", "total_hours",
    "fee_inr", "emi_available", "mode", "certification_name", "certification_issuer", "refund_policy",
    "placement_support", "placement_rate", "placement_year", "placement_cohort_size", "prerequisites",
    "syllabus_reviewed_on",
]  # fmt: skip


def claims_guarantee(*texts: str | None) -> bool:
    """True when any text promises guaranteed placement or a job ("100% placement" and the like)."""
    return any(GUARANTEE_CLAIM.search(text or "") for text in texts)


def course_snapshot(course: Course) -> dict[str, Any]:
    """Every field of a course as plain values, for the audit log."""
    values = snapshot(course, [*SCALAR_FIELDS, "status", "version", "topics", "tools", "instructors"])
    values["languages"] = sorted(course.language_names)
    values["campuses"] = sorted(campus.area.name for campus in course.campuses)
    values["modules"] = [f"{m.title} ({m.hours} h)" for m in course.modules]
    return values


def course_options() -> list:
    """Loader options for a course with everything its form and snapshot read."""
    return [
        selectinload(Course.institute),
        selectinload(Course.modules),
        selectinload(Course.languages),
        selectinload(Course.topics),
        selectinload(Course.tools),
        selectinload(Course.instructors),
        selectinload(Course.campuses).selectinload(Campus.area),
    ]


def slug_editable(session: Session, course: Course | None) -> bool:
    """A course's address may change until it has been published once (links to it may exist)."""
    if course is None or course.status not in (CourseStatus.DRAFT, CourseStatus.PENDING):
        return course is None
    changes = session.scalars(
        select(AuditEntry.changes).where(
            AuditEntry.record_type == "Course", AuditEntry.record_id == course.id
        )
    )
    return not any(CourseStatus.PUBLISHED.value in (entry or {}).get("status", []) for entry in changes)


def changes_since(session: Session, course: Course, version: int | None) -> list[AuditEntry]:
    """Audit entries of saves made to ``course`` after the form at ``version`` was opened."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == "Course", AuditEntry.record_id == course.id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.id.desc())
        .limit(20)
    ).all()
    return [entry for entry in entries if version is None or _saved_from_version(entry) >= version]


def _saved_from_version(entry: AuditEntry) -> int:
    versions = (entry.changes or {}).get("version") or [0]
    return versions[0] if isinstance(versions[0], int) else 0


def _ids_of(session: Session, model, ids: list[int], institute_id: int | None = None) -> list:
    if not ids:
        return []
    stmt = select(model).where(model.id.in_(ids))
    if institute_id is not None:
        stmt = stmt.where(model.institute_id == institute_id)
    return list(session.scalars(stmt))


def _apply(session: Session, course: Course, form: CourseForm) -> None:
    """Copy the form onto the course; the caller holds autoflush off (a new course is incomplete)."""
    institute_id = course.institute.id
    topics = _ids_of(session, Topic, form.topics.data or [])
    tools = _ids_of(session, Tool, form.tools.data or [])
    campuses = _ids_of(session, Campus, form.campuses.data or [], institute_id)
    instructors = _ids_of(session, Instructor, form.instructors.data or [], institute_id)
    for name in SCALAR_FIELDS:
        if name not in ("slug", "format", "level", "mode"):
            setattr(course, name, form[name].data)
    course.format = CourseFormat(form.format.data)
    course.level = Level(form.level.data)
    course.mode = Mode(form.mode.data)
    course.description = course.description or ""
    course.prerequisites = course.prerequisites or ""
    course.certification_name = form.certification_name.data or None
    course.certification_issuer = form.certification_issuer.data or None
    if not course.placement_support:
        course.placement_rate = course.placement_year = course.placement_cohort_size = None
    course.topics, course.tools = topics, tools
    course.campuses, course.instructors = campuses, instructors
    kept = {entry.language: entry for entry in course.languages}
    course.languages = [kept.get(name) or CourseLanguage(language=name) for name in form.languages.data]
    _apply_modules(course, form.module_rows())
    course.updated_at = utcnow()  # a column change, so that every save bumps the version


def _apply_modules(course: Course, rows: list[dict[str, Any]]) -> None:
    # Rows fill the existing modules in order, so positions never clash within one flush.
    existing = list(course.modules)
    next_position = max((m.position for m in existing), default=0) + 1
    for index, row in enumerate(rows):
        if index < len(existing):
            module = existing[index]
            module.title, module.hours, module.outline = row["title"], row["hours"], row["outline"]
        else:
            course.modules.append(CourseModule(position=next_position, **row))
            next_position += 1
    for module in existing[len(rows) :]:
        course.modules.remove(module)


def _set_slug(session: Session, course: Course, wanted: str | None) -> None:
    if not wanted or wanted == course.slug or not slug_editable(session, course):
        return
    if session.scalar(select(Course.id).where(Course.slug == wanted, Course.id != course.id)) is not None:
        raise ListingError("Another course already uses this web address; choose another.", field="slug")
    course.slug = wanted


def _status_after_save(
    institute: Institute, course: Course, publishing: bool
) -> tuple[CourseStatus, str, str]:
    title = course.title
    if not publishing:
        if course.status == CourseStatus.PUBLISHED:
            return (
                CourseStatus.DRAFT,
                f"“{title}” is now a draft and no longer appears in the catalog.",
                "info",
            )
        return (
            CourseStatus.DRAFT,
            f"Draft saved. “{title}” is not in the catalog until you publish it.",
            "success",
        )
    if claims_guarantee(course.title, course.summary, course.description):
        return (
            CourseStatus.PENDING,
            f"“{title}” is held for review: it promises guaranteed placement or a job, which listings may "
            "not do. An admin reviews it before it appears. State placement figures with their year and "
            "cohort size instead.",
            "warning",
        )
    if not institute.verified:
        return (
            CourseStatus.PENDING,
            f"“{title}” is waiting for review: an admin checks it before it appears in the catalog, "
            "because your institute is not verified yet.",
            "info",
        )
    return CourseStatus.PUBLISHED, f"“{title}” is published and appears in the catalog.", "success"


def save_course(
    session: Session, user: User, institute: Institute, form: CourseForm, course: Course | None = None
) -> Outcome:
    """Create or update a course from a validated form, with its audit entry, in one commit.

    Raises :class:`EditConflict` when the form's version is not the stored one (or another save
    wins the race at flush time), and :class:`ListingError` for a refused web address.
    """
    creating = course is None
    if not creating and form.version.data != str(course.version):
        raise EditConflict()
    before = {} if creating else course_snapshot(course)
    with one_transaction(session), session.no_autoflush:
        if creating:
            course = Course(institute=institute, slug=unique_slug(session, Course, form.title.data, "course"))
            course.status = CourseStatus.DRAFT
            session.add(course)
        else:
            _set_slug(session, course, form.slug.data)
        _apply(session, course, form)
        course.status, message, category = _status_after_save(institute, course, bool(form.publish.data))
        session.flush()
        audit(
            session,
            user,
            "create" if creating else "update",
            course,
            before,
            course_snapshot(course),
            summary=f"{'Created' if creating else 'Saved'} course “{course.title}” ({course.status.value})",
        )
    return Outcome(course, message, category)


def _change_status(session: Session, user: User, course: Course, status: CourseStatus, action: str) -> None:
    before = course_snapshot(course)
    summary = f"{action.capitalize()}d course “{course.title}”"
    try:
        with one_transaction(session):
            course.status = status
            course.updated_at = utcnow()
            session.flush()
            audit(session, user, action, course, before, course_snapshot(course), summary)
    except EditConflict:
        raise ListingError("Someone else changed this course at the same moment. Please try again.") from None


def archive_course(session: Session, user: User, course: Course) -> Outcome:
    """Take a course out of the public catalog (and its search index), keeping its record."""
    if course.status == CourseStatus.ARCHIVED:
        return Outcome(course, f"“{course.title}” is already archived.", "info")
    _change_status(session, user, course, CourseStatus.ARCHIVED, "archive")
    return Outcome(course, f"“{course.title}” is archived and no longer appears in the catalog.")


def restore_course(session: Session, user: User, course: Course) -> Outcome:
    """Bring an archived course back as a draft, to be reviewed and published again."""
    if course.status != CourseStatus.ARCHIVED:
        return Outcome(course, f"“{course.title}” is not archived.", "info")
    _change_status(session, user, course, CourseStatus.DRAFT, "restore")
    return Outcome(course, f"“{course.title}” is restored as a draft. Publish it when it is up to date.")
