"""Portal instructors: the people who teach the institute's courses."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, InstructorForm
from catalog.models import Instructor
from catalog.portal import bp
from catalog.security import current_institute_id, get_owned_or_404, staff_required
from catalog.services.listings import ListingError, delete_instructor, save_instructor


@bp.get("/instructors")
@login_required
@staff_required
def instructor_list():
    """The institute's instructors by name."""
    instructors = db.session.scalars(
        select(Instructor).where(Instructor.institute_id == current_institute_id()).order_by(Instructor.name)
    ).all()
    return render_template("portal/instructors/list.html", instructors=instructors, action_form=ActionForm())


def _save(form: InstructorForm, instructor: Instructor | None):
    if form.validate_on_submit():
        try:
            outcome = save_instructor(
                db.session, current_user._get_current_object(), current_user.institute, form, instructor
            )
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.instructor_list"))
    return render_template("portal/instructors/form.html", form=form, instructor=instructor)


@bp.route("/instructors/new", methods=["GET", "POST"])
@login_required
@staff_required
def instructor_new():
    """Add an instructor."""
    return _save(InstructorForm(), None)


@bp.route("/instructors/<int:instructor_id>/edit", methods=["GET", "POST"])
@login_required
@staff_required
def instructor_edit(instructor_id: int):
    """Change an instructor's details."""
    instructor = get_owned_or_404(Instructor, instructor_id)
    return _save(InstructorForm(obj=instructor), instructor)


@bp.post("/instructors/<int:instructor_id>/delete")
@login_required
@staff_required
def instructor_delete(instructor_id: int):
    """Delete an instructor who is not assigned to any course."""
    instructor = get_owned_or_404(Instructor, instructor_id)
    if ActionForm().validate_on_submit():
        try:
            outcome = delete_instructor(db.session, current_user._get_current_object(), instructor)
        except ListingError as error:
            flash(error.message, "error")
        else:
            flash(outcome.message, outcome.category)
    return redirect(url_for("portal.instructor_list"))
