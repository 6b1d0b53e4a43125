"""The moderation queue: pending institutes and course listings, approved or sent back.

A course's page compares the pending listing with its last published form field by field and
marks every phrase the claims check found (``<mark>``). Approving publishes it; sending it back
needs a reason, which is emailed to the institute and shown in its portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from markupsafe import Markup, escape

from catalog.admin.actions import FORM_UNREAD
from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms_moderation import ApproveCourseForm, ApproveInstituteForm, RejectCourseForm
from catalog.admin.listing import list_page
from catalog.extensions import db
from catalog.forms.fields import show_refusal
from catalog.models import Course, CourseFormat, Institute, Level, Mode
from catalog.models.labels import label
from catalog.queries.moderation import (
    pending_course,
    pending_courses_query,
    pending_institutes,
)
from catalog.queries.vocabulary import term_names_by_slug
from catalog.security import current_staff
from catalog.services.claims import FIGURE, ClaimMatch, active_claims, course_claims, placement_figures_backed
from catalog.services.course_listing import held_listing
from catalog.services.courses import listing_snapshot
from catalog.services.errors import DomainError
from catalog.services.moderation import approve_course, approve_pending_institute, reject_course
from catalog.services.outcomes import Outcome

PER_PAGE = 20

#: What each outcome and refusal of the moderation services says to the admin.
MESSAGES = {
    "course-approved": ("“{title}” is published.", "success"),
    "course-rejected": ("“{title}” was sent back to its institute with your reason.", "success"),
    "course-not-pending": ("“{title}” no longer waits for review: someone has dealt with it.", "error"),
    "course-changed-meanwhile": (
        "“{title}” was changed while you were reading it. Review the new version below.",
        "error",
    ),
    "institute-approved": ("{name} is approved; its staff have been emailed.", "success"),
    "institute-already-approved": ("{name} was already approved.", "info"),
    "reason-required": ("Give the reason, so the institute knows what to change.", "error"),
    "reason-too-long": ("Keep the reason under {limit} characters.", "error"),
}

#: A refusal without words of its own here (a clash in the database, say).
UNEXPECTED = ("“{title}” could not be changed just now. Reload the page and try again.", "error")

#: Snapshot fields that hold an enum's value, read through its label.
READABLE_ENUMS = {"format": CourseFormat, "level": Level, "mode": Mode}

#: Snapshot fields that list vocabulary slugs, read as the terms' names: field -> kind of term.
SLUG_LISTS = {"topics": "topic", "tools": "tool"}

#: Headings of the compared fields, in the order the listing shows them.
FIELD_LABELS = {
    "title": "Title",
    "slug": "Web address",
    "summary": "Summary",
    "description": "Description",
    "format": "Format",
    "level": "Level",
    "mode": "Mode",
    "duration_days": "Duration (days)",
    "total_hours": "Total hours",
    "fee_inr": "Fee (₹)",
    "emi_available": "EMI available",
    "languages": "Languages",
    "topics": "Topics",
    "tools": "Tools",
    "modules": "Modules",
    "instructors": "Instructors",
    "campuses": "Campuses",
    "certification_name": "Certification",
    "certification_issuer": "Certification issuer",
    "refund_policy": "Refund policy",
    "placement_support": "Placement support",
    "placement_rate": "Placement rate (%)",
    "placement_year": "Placement year",
    "placement_cohort_size": "Placement cohort size",
    "prerequisites": "Prerequisites",
    "syllabus_reviewed_on": "Syllabus reviewed on",
}

nav_entry("admin.moderation_queue", "Moderation", 20)


@dataclass(frozen=True)
class DiffRow:
    """One field of the listing: its last published value and its pending one, claims marked."""

    label: str
    before: Markup | None
    after: Markup
    changed: bool


def _say(code: str, params: Any) -> None:
    text, category = MESSAGES[code]
    flash(text.format(**params), category)


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def marked(text: str, matches: list[ClaimMatch]) -> Markup:
    """``text``, escaped, with each matched phrase inside ``<mark>``."""
    parts, position = [], 0
    for match in matches:
        kind = " (placement figure without year and cohort size)" if match.kind == FIGURE else ""
        parts.append(escape(text[position : match.start]))
        parts.append(Markup('<mark title="Claim{}">{}</mark>').format(kind, text[match.start : match.end]))
        position = match.end
    parts.append(escape(text[position:]))
    # Line breaks of the text (and between list items) stay visible without inline styles.
    return Markup("").join(parts).replace("\n", Markup("<br>\n"))


def _readable(session, name: str, value: Any) -> Any:
    """A snapshot value as the listing reads: enum labels, and topic and tool names for slugs."""
    if name in READABLE_ENUMS and isinstance(value, str):
        try:
            return label(READABLE_ENUMS[name](value))
        except ValueError:  # a value no longer in the vocabulary reads as stored
            return value
    if name in SLUG_LISTS and isinstance(value, list):
        names = term_names_by_slug(session, SLUG_LISTS[name], value)
        return sorted(names.get(slug, slug) for slug in value)
    return value


def diff_rows(course: Course, listing: Course) -> list[DiffRow]:
    """Every field of the ``listing`` under review beside its last published value (None: never
    published); for a held edit, the published values are the live listing's."""
    claims, backed = active_claims(), placement_figures_backed(listing)
    before_values = listing_snapshot(course) if course.has_held_edit else course.approved_snapshot
    after_values = listing_snapshot(listing)

    def mark(name: str, value: Any) -> Markup:
        text = _shown(_readable(db.session, name, value))
        return marked(text, claims.find(name, text, backed))

    rows = []
    for name, heading in FIELD_LABELS.items():
        after = after_values.get(name)
        before = before_values.get(name) if before_values is not None else None
        rows.append(
            DiffRow(
                heading,
                mark(name, before) if before_values is not None else None,
                mark(name, after),
                before_values is not None and before != after,
            )
        )
    return rows


