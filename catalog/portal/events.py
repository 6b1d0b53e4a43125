"""Portal events: workshops, seminars, conferences and meetups the institute organises."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, EventForm
from catalog.models import Event
from catalog.portal import bp
from catalog.security import current_institute_id, get_owned_or_404, staff_required
from catalog.services.listings import ListingError, delete_event, save_event


@bp.get("/events")
@login_required
@staff_required
def event_list():
    """The institute's events, latest start first."""
    events = db.session.scalars(
        select(Event)
        .where(Event.institute_id == current_institute_id())
        .options(selectinload(Event.area), selectinload(Event.topics))
        .order_by(Event.starts_at.desc())
    ).all()
    return render_template("portal/events/list.html", events=events, action_form=ActionForm())


def _save(form: EventForm, event: Event | None):
    form.load_choices(db.session)
    if form.validate_on_submit():
        try:
            outcome = save_event(
                db.session, current_user._get_current_object(), current_user.institute, form, event
            )
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.event_list"))
    return render_template("portal/events/form.html", form=form, event=event)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
@staff_required
def event_new():
    """Add an event."""
    return _save(EventForm(), None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
@staff_required
def event_edit(event_id: int):
    """Change an event."""
    event = get_owned_or_404(Event, event_id, selectinload(Event.area), selectinload(Event.topics))
    form = EventForm(data=EventForm.data_of(event)) if request.method == "GET" else EventForm()
    return _save(form, event)


@bp.post("/events/<int:event_id>/delete")
@login_required
@staff_required
def event_delete(event_id: int):
    """Delete an event."""
    event = get_owned_or_404(Event, event_id, selectinload(Event.area), selectinload(Event.topics))
    if ActionForm().validate_on_submit():
        try:
            outcome = delete_event(db.session, current_user._get_current_object(), event)
        except ListingError as error:
            flash(error.message, "error")
        else:
            flash(outcome.message, outcome.category)
    return redirect(url_for("portal.event_list"))
