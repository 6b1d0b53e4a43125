"""Alerts: double opt-in through the outbox, one-click unsubscribe, and the daily digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from catalog.models import Alert, AlertKind, Mode, OutboxMessage, Schedule
from catalog.models.base import utcnow
from catalog.services import alerts as service
from catalog.services.batches import BatchChanges, apply_batch
from catalog.services.courses import apply_course
from catalog.services.errors import DomainError
from catalog.services.outbox import DeliverySettings, compose
from catalog.services.retention import ALERT_KEEP_DAYS, purge_personal_data
from catalog.timeutil import local_today
from tests.builders import make_course, make_institute, make_topic
from tests.helpers import course_changes

EMAIL = "learner@example.in"


def outbox(db, kind: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def search_request(q: str, email: str = EMAIL) -> service.AlertRequest:
    return service.AlertRequest(email, AlertKind.SEARCH, service.search_criteria(MultiDict({"q": q})))


def confirmed_alert(db, request: service.AlertRequest, hours_ago: int = 1) -> Alert:
    service.subscribe(db.session, request)
    alert = db.session.scalar(select(Alert).order_by(Alert.id.desc()))
    service.confirm(db.session, alert, now=utcnow() - timedelta(hours=hours_ago))
    return alert


def publish_batch(db, course, days: int = 30):
    """Add a batch through the service every caller uses (so it is in the audit log)."""
    changes = BatchChanges(local_today() + timedelta(days=days), Schedule.WEEKEND, Mode.ONLINE, 20)
    return apply_batch(db.session, None, course, changes).record


def test_subscribe_queues_only_a_confirmation(db):
    service.subscribe(db.session, search_request("kubeflow"))
    messages = outbox(db)
    assert [m.kind for m in messages] == [service.CONFIRMATION_KIND]
    assert "/alerts/confirm/" in messages[0].body
    assert db.session.scalar(select(Alert)).confirmed_at is None


def test_nothing_is_sent_before_confirmation(db):
    make_course(title="Kubeflow Pipelines")
    service.subscribe(db.session, search_request("kubeflow"))
    publish_batch(db, make_course(title="Kubeflow at Scale"))
    assert service.send_digests(db.session) == 0
    assert outbox(db, service.DIGEST_KIND) == []


def test_repeat_subscribe_creates_no_second_alert(db):
    service.subscribe(db.session, search_request("kubeflow"))
    service.subscribe(db.session, search_request("kubeflow", email=" Learner@Example.in "))
    assert db.session.scalar(select(func.count(Alert.id))) == 1


def test_repeat_subscribe_of_a_confirmed_alert_queues_nothing(db):
    confirmed_alert(db, search_request("kubeflow"))
    service.subscribe(db.session, search_request("kubeflow"))
    assert len(outbox(db, service.CONFIRMATION_KIND)) == 1


def test_subscribe_refuses_a_bad_email_on_its_field(db):
    with pytest.raises(DomainError) as refusal:
        service.subscribe(db.session, search_request("kubeflow", email="not-an-address"))
    assert (refusal.value.code, refusal.value.field) == ("email-invalid", "email")


def test_subscribe_refuses_an_unknown_topic(db):
    request = service.AlertRequest(EMAIL, AlertKind.TOPIC, {"topic": "no-such-topic"})
    with pytest.raises(DomainError, match="alert-unknown-criteria"):
        service.subscribe(db.session, request)


def test_confirm_link_confirms_once_and_again_changes_nothing(db):
    service.subscribe(db.session, search_request("kubeflow"))
    alert = db.session.scalar(select(Alert))
    token = service.link_token(alert, service.CONFIRM)
    assert service.confirm(db.session, service.alert_for_token(db.session, token, service.CONFIRM))
    first = alert.confirmed_at
    assert service.confirm(db.session, alert)
    assert alert.confirmed_at == first


def test_tampered_token_finds_no_alert(db):
    service.subscribe(db.session, search_request("kubeflow"))
    alert = db.session.scalar(select(Alert))
    token = service.link_token(alert, service.UNSUBSCRIBE)
    assert service.alert_for_token(db.session, token[:-2] + "xx", service.UNSUBSCRIBE) is None
    assert service.alert_for_token(db.session, token, service.MANAGE) is None
    assert service.alert_for_token(db.session, "999." + token.split(".")[1], service.UNSUBSCRIBE) is None


def test_digest_lists_a_new_matching_batch(db):
    course = make_course(title="Kubeflow Pipelines")
    confirmed_alert(db, search_request("kubeflow"))
    publish_batch(db, course)
    assert service.send_digests(db.session) == 1
    digests = outbox(db, service.DIGEST_KIND)
    assert len(digests) == 1
    assert "Kubeflow Pipelines" in digests[0].body and "New batch" in digests[0].body


def test_no_digest_for_a_batch_that_does_not_match(db):
    make_course(title="Kubeflow Pipelines")
    other = make_course(title="Tableau Dashboards")
    confirmed_alert(db, search_request("kubeflow"))
    publish_batch(db, other)
    assert service.send_digests(db.session) == 0
    assert outbox(db, service.DIGEST_KIND) == []


def test_topic_alert_gets_a_new_batch_of_its_topic(db):
    topic = make_topic(name="Model Serving", slug="model-serving")
    course = make_course(title="Serving Models", topics=[topic])
    confirmed_alert(db, service.AlertRequest(EMAIL, AlertKind.TOPIC, {"topic": "model-serving"}))
    publish_batch(db, course)
    assert service.send_digests(db.session) == 1


def test_course_alert_gets_a_new_batch_of_its_course(db):
    course = make_course(title="Feature Stores")
    confirmed_alert(db, service.AlertRequest(EMAIL, AlertKind.COURSE, {"course": course.id}))
    publish_batch(db, make_course(title="Something Else"))
    publish_batch(db, course)
    assert service.send_digests(db.session) == 1
    body = outbox(db, service.DIGEST_KIND)[0].body
    assert "Feature Stores" in body and "Something Else" not in body


def test_no_second_digest_within_a_day(db):
    course = make_course(title="Kubeflow Pipelines")
    confirmed_alert(db, search_request("kubeflow"))
    publish_batch(db, course)
    assert service.send_digests(db.session) == 1
    publish_batch(db, course, days=60)
    assert service.send_digests(db.session, now=utcnow() + timedelta(hours=2)) == 0
    assert len(outbox(db, service.DIGEST_KIND)) == 1


def test_next_day_digest_lists_only_what_is_new_since_the_last(db):
    course = make_course(title="Kubeflow Pipelines")
    confirmed_alert(db, search_request("kubeflow"))
    publish_batch(db, course)
    service.send_digests(db.session)
    assert service.send_digests(db.session, now=utcnow() + timedelta(days=1)) == 0


def test_unsubscribed_alert_gets_no_digest(db):
    course = make_course(title="Kubeflow Pipelines")
    alert = confirmed_alert(db, search_request("kubeflow"))
    service.unsubscribe(db.session, alert)
    service.unsubscribe(db.session, alert)
    publish_batch(db, course)
    assert service.send_digests(db.session) == 0


def test_every_alert_message_carries_one_click_unsubscribe_headers(db):
    course = make_course(title="Kubeflow Pipelines")
    alert = confirmed_alert(db, search_request("kubeflow"))
    publish_batch(db, course)
    service.send_digests(db.session)
    unsubscribe = service.alert_links(alert).unsubscribe
    for message in outbox(db):
        assert message.headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe in message.body


def test_subscribing_again_after_unsubscribing_retires_the_old_links(db):
    alert = confirmed_alert(db, search_request("kubeflow"))
    old = service.link_token(alert, service.UNSUBSCRIBE)
    service.unsubscribe(db.session, alert)
    service.subscribe(db.session, search_request("kubeflow"))
    assert alert.confirmed_at is None and alert.unsubscribed_at is None
    assert service.alert_for_token(db.session, old, service.UNSUBSCRIBE) is None


def test_sent_email_carries_the_stored_unsubscribe_headers(db):
    service.subscribe(db.session, search_request("kubeflow"))
    email = compose(DeliverySettings("localhost", 25, "catalog@example.in"), outbox(db)[0])
    assert email["List-Unsubscribe"].startswith("<http")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_lists_a_newly_published_matching_course(db):
    confirmed_alert(db, search_request("kubeflow"))
    apply_course(db.session, None, make_institute(), course_changes(title="Kubeflow for Teams"))
    assert service.send_digests(db.session) == 1
    assert "Kubeflow for Teams" in outbox(db, service.DIGEST_KIND)[0].body


def test_purge_deletes_an_alert_never_confirmed_and_erases_its_emails(db):
    service.subscribe(db.session, search_request("kubeflow"))
    report = purge_personal_data(db.session, 365, now=utcnow() + timedelta(days=ALERT_KEEP_DAYS + 1))
    assert report.alerts == 1
    assert db.session.scalar(select(func.count(Alert.id))) == 0
    assert [m.to_email for m in outbox(db)] == [""]


def test_purge_keeps_a_confirmed_alert(db):
    confirmed_alert(db, search_request("kubeflow"))
    purge_personal_data(db.session, 365, now=utcnow() + timedelta(days=ALERT_KEEP_DAYS + 1))
    assert db.session.scalar(select(func.count(Alert.id))) == 1
    assert outbox(db)[0].to_email == EMAIL
