"""Saving an institute's events; times arrive as Indian Standard Time and are stored in UTC."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.forms.catalog import EventForm
from catalog.models import Area, Event, EventKind, Institute, Topic, User
from catalog.services.audit import snapshot
from catalog.services.listings.common import Outcome, audit, one_transaction
from catalog.services.slugs import unique_slug

EVENT_FIELDS = [
    "title",
    "slug",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "fee_inr",
    "url",
    "topics",
]


def event_snapshot(event: Event) -> dict[str, Any]:
    """An event's fields as plain values, for the audit log."""
    values = snapshot(event, EVENT_FIELDS)
    values["area"] = event.area.name if event.area is not None else None
    return values


def save_event(
    session: Session, user: User, institute: Institute, form: EventForm, event: Event | None = None
) -> Outcome:
    """Create or update an event of ``institute`` from a validated form, with its audit entry."""
    creating = event is None
    before = {} if creating else event_snapshot(event)
    topics = list(session.scalars(select(Topic).where(Topic.id.in_(form.topics.data or []))))
    area = session.get(Area, form.area.data)
    with one_transaction(session), session.no_autoflush:
        if creating:
            event = Event(
                institute=institute, slug=unique_slug(session, Event, form.title.data, "event"), organiser=""
            )
            session.add(event)
        event.title = form.title.data
        event.kind = EventKind(form.kind.data)
        event.description = form.description.data or ""
        event.starts_at, event.ends_at = form.starts_at(), form.ends_at()
        event.venue = form.venue.data
        event.area = area
        event.fee_inr = form.fee_inr.data
        event.url = form.url.data or None
        event.organiser = institute.name
        event.topics = topics
        session.flush()
        audit(
            session,
            user,
            "create" if creating else "update",
            event,
            before,
            event_snapshot(event),
            summary=f"{'Added' if creating else 'Saved'} event “{event.title}”",
        )
    return Outcome(event, f"“{event.title}” saved.")


def delete_event(session: Session, user: User, event: Event) -> Outcome:
    """Delete an event of the institute."""
    before = event_snapshot(event)
    title = event.title
    with one_transaction(session):
        session.delete(event)
        audit(session, user, "delete", event, before, {}, summary=f"Deleted event “{title}”")
    return Outcome(None, f"“{title}” deleted.")
