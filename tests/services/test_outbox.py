"""The outbox service: claims, the back-off schedule, resending, its settings and its command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from catalog.config import ConfigError, load_config
from catalog.emails import Email
from catalog.models import AuditEntry, OutboxMessage, OutboxStatus, Role
from catalog.services.errors import DomainError
from catalog.services.outbox import (
    CLAIM_LAPSES_AFTER,
    DeliverySettings,
    claim_next,
    queue_email,
    resend_message,
)
from tests.builders import make_user

#: The ``smtp_server`` fixture: a real SMTP server on loopback.
pytest_plugins = ("tests.smtp_server",)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def queued(db, **values) -> OutboxMessage:
    message = queue_email(db.session, "test", "learner@example.in", Email("Your enquiry", "Thank you."))
    for name, value in values.items():
        setattr(message, name, value)
    db.session.commit()
    return message


def test_a_claimed_message_is_not_claimed_again(db):
    message = queued(db)
    assert claim_next(db.session, NOW).id == message.id
    assert claim_next(db.session, NOW + timedelta(minutes=1)) is None


def test_a_lapsed_claim_lets_another_sender_take_the_message(db):
    message = queued(db)
    claim_next(db.session, NOW)
    assert claim_next(db.session, NOW + CLAIM_LAPSES_AFTER + timedelta(seconds=1)).id == message.id


def test_a_message_waiting_for_its_next_attempt_is_not_claimed(db):
    queued(db, next_attempt_at=NOW + timedelta(minutes=5))
    assert claim_next(db.session, NOW) is None
    assert claim_next(db.session, NOW + timedelta(minutes=5)) is not None


def test_sent_and_failed_messages_are_not_claimed(db):
    queued(db, status=OutboxStatus.SENT)
    queued(db, status=OutboxStatus.FAILED)
    assert claim_next(db.session, NOW) is None


def test_the_last_wait_of_the_back_off_repeats():
    settings = DeliverySettings(host="h", port=25, mail_from="m", backoff_minutes=(1, 5, 30))
    assert [settings.wait_after(n) for n in (1, 2, 3, 4, 9)] == [
        timedelta(minutes=m) for m in (1, 5, 30, 30, 30)
    ]


def test_resending_a_failed_message_queues_it_with_a_fresh_count_and_an_audit_entry(db):
    admin = make_user(role=Role.ADMIN)
    message = queued(db, status=OutboxStatus.FAILED, attempts=5, last_error="451 Try again later")
    resend_message(db.session, admin, message)
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.PENDING, 0, "")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outbox-resend"))
    assert entry.user_id == admin.id and entry.record_id == message.id
    assert entry.changes["status"] == ["failed", "pending"]


def test_resending_a_pending_message_is_refused(db):
    message = queued(db)
    with pytest.raises(DomainError) as refusal:
        resend_message(db.session, None, message)
    assert refusal.value.code == "already-queued"


@pytest.mark.parametrize("value", ["", "1,,5", "0,5", "ten", "-1"])
def test_the_back_off_setting_must_be_whole_minutes(tmp_path, value):
    with pytest.raises(ConfigError, match="OUTBOX_BACKOFF_MINUTES"):
        load_config(str(tmp_path), {"OUTBOX_BACKOFF_MINUTES": value})


def test_the_attempt_limit_must_be_at_least_one(tmp_path):
    with pytest.raises(ConfigError, match="OUTBOX_MAX_ATTEMPTS"):
        load_config(str(tmp_path), {"OUTBOX_MAX_ATTEMPTS": "0"})


def test_send_outbox_refuses_without_smtp(runner):
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 1
    assert "SMTP_HOST is not set" in result.output


def test_send_outbox_delivers_and_reports(app, db, runner, smtp_server):
    queued(db)
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s); 0 will be retried later; 0 failed for good" in result.output
    assert [email["To"] for email in smtp_server.received] == ["learner@example.in"]
