"""Portal batches: the intakes of one course, added, edited and closed by staff."""

from __future__ import annotations

from flask import redirect, render_template, url_for

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, BatchForm
from catalog.forms.editing import save_batch
from catalog.forms.messages import flash_outcome, flash_refusal
from catalog.models import Batch, Course
from catalog.portal.blueprint import bp
from catalog.queries.portal import batch_edit_options, course_batches_options
from catalog.security import current_staff, get_owned_or_404
from catalog.services.batches import close_batch
from catalog.services.errors import DomainError
from catalog.timeutil import local_today


@bp.get("/courses/<int:course_id>/batches")
def course_batches(course_id: int):
    """A course's batches, soonest first, with their seats and status."""
    course = get_owned_or_404(Course, course_id, *course_batches_options())
    return render_template(
        "portal/batches/list.html", course=course, action_form=ActionForm(), today=local_today()
    )


def _save(form: BatchForm, course: Course, batch: Batch | None):
    if save_batch(db.session, form, current_staff(), course, batch):
        return redirect(url_for("portal.course_batches", course_id=course.id))
    return render_template("portal/batches/form.html", form=form, course=course, batch=batch)


@bp.route("/courses/<int:course_id>/batches/new", methods=["GET", "POST"])
def course_batch_new(course_id: int):
    """Add a batch to a course."""
    course = get_owned_or_404(Course, course_id)
    return _save(BatchForm(data={"mode": course.mode.value}), course, None)


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
def course_batch_edit(batch_id: int):
    """Change a batch's date, schedule, campus or seats."""
    batch = get_owned_or_404(Batch, batch_id, *batch_edit_options())
    return _save(BatchForm(data=BatchForm.data_of(batch)), batch.course, batch)


@bp.post("/batches/<int:batch_id>/close")
def course_batch_close(batch_id: int):
    """Close a batch to new enquiries."""
    batch = get_owned_or_404(Batch, batch_id, *batch_edit_options())
    course_id = batch.course_id
    if ActionForm().validate_on_submit():
        try:
            outcome = close_batch(db.session, current_staff(), batch)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash_outcome(outcome)
    return redirect(url_for("portal.course_batches", course_id=course_id))
