"""Reads about events: one by its slug, upcoming ones with filters, and the filters' options."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Area, Event, EventKind, Topic, event_topics
from catalog.models.labels import choices
from catalog.queries.vocabulary import topics_by_name
from catalog.timeutil import LOCAL_TZ


def event_by_slug(session: Session, slug: str) -> Event | None:
    """The event with this slug, past or upcoming, with its area, topics and institute."""
    return session.scalar(
        select(Event)
        .where(Event.slug == slug)
        .options(selectinload(Event.area), selectinload(Event.topics), selectinload(Event.institute))
    )


def upcoming_events(
    session: Session,
    today: date,
    *,
    kind: str | None = None,
    topic_slug: str | None = None,
    topic_id: int | None = None,
    area_slug: str | None = None,
    institute_id: int | None = None,
) -> list[Event]:
    """Events that have not ended, soonest first, with optional filters."""
    start_of_today = datetime.combine(today, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)
    stmt = (
        select(Event)
        .where(Event.ends_at >= start_of_today)
        .order_by(Event.starts_at, Event.id)
        .options(selectinload(Event.area), selectinload(Event.topics), selectinload(Event.institute))
    )
    if kind:
        stmt = stmt.where(Event.kind == EventKind(kind))
    if topic_slug:
        stmt = stmt.where(Event.topics.any(Topic.slug == topic_slug))
    if topic_id:
        stmt = stmt.where(
            Event.id.in_(select(event_topics.c.event_id).where(event_topics.c.topic_id == topic_id))
        )
    if area_slug:
        stmt = stmt.where(Event.area.has(Area.slug == area_slug))
    if institute_id:
        stmt = stmt.where(Event.institute_id == institute_id)
    return list(session.scalars(stmt))


def event_filter_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Options for the event filters; the first option of each means "any"."""
    used_areas = select(Event.area_id).distinct()
    return {
        "kind": [("", "Any kind"), *choices(EventKind)],
        "topic": [("", "Any topic")] + [(t.slug, t.name) for t in topics_by_name(session)],
        "area": [("", "Anywhere")]
        + [
            (a.slug, a.name)
            for a in session.scalars(
                select(Area).where(Area.id.in_(used_areas)).order_by(Area.slug == "online", Area.name)
            )
        ],
    }
