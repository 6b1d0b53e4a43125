"""The list of upcoming events, filtered by kind, topic and place."""

from __future__ import annotations

from flask import render_template

from catalog.extensions import db
from catalog.forms.fields import as_choices
from catalog.public.blueprint import bp
from catalog.public.forms import EventFilterForm
from catalog.queries import events
from catalog.timeutil import local_today


@bp.get("/events")
def event_list():
    """Upcoming events, filtered by kind, topic and place."""
    form = EventFilterForm()
    choices = events.event_filter_choices(db.session)
    for name, options in choices.items():
        getattr(form, name).choices = as_choices(options)
    chosen = {
        name: (getattr(form, name).data if getattr(form, name).data in {v for v, _ in options[1:]} else None)
        for name, options in choices.items()
    }
    found = events.upcoming_events(
        db.session, local_today(), kind=chosen["kind"], topic_slug=chosen["topic"], area_slug=chosen["area"]
    )
    return render_template("public/event_list.html", form=form, events=found, filtered=any(chosen.values()))
