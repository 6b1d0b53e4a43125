"""Portal events: workshops, seminars, conferences and meetups the institute organises."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, EventForm
from catalog.forms.editing import save_posted
from catalog.forms.messages import flash_outcome, flash_refusal
from catalog.models import Event
from catalog.portal.blueprint import bp
from catalog.queries.portal import event_edit_options, events_of
from catalog.security import current_institute_id, current_staff, get_owned_or_404
from catalog.services.errors import DomainError
from catalog.services.events import apply_event, delete_event


@bp.get("/events")
def event_list():
    """The institute's events, latest start first."""
    return render_template(
        "portal/events/list.html",
        events=events_of(db.session, current_institute_id()),
        action_form=ActionForm(),
    )


def _save(form: EventForm, event: Event | None):
    form.load_choices(db.session)
    if save_posted(
        form, lambda changes: apply_event(db.session, current_staff(), current_user.institute, changes, event)
    ):
        return redirect(url_for("portal.event_list"))
    return render_template("portal/events/form.html", form=form, event=event)


@bp.route("/events/new", methods=["GET", "POST"])
def event_new():
    """Add an event."""
    return _save(EventForm(), None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int):
    """Change an event."""
    event = get_owned_or_404(Event, event_id, *event_edit_options())
    form = EventForm(data=EventForm.data_of(event)) if request.method == "GET" else EventForm()
    return _save(form, event)


@bp.post("/events/<int:event_id>/delete")
def event_delete(event_id: int):
    """Delete an event."""
    event = get_owned_or_404(Event, event_id, *event_edit_options())
    if ActionForm().validate_on_submit():
        try:
            outcome = delete_event(db.session, current_staff(), event)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash_outcome(outcome)
    return redirect(url_for("portal.event_list"))
