"""Portal batches: the intakes of one course, added, edited and closed by staff."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, BatchForm
from catalog.models import Batch, Campus, Course
from catalog.portal import bp
from catalog.security import get_owned_or_404, staff_required
from catalog.services.listings import ListingError, close_batch, save_batch
from catalog.timeutil import local_today


@bp.get("/courses/<int:course_id>/batches")
@login_required
@staff_required
def course_batches(course_id: int):
    """A course's batches, soonest first, with their seats and status."""
    course = get_owned_or_404(
        Course, course_id, selectinload(Course.batches).selectinload(Batch.campus).selectinload(Campus.area)
    )
    return render_template(
        "portal/batches/list.html", course=course, action_form=ActionForm(), today=local_today()
    )


def _render_form(form: BatchForm, course: Course, batch: Batch | None):
    return render_template("portal/batches/form.html", form=form, course=course, batch=batch)


@bp.route("/courses/<int:course_id>/batches/new", methods=["GET", "POST"])
@login_required
@staff_required
def course_batch_new(course_id: int):
    """Add a batch to a course."""
    course = get_owned_or_404(Course, course_id)
    form = BatchForm(creating=True, data={"mode": course.mode.value})
    form.load_choices(db.session, course.institute_id)
    if form.validate_on_submit():
        try:
            outcome = save_batch(db.session, current_user._get_current_object(), course, form)
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.course_batches", course_id=course.id))
    return _render_form(form, course, None)


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@login_required
@staff_required
def course_batch_edit(batch_id: int):
    """Change a batch's date, schedule, campus or seats."""
    batch = get_owned_or_404(Batch, batch_id, selectinload(Batch.course), selectinload(Batch.campus))
    form = BatchForm(data=BatchForm.data_of(batch))
    form.load_choices(db.session, batch.course.institute_id)
    if form.validate_on_submit():
        try:
            outcome = save_batch(db.session, current_user._get_current_object(), batch.course, form, batch)
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.course_batches", course_id=batch.course_id))
    return _render_form(form, batch.course, batch)


@bp.post("/batches/<int:batch_id>/close")
@login_required
@staff_required
def course_batch_close(batch_id: int):
    """Close a batch to new enquiries."""
    batch = get_owned_or_404(Batch, batch_id, selectinload(Batch.course), selectinload(Batch.campus))
    course_id = batch.course_id
    if ActionForm().validate_on_submit():
        try:
            outcome = close_batch(db.session, current_user._get_current_object(), batch)
        except ListingError as error:
            flash(error.message, "error")
        else:
            flash(outcome.message, outcome.category)
    return redirect(url_for("portal.course_batches", course_id=course_id))
