"""Portal courses: the institute's listings with their status, and the course form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, CourseForm, course_form_data
from catalog.models import Course, CourseStatus
from catalog.portal.blueprint import bp
from catalog.portal.messages import flash_outcome, flash_refusal, message, show_on
from catalog.queries.portal import course_edit_options, course_saves_since, courses_of
from catalog.security import current_institute_id, current_staff, get_owned_or_404
from catalog.services.courses import apply_course, archive_course, restore_course, slug_editable
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
    form.add_blank_modules()
    return (
        render_template(
            "portal/courses/form.html",
            form=form,
            course=course,
            institute=current_user.institute,
            slug_editable=course is not None and slug_editable(db.session, course),
            conflict=conflict,
            conflict_message=message("edit-conflict")[0],
        ),
        status,
    )


@bp.route("/courses/new", methods=["GET", "POST"])
def course_new():
    """Create a course, as a draft or straight to publication (or review)."""
    form = CourseForm()
    form.load_choices(db.session, current_institute_id())
    if form.validate_on_submit():
        try:
            outcome = apply_course(db.session, current_staff(), current_user.institute, form.to_command())
        except DomainError as error:
            show_on(form, error)
        else:
            flash_outcome(outcome)
            return redirect(url_for("portal.course_list"))
    return _render_form(form, None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def course_edit(course_id: int):
    """Edit a course; a save made from an outdated form is refused with 409, nothing overwritten."""
    course = get_owned_or_404(Course, course_id, *course_edit_options())
    if course.status == CourseStatus.ARCHIVED:
        flash(*message("course-is-archived", title=course.title))
        return redirect(url_for("portal.course_list"))
    form = CourseForm(data=course_form_data(course)) if request.method == "GET" else CourseForm()
    form.load_choices(db.session, course.institute_id)
    if form.validate_on_submit():
        submitted_version = form.version.data
        try:
            outcome = apply_course(
                db.session, current_staff(), current_user.institute, form.to_command(), course
            )
        except EditConflict:
            return _conflict(course_id, submitted_version)
        except DomainError as error:
            show_on(form, error)
        else:
            flash_outcome(outcome)
            return redirect(url_for("portal.course_list"))
    return _render_form(form, course)


def _conflict(course_id: int, submitted_version: str | None):
    """The stored course in a fresh form, the saves made since the staff member's version, and 409."""
    db.session.expire_all()
    course = get_owned_or_404(Course, course_id, *course_edit_options())
    version = int(submitted_version) if (submitted_version or "").isdigit() else None
    form = CourseForm(formdata=None, data=course_form_data(course))
    form.load_choices(db.session, course.institute_id)
    return _render_form(form, course, status=409, conflict=course_saves_since(db.session, course.id, version))


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
