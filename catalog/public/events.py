"""Events: the list of upcoming ones, filtered by kind, topic and place, and a page for each."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, render_template

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


@bp.get("/events/<slug>")
def event_detail(slug: str):
    """One event: what, when (in IST), where, who organises it, the fee, topics and where to
    register; a past event keeps its page and says it is over."""
    event = events.event_by_slug(db.session, slug)
    if event is None:
        abort(404, description="No event has that address.")
    return render_template("public/event_detail.html", event=event, is_over=event.is_over(datetime.now(UTC)))
