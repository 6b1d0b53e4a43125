"""The admins' records (``/admin/records``): find any institute, course, batch or event by name,
and edit it as its institute would.

The edit pages use the portal's own form classes and services, through the steps both share
(:mod:`catalog.forms.editing`), with the admin as the actor: the audit entry names the admin,
the search index follows, and a course saved from an outdated form is refused with 409 and the
saves it missed. Choices (campuses, instructors) are the record's own institute's. An admin's
course save stands for a review (``reviewed=True``): it publishes an unverified institute's
listing, but one the claims check flags still waits in the moderation queue.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for

from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms_records import RecordSearchForm
from catalog.extensions import db
from catalog.forms.catalog import BatchForm, CourseForm, EventForm, InstituteForm
from catalog.forms.editing import (
    course_conflict,
    course_edit_data,
    course_form_context,
    save_batch,
    save_posted,
)
from catalog.models import Batch, Course, Event
from catalog.queries.portal import (
    batch_edit_options,
    course_edit_options,
    event_edit_options,
    institute_profile,
)
from catalog.queries.records import find_records, record_by_id
from catalog.search import page_number
from catalog.security import current_staff
from catalog.services.courses import apply_course
from catalog.services.errors import EditConflict
from catalog.services.events import EventChanges, apply_event
from catalog.services.institutes import apply_institute
from catalog.timeutil import local_today

PER_PAGE = 25

nav_entry("admin.record_search", "Records", 35)


def _or_404(record):
    if record is None:
        abort(404, description="There is no such record; find it again in the records search.")
    return record


@bp.get("/records")
def record_search():
    """Institutes, courses, batches and events whose name, title or web address holds the text
    typed (a batch by its course's), of one kind or all, by name."""
    form = RecordSearchForm(request.args)
    form.validate()
    page = find_records(db.session, form.filters(), page_number(request.args.get("page")), PER_PAGE)
    return render_template(
        "admin/records/search.html",
        form=form,
        page=page,
        args=form.query_args(),
        today=local_today(),
    )


@bp.route("/records/institutes/<int:institute_id>/edit", methods=["GET", "POST"])
def record_institute_edit(institute_id: int):
    """An institute's public profile and partners, as its staff edit them in the portal."""
    institute = _or_404(institute_profile(db.session, institute_id))
    form = InstituteForm(data=InstituteForm.data_of(institute))
    if save_posted(form, lambda changes: apply_institute(db.session, current_staff(), institute, changes)):
        return redirect(url_for("admin.record_institute_edit", institute_id=institute.id))
    return render_template("admin/records/institute.html", form=form, institute=institute)


@bp.route("/records/courses/<int:course_id>/edit", methods=["GET", "POST"])
def record_course_edit(course_id: int):
    """A course listing of any institute; a save from an outdated form is refused with 409."""
    course = _or_404(record_by_id(db.session, Course, course_id, *course_edit_options()))
    form = CourseForm(data=course_edit_data(db.session, course)) if request.method == "GET" else CourseForm()
    form.load_choices(db.session, course.institute_id)
    submitted_version = form.version.data
    try:
        if save_posted(form, lambda changes: _save_course(course, changes), conflicts=True):
            return redirect(url_for("admin.record_course_edit", course_id=course.id))
    except EditConflict:
        db.session.expire_all()
        course = _or_404(record_by_id(db.session, Course, course_id, *course_edit_options()))
        form, saves = course_conflict(db.session, course, submitted_version)
        return _course_page(form, course, saves, 409)
    return _course_page(form, course)


def _save_course(course: Course, changes):
    return apply_course(db.session, current_staff(), course.institute, changes, course, reviewed=True)


def _course_page(form: CourseForm, course: Course, conflict: list | None = None, status: int = 200):
    context = course_form_context(db.session, form, course, conflict)
    return render_template("admin/records/course.html", institute=course.institute, **context), status


@bp.route("/records/batches/<int:batch_id>/edit", methods=["GET", "POST"])
def record_batch_edit(batch_id: int):
    """A batch of any course: date, schedule, campus (of the course's institute) and seats."""
    batch = _or_404(record_by_id(db.session, Batch, batch_id, *batch_edit_options()))
    course = batch.course
    form = BatchForm(data=BatchForm.data_of(batch))
    if save_batch(db.session, form, current_staff(), course, batch):
        return redirect(url_for("admin.record_batch_edit", batch_id=batch.id))
    return render_template("admin/records/batch.html", form=form, course=course, batch=batch)


@bp.route("/records/events/<int:event_id>/edit", methods=["GET", "POST"])
def record_event_edit(event_id: int):
    """An event, of an institute or of none (then its organiser stays as it is)."""
    event = _or_404(record_by_id(db.session, Event, event_id, *event_edit_options()))
    form = EventForm(data=EventForm.data_of(event)) if request.method == "GET" else EventForm()
    form.load_choices(db.session)
    if save_posted(form, lambda changes: _save_event(event, changes)):
        return redirect(url_for("admin.record_event_edit", event_id=event.id))
    return render_template("admin/records/event.html", form=form, event=event)


def _save_event(event: Event, changes: EventChanges):
    # An institute's event is organised by the institute; another keeps the organiser it names.
    if event.institute is None:
        changes = replace(changes, organiser=event.organiser)
    return apply_event(db.session, current_staff(), event.institute, changes, event)
