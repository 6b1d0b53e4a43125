"""Portal courses: the institute's listings with their status, and the course form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, CourseForm
from catalog.forms.editing import course_conflict, course_edit_data, course_form_context, save_posted
from catalog.forms.messages import flash_outcome, flash_refusal, message
from catalog.models import Course, CourseStatus
from catalog.portal.blueprint import bp
from catalog.queries.portal import course_edit_options, courses_of
from catalog.security import current_institute_id, current_staff, get_owned_or_404
from catalog.services.courses import apply_course, archive_course, restore_course
from catalog.services.errors import DomainError, EditConflict
from catalog.timeutil import local_today


@bp.get("/courses")
def course_list():
    """Every course of the institute with its status and next open batch; archived ones last."""
    return render_template(
        "portal/courses/list.html",
        courses=courses_of(db.session, current_institute_id()),
        action_form=ActionForm(),
        today=local_today(),
    )


def _render_form(form: CourseForm, course: Course | None, status: int = 200, conflict: list | None = None):
    context = course_form_context(db.session, form, course, conflict)
    return render_template("portal/courses/form.html", institute=current_user.institute, **context), status


@bp.route("/courses/new", methods=["GET", "POST"])
def course_new():
    """Create a course, as a draft or straight to publication (or review)."""
    form = CourseForm()
    form.load_choices(db.session, current_institute_id())
    if save_posted(form, lambda changes: _save(None, changes)):
        return redirect(url_for("portal.course_list"))
    return _render_form(form, None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def course_edit(course_id: int):
    """Edit a course; a save made from an outdated form is refused with 409, nothing overwritten."""
    course = get_owned_or_404(Course, course_id, *course_edit_options())
    if course.status == CourseStatus.ARCHIVED:
        flash(*message("course-is-archived", title=course.title))
        return redirect(url_for("portal.course_list"))
    form = CourseForm(data=course_edit_data(db.session, course)) if request.method == "GET" else CourseForm()
    form.load_choices(db.session, course.institute_id)
    submitted_version = form.version.data
    try:
        if save_posted(form, lambda changes: _save(course, changes), conflicts=True):
            return redirect(url_for("portal.course_list"))
    except EditConflict:
        return _conflict(course_id, submitted_version)
    return _render_form(form, course)


def _save(course: Course | None, changes):
    """Save the staff member's changes to ``course`` (None: a new course of their institute)."""
    return apply_course(db.session, current_staff(), current_user.institute, changes, course)


def _conflict(course_id: int, submitted_version: str | None):
    """The stored course in a fresh form, the saves made since the staff member's version, and 409."""
    db.session.expire_all()
    course = get_owned_or_404(Course, course_id, *course_edit_options())
    form, saves = course_conflict(db.session, course, submitted_version)
    return _render_form(form, course, status=409, conflict=saves)


@bp.post("/courses/<int:course_id>/archive")
def course_archive(course_id: int):
    """Take a course out of the public catalog."""
    return _status_action(course_id, archive_course)


@bp.post("/courses/<int:course_id>/restore")
def course_restore(course_id: int):
    """Bring an archived course back as a draft."""
    return _status_action(course_id, restore_course)


def _status_action(course_id: int, action):
    course = get_owned_or_404(Course, course_id, *course_edit_options())
    if ActionForm().validate_on_submit():
        try:
            outcome = action(db.session, current_staff(), course)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash_outcome(outcome)
    return redirect(url_for("portal.course_list"))
