"""Events: workshops, seminars, conferences and meetups, with times stored in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Area, Event, EventKind, Institute, Topic, User
from catalog.services.audit import audit_change, snapshot
from catalog.services.errors import DomainError
from catalog.services.outcomes import Outcome
from catalog.services.slugs import is_slug, unique_slug
from catalog.services.transactions import one_write

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


@dataclass(frozen=True)
class EventChanges:
    """What an event is. Times are aware datetimes; ``area`` is an area's id ("Online" included),
    ``topics`` ids from the vocabulary; ``organiser`` defaults to the institute's name and
    ``slug`` (used only when creating) to one made from the title."""

    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    venue: str
    area: int
    fee_inr: int = 0
    description: str = ""
    url: str | None = None
    topics: tuple[int, ...] = ()
    organiser: str | None = None
    slug: str | None = None


def event_snapshot(event: Event) -> dict[str, Any]:
    """An event's fields as plain values, for the audit log."""
    values = snapshot(event, EVENT_FIELDS)
    values["area"] = event.area.name if event.area is not None else None
    return values


def _new_slug(session: Session, changes: EventChanges) -> str:
    if not changes.slug:
        return unique_slug(session, Event, changes.title, "event")
    if not is_slug(changes.slug):
        raise DomainError("slug-malformed", field="slug")
    if session.scalar(select(Event.id).where(Event.slug == changes.slug)) is not None:
        raise DomainError("slug-taken", field="slug")
    return changes.slug


def apply_event(
    session: Session,
    actor: User | None,
    institute: Institute | None,
    changes: EventChanges,
    event: Event | None = None,
) -> Outcome[Event]:
    """Create an event of ``institute`` (None: an event the catalog lists for someone else), or
    update ``event``, with its audit entry."""
    area = session.get(Area, changes.area)
    if area is None:
        raise DomainError("unknown-choice", field="area")
    organiser = changes.organiser or (institute.name if institute is not None else None)
    if not organiser:
        raise DomainError("organiser-needed", field="organiser")
    topics = (
        list(session.scalars(select(Topic).where(Topic.id.in_(changes.topics)))) if changes.topics else []
    )
    if len(topics) != len(set(changes.topics)):
        raise DomainError("unknown-choice", field="topics")
    creating = event is None
    before = {} if creating else event_snapshot(event)
    with one_write(session), session.no_autoflush:
        if creating:
            event = Event(institute=institute, slug=_new_slug(session, changes), organiser=organiser)
            session.add(event)
        event.title = changes.title
        event.kind = changes.kind
        event.description = changes.description
        event.starts_at, event.ends_at = changes.starts_at, changes.ends_at
        event.venue = changes.venue
        event.area = area
        event.fee_inr = changes.fee_inr
        event.url = changes.url or None
        event.organiser = organiser
        event.topics = topics
        session.flush()
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            event,
            before,
            event_snapshot(event),
            summary=f"{'Added' if creating else 'Saved'} event “{event.title}”",
        )
    return Outcome(event, "event-saved", {"title": event.title})


def delete_event(session: Session, actor: User | None, event: Event) -> Outcome[Event]:
    """Delete an event."""
    before = event_snapshot(event)
    title = event.title
    with one_write(session):
        session.delete(event)
        audit_change(session, actor, "delete", event, before, {}, summary=f"Deleted event “{title}”")
    return Outcome(None, "event-deleted", {"title": title})
