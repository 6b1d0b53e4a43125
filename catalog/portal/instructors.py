"""Portal instructors: the people who teach the institute's courses."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, InstructorForm
from catalog.forms.editing import save_posted
from catalog.forms.messages import flash_outcome, flash_refusal
from catalog.models import Instructor
from catalog.portal.blueprint import bp
from catalog.queries.portal import instructors_of
from catalog.security import current_institute_id, current_staff, get_owned_or_404
from catalog.services.errors import DomainError
from catalog.services.instructors import apply_instructor, delete_instructor


@bp.get("/instructors")
def instructor_list():
    """The institute's instructors by name."""
    instructors = instructors_of(db.session, current_institute_id())
    return render_template("portal/instructors/list.html", instructors=instructors, action_form=ActionForm())


def _save(form: InstructorForm, instructor: Instructor | None):
    if save_posted(
        form,
        lambda changes: apply_instructor(
            db.session, current_staff(), current_user.institute, changes, instructor
        ),
    ):
        return redirect(url_for("portal.instructor_list"))
    return render_template("portal/instructors/form.html", form=form, instructor=instructor)


@bp.route("/instructors/new", methods=["GET", "POST"])
def instructor_new():
    """Add an instructor."""
    return _save(InstructorForm(), None)


@bp.route("/instructors/<int:instructor_id>/edit", methods=["GET", "POST"])
def instructor_edit(instructor_id: int):
    """Change an instructor's details."""
    instructor = get_owned_or_404(Instructor, instructor_id)
    return _save(InstructorForm(obj=instructor), instructor)


@bp.post("/instructors/<int:instructor_id>/delete")
def instructor_delete(instructor_id: int):
    """Delete an instructor who is not assigned to any course."""
    instructor = get_owned_or_404(Instructor, instructor_id)
    if ActionForm().validate_on_submit():
        try:
            outcome = delete_instructor(db.session, current_staff(), instructor)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash_outcome(outcome)
    return redirect(url_for("portal.instructor_list"))
