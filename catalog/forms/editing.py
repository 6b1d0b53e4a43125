"""The steps of a record's edit page that the institute portal and the admin area share.

Both edit the same records with the same form classes and the same services; what differs is
who acts, where the page sends them afterwards and the template around the form. So the pages
call :func:`save_posted` to read the posted form, save it through the record's service and put
a refusal beside its field (:func:`save_batch` does so for a batch, with its institute's
campuses to choose from); for a course, :func:`course_edit_data`, :func:`course_form_context`
and :func:`course_conflict` fill and show the form, and a save made from an outdated one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from catalog.forms.base import CatalogForm
from catalog.forms.catalog import BatchForm
from catalog.forms.courses import CourseForm, course_form_data
from catalog.forms.messages import flash_outcome, message, show_on
from catalog.models import AuditEntry, Batch, Course, User
from catalog.queries.portal import course_saves_since
from catalog.services.batches import apply_batch
from catalog.services.course_listing import held_listing
from catalog.services.courses import slug_editable
from catalog.services.errors import DomainError, EditConflict
from catalog.services.outcomes import Outcome


def save_posted(
    form: CatalogForm, save: Callable[[Any], Outcome], *, conflicts: bool = False
) -> Outcome | None:
    """Save a valid posted ``form``: ``save`` takes its command (``form.to_command()``) to the
    record's service. The outcome is flashed and returned; None means the form is shown again
    (not posted, invalid, or refused: the refusal is beside its field, or at the top).

    With ``conflicts`` an :class:`EditConflict` propagates, for a page that shows the conflict.
    """
    if not form.validate_on_submit():
        return None
    try:
        outcome = save(form.to_command())
    except DomainError as error:
        if conflicts and isinstance(error, EditConflict):
            raise
        show_on(form, error)
        return None
    flash_outcome(outcome)
    return outcome


def save_batch(
    session: Session, form: BatchForm, actor: User, course: Course, batch: Batch | None
) -> Outcome | None:
    """The batch form of ``course`` with its own institute's campuses to choose from, saved
    through the batch service as ``actor`` when posted valid (see :func:`save_posted`)."""
    form.load_choices(session, course.institute_id)
    return save_posted(form, lambda changes: apply_batch(session, actor, course, changes, batch))


def course_edit_data(session: Session, course: Course) -> dict[str, Any]:
    """The edit form's data for ``course``: its held edit when one waits (that is what the
    institute works on, and what an admin's save would replace), else the course as stored."""
    return course_form_data(held_listing(session, course) or course)


def course_form_context(
    session: Session, form: CourseForm, course: Course | None, conflict: list[AuditEntry] | None = None
) -> dict[str, Any]:
    """What the course form's template needs besides its page: the form with blank module rows
    added, whether the web address may still change, and the saves a conflict is about."""
    form.add_blank_modules()
    return {
        "form": form,
        "course": course,
        "slug_editable": course is not None and slug_editable(session, course),
        "conflict": conflict,
        "conflict_message": message("edit-conflict")[0],
    }


def course_conflict(
    session: Session, course: Course, submitted_version: str | None
) -> tuple[CourseForm, list[AuditEntry]]:
    """After an :class:`EditConflict`: the stored ``course`` (loaded afresh by the caller) in a
    new form with its own institute's choices, and the saves made since ``submitted_version``
    (the version the refused form was prepared from)."""
    version = int(submitted_version) if (submitted_version or "").isdigit() else None
    form = CourseForm(formdata=None, data=course_edit_data(session, course))
    form.load_choices(session, course.institute_id)
    return form, course_saves_since(session, course.id, version)
