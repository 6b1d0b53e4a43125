"""The event service: slugs, organiser, topics and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, Event, EventKind
from catalog.services.errors import DomainError
from catalog.services.events import EventChanges, apply_event, delete_event
from tests.builders import make_area, make_event, make_institute, make_topic


def event_changes(area_id: int, **overrides) -> EventChanges:
    starts = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)
    values = {
        "title": "MLflow Meetup",
        "kind": EventKind.MEETUP,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2, minutes=30),
        "venue": "T-Hub, Raidurg",
        "area": area_id,
    }
    return EventChanges(**{**values, **overrides})


def test_an_institutes_event_is_organised_by_it_under_a_slug_from_its_title(db):
    institute = make_institute(name="Deccan MLOps Academy")
    area, topic = make_area(name="Online", slug="online"), make_topic(name="Experiment tracking")
    event = apply_event(db.session, None, institute, event_changes(area.id, topics=(topic.id,))).record
    assert (event.slug, event.institute_id, event.organiser) == (
        "mlflow-meetup",
        institute.id,
        institute.name,
    )
    assert event.topics == [topic] and event.is_online


def test_event_slug_gets_a_number_when_taken(db):
    make_event(slug="mlflow-meetup")
    apply_event(db.session, None, make_institute(), event_changes(make_area().id))
    assert db.session.scalars(select(Event.slug).order_by(Event.id)).all() == [
        "mlflow-meetup",
        "mlflow-meetup-2",
    ]


def test_an_event_of_no_institute_names_its_organiser_and_slug(db):
    changes = event_changes(make_area().id, organiser="Hyderabad MLOps Circle", slug="circle-meetup")
    event = apply_event(db.session, None, None, changes).record
    assert (event.slug, event.organiser, event.institute_id) == (
        "circle-meetup",
        "Hyderabad MLOps Circle",
        None,
    )


def test_an_event_of_no_institute_needs_an_organiser(db):
    with pytest.raises(DomainError) as refused:
        apply_event(db.session, None, None, event_changes(make_area().id))
    assert (refused.value.code, refused.value.field) == ("organiser-needed", "organiser")


def test_saving_and_deleting_an_event_are_audited(db):
    event = apply_event(db.session, None, make_institute(), event_changes(make_area().id)).record
    outcome = delete_event(db.session, None, event)
    assert (outcome.code, outcome.params) == ("event-deleted", {"title": "MLflow Meetup"})
    assert db.session.scalars(select(Event)).all() == []
    assert db.session.scalars(select(AuditEntry.action)).all() == ["create", "delete"]
