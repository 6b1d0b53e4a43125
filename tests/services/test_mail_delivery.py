"""Delivering the outbox to a real SMTP server on loopback: content, retries, no double sends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.emails import password_reset_no_account
from catalog.models import OutboxMessage, OutboxStatus
from catalog.services.outbox import DeliverySettings, deliver_pending, queue_email

if TYPE_CHECKING:
    from tests.smtp_server import SMTPServer

#: The ``smtp_server`` fixture: a real SMTP server on loopback.
pytest_plugins = ("tests.smtp_server",)


class Clock:
    """A clock the test moves by hand, so back-off is checked without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def settings_for(server: SMTPServer, **overrides) -> DeliverySettings:
    values = {
        "host": server.host,
        "port": server.port,
        "mail_from": "Hyderabad MLOps Courses <no-reply@courses.example.in>",
        "timeout": 5,
        "starttls": False,
        "max_attempts": 4,
        "backoff_minutes": (1, 5, 30),
    }
    return DeliverySettings(**(values | overrides))


def queue(db, count: int = 1) -> list[int]:
    messages = [
        queue_email(
            db.session, "password-reset", f"learner{n}@example.in", password_reset_no_account("x@example.in")
        )
        for n in range(count)
    ]
    db.session.commit()
    return [message.id for message in messages]


def stored(db, message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_a_delivered_message_carries_recipient_subject_and_body_with_privacy_footer(db, smtp_server, clock):
    [message_id] = queue(db)
    report = deliver_pending(db.session, settings_for(smtp_server), clock=clock)
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [email] = smtp_server.received
    assert email["To"] == "learner0@example.in"
    assert email["Subject"] == stored(db, message_id).subject
    body = email.get_content()
    assert "how to have it erased" in body and "/privacy" in body


def test_a_delivered_message_is_marked_sent_and_not_sent_again(db, smtp_server, clock):
    [message_id] = queue(db)
    settings = settings_for(smtp_server)
    deliver_pending(db.session, settings, clock=clock)
    clock.advance(days=1)
    assert deliver_pending(db.session, settings, clock=clock).sent == 0
    message = stored(db, message_id)
    assert message.status == OutboxStatus.SENT and message.sent_at == clock.now - timedelta(days=1)
    assert message.attempts == 1 and len(smtp_server.received) == 1


def test_a_refused_attempt_waits_longer_each_time_then_is_delivered(db, smtp_server, clock):
    [message_id] = queue(db)
    settings = settings_for(smtp_server)
    smtp_server.handler.refuse = 2
    started = clock.now
    assert deliver_pending(db.session, settings, clock=clock).retrying == 1
    message = stored(db, message_id)
    assert message.attempts == 1 and "451" in message.last_error
    assert message.next_attempt_at == started + timedelta(minutes=1)

    clock.advance(seconds=59)
    assert deliver_pending(db.session, settings, clock=clock).retrying == 0
    clock.advance(seconds=1)
    assert deliver_pending(db.session, settings, clock=clock).retrying == 1
    assert stored(db, message_id).next_attempt_at == clock.now + timedelta(minutes=5)

    clock.advance(minutes=5)
    assert deliver_pending(db.session, settings, clock=clock).sent == 1
    message = stored(db, message_id)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 3)
    assert len(smtp_server.received) == 1


def test_a_connection_dropped_during_data_is_recorded_and_retried_until_sent_once(db, smtp_server, clock):
    [message_id] = queue(db)
    settings = settings_for(smtp_server)
    smtp_server.handler.drop = 1
    assert deliver_pending(db.session, settings, clock=clock).retrying == 1
    message = stored(db, message_id)
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    clock.advance(minutes=1)
    assert deliver_pending(db.session, settings, clock=clock).sent == 1
    assert len(smtp_server.received) == 1


def test_a_message_refused_up_to_the_limit_is_marked_failed(db, smtp_server, clock):
    [message_id] = queue(db)
    settings = settings_for(smtp_server, max_attempts=3)
    smtp_server.handler.refuse = 100
    reports = []
    for _ in range(3):
        reports.append(deliver_pending(db.session, settings, clock=clock))
        clock.advance(hours=1)
    assert [(r.retrying, r.failed) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    message = stored(db, message_id)
    assert (message.status, message.attempts, message.next_attempt_at) == (OutboxStatus.FAILED, 3, None)
    clock.advance(days=1)
    assert deliver_pending(db.session, settings, clock=clock).retrying == 0
    assert smtp_server.received == []


def test_a_message_the_server_rejects_for_good_is_marked_failed_at_once(db, smtp_server, clock):
    [message_id] = queue(db)
    smtp_server.handler.refuse, smtp_server.handler.refusal = 1, "554 5.7.1 Message rejected"
    assert deliver_pending(db.session, settings_for(smtp_server), clock=clock).failed == 1
    message = stored(db, message_id)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert message.last_error == "554 5.7.1 Message rejected"


def test_a_server_without_starttls_is_refused_when_starttls_is_required(db, smtp_server, clock):
    [message_id] = queue(db)
    assert deliver_pending(db.session, settings_for(smtp_server, starttls=True), clock=clock).retrying == 1
    assert "STARTTLS" in stored(db, message_id).last_error
    assert smtp_server.received == []


def test_a_message_that_cannot_be_written_as_an_email_fails_at_once(db, smtp_server, clock):
    [message_id] = queue(db)
    db.session.get(OutboxMessage, message_id).to_email = "learner@example.in\nBcc: everyone@example.in"
    db.session.commit()
    assert deliver_pending(db.session, settings_for(smtp_server), clock=clock).failed == 1
    assert stored(db, message_id).status == OutboxStatus.FAILED
    assert smtp_server.received == []


def test_an_unreachable_server_counts_as_a_failed_attempt(db, smtp_server, clock):
    [message_id] = queue(db)
    settings = settings_for(smtp_server, port=1)
    assert deliver_pending(db.session, settings, clock=clock).retrying == 1
    assert "ConnectionRefusedError" in stored(db, message_id).last_error


def test_two_senders_at_once_deliver_each_message_exactly_once(db, smtp_server):
    message_ids = queue(db, 30)
    settings = settings_for(smtp_server)
    engine = db.engine
    reports = []
    errors = []

    def sender() -> None:
        with Session(engine) as session:
            try:
                reports.append(deliver_pending(session, settings))
            except Exception as error:  # a thread's failure must fail the test, not vanish
                errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    recipients = sorted(email["To"] for email in smtp_server.received)
    assert recipients == sorted(f"learner{n}@example.in" for n in range(30))
    assert sum(report.sent for report in reports) == 30
    db.session.expire_all()
    statuses = db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(message_ids))).all()
    assert set(statuses) == {OutboxStatus.SENT}
