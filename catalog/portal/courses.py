"""Portal courses: the institute's listings with their status, and the course form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, CourseForm, course_form_data
from catalog.models import Course, CourseStatus
from catalog.portal import bp
from catalog.security import current_institute_id, get_owned_or_404, staff_required
from catalog.services.listings import (
    CONFLICT_MESSAGE,
    EditConflict,
    ListingError,
    archive_course,
    changes_since,
    course_options,
    restore_course,
    save_course,
    slug_editable,
)
from catalog.timeutil import local_today


@bp.get("/courses")
@login_required
@staff_required
def course_list():
    """Every course of the institute with its status and next open batch; archived ones last."""
    courses = db.session.scalars(
        select(Course)
        .where(Course.institute_id == current_institute_id())
        .options(selectinload(Course.batches))
        .order_by(case((Course.status == CourseStatus.ARCHIVED, 1), else_=0), Course.updated_at.desc())
    ).all()
    return render_template(
        "portal/courses/list.html", courses=courses, action_form=ActionForm(), today=local_today()
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
            conflict_message=CONFLICT_MESSAGE,
        ),
        status,
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
@staff_required
def course_new():
    """Create a course, as a draft or straight to publication (or review)."""
    form = CourseForm()
    form.load_choices(db.session, current_institute_id())
    if form.validate_on_submit():
        try:
            outcome = save_course(
                db.session, current_user._get_current_object(), current_user.institute, form
            )
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.course_list"))
    return _render_form(form, None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
@staff_required
def course_edit(course_id: int):
    """Edit a course; a save made from an outdated form is refused with 409, nothing overwritten."""
    course = get_owned_or_404(Course, course_id, *course_options())
    if course.status == CourseStatus.ARCHIVED:
        flash(f"“{course.title}” is archived. Restore it to draft to edit it.", "info")
        return redirect(url_for("portal.course_list"))
    form = CourseForm(data=course_form_data(course)) if request.method == "GET" else CourseForm()
    form.load_choices(db.session, course.institute_id)
    if form.validate_on_submit():
        submitted_version = form.version.data
        try:
            outcome = save_course(
                db.session, current_user._get_current_object(), current_user.institute, form, course
            )
        except EditConflict:
            return _conflict(course_id, submitted_version)
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.course_list"))
    return _render_form(form, course)


def _conflict(course_id: int, submitted_version: str | None):
    """The stored course in a fresh form, the saves made since the staff member's version, and 409."""
    db.session.expire_all()
    course = get_owned_or_404(Course, course_id, *course_options())
    version = int(submitted_version) if (submitted_version or "").isdigit() else None
    form = CourseForm(formdata=None, data=course_form_data(course))
    form.load_choices(db.session, course.institute_id)
    return _render_form(form, course, status=409, conflict=changes_since(db.session, course, version))


@bp.post("/courses/<int:course_id>/archive")
@login_required
@staff_required
def course_archive(course_id: int):
    """Take a course out of the public catalog."""
    return _status_action(course_id, archive_course)


@bp.post("/courses/<int:course_id>/restore")
@login_required
@staff_required
def course_restore(course_id: int):
    """Bring an archived course back as a draft."""
    return _status_action(course_id, restore_course)


def _status_action(course_id: int, action):
    course = get_owned_or_404(Course, course_id, *course_options())
    if ActionForm().validate_on_submit():
        try:
            outcome = action(db.session, current_user._get_current_object(), course)
        except ListingError as error:
            flash(error.message, "error")
        else:
            flash(outcome.message, outcome.category)
    return redirect(url_for("portal.course_list"))