def under_review(course: Course) -> Course:
    """What the admin decides on: a published course's held edit, or the course itself."""
    return held_listing(db.session, course) or course


@bp.get("/moderation")
def moderation_queue():
    """Pending institutes, and pending course listings with the claims each makes."""
    page = list_page(pending_courses_query(), PER_PAGE)
    claims = active_claims()
    flagged = {course.id: course_claims(under_review(course), claims) for course in page.items}
    return render_template(
        "admin/moderation_queue.html",
        page=page,
        flagged=flagged,
        institutes=pending_institutes(db.session),
        institute_form=ApproveInstituteForm(),
    )


def _course_or_404(course_id: int) -> Course:
    course = pending_course(db.session, course_id)
    if course is None:
        abort(404, description="There is no such course.")
    return course


def _render_course(course: Course, approve: ApproveCourseForm, reject: RejectCourseForm, status: int = 200):
    listing = under_review(course)
    return (
        render_template(
            "admin/moderation_course.html",
            course=course,
            rows=diff_rows(course, listing),
            compared=course.has_held_edit or course.approved_snapshot is not None,
            claims=course_claims(listing),
            approve_form=approve,
            reject_form=reject,
            pending=course.awaits_review,
        ),
        status,
    )


def _forms_at(course: Course) -> tuple[ApproveCourseForm, RejectCourseForm]:
    return ApproveCourseForm(version=course.version), RejectCourseForm(version=course.version)


@bp.get("/moderation/courses/<int:course_id>")
def moderation_course(course_id: int):
    """One listing: what changed since it was last published, its claims marked, and the decision."""
    course = _course_or_404(course_id)
    return _render_course(course, *_forms_at(course))


def _refused(course: Course, error: DomainError, form_name: str, form) -> tuple[str, int]:
    """The course page again after a refusal: the form's message in place, the page current."""
    db.session.rollback()
    course = _course_or_404(course.id)
    text, _ = MESSAGES.get(error.code, UNEXPECTED)
    message = text.format(**{"title": course.title, **error.params})
    approve, reject = _forms_at(course)
    if form_name == "reject" and error.code != "course-changed-meanwhile":
        reject = form
    target = reject if form_name == "reject" else approve
    show_refusal(target, error.field, message)
    return _render_course(course, approve, reject, 409 if error.field is None else 400)


@bp.post("/moderation/courses/<int:course_id>/approve")
def moderation_course_approve(course_id: int):
    """Publish the listing as the admin saw it."""
    course = _course_or_404(course_id)
    form = ApproveCourseForm()
    if not form.validate_on_submit():
        return _render_course(course, form, RejectCourseForm(version=course.version), 400)
    try:
        outcome: Outcome = approve_course(db.session, current_staff(), course, form.seen_version)
    except DomainError as error:
        return _refused(course, error, "approve", form)
    _say(outcome.code, outcome.params)
    return redirect(url_for("admin.moderation_queue"))


@bp.post("/moderation/courses/<int:course_id>/reject")
def moderation_course_reject(course_id: int):
    """Send the listing back with the admin's reason (required)."""
    course = _course_or_404(course_id)
    form = RejectCourseForm()
    if not form.validate_on_submit():
        return _render_course(course, ApproveCourseForm(version=course.version), form, 400)
    try:
        outcome = reject_course(db.session, current_staff(), course, form.seen_version, form.reason.data)
    except DomainError as error:
        return _refused(course, error, "reject", form)
    _say(outcome.code, outcome.params)
    return redirect(url_for("admin.moderation_queue"))


@bp.post("/moderation/institutes/<int:institute_id>/approve")
def moderation_institute_approve(institute_id: int):
    """Approve a registered institute."""
    institute = db.session.get(Institute, institute_id)
    if institute is None:
        abort(404, description="There is no such institute.")
    form = ApproveInstituteForm()
    if not form.validate_on_submit():
        flash(FORM_UNREAD, "error")
        return redirect(url_for("admin.moderation_queue"))
    outcome = approve_pending_institute(db.session, current_staff(), institute)
    _say(outcome.code, outcome.params)
    return redirect(url_for("admin.moderation_queue"))
