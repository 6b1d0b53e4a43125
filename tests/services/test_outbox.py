"""The outbox sender: pending messages go out through SMTP once, failures are retried."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from catalog.emails import Email
from catalog.models import OutboxMessage, OutboxStatus
from catalog.services.outbox import MAX_ATTEMPTS, deliver_pending, queue_email


class FakeSMTP:
    """Stands in for smtplib.SMTP and records what would have been sent."""

    sent: list = []
    fail = False

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        if FakeSMTP.fail:
            raise smtplib.SMTPServerDisconnected("connection lost")
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["SMTP_HOST"] = "smtp.example.in"
    return FakeSMTP


def test_send_outbox_refuses_without_smtp(runner):
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 1
    assert "SMTP_HOST is not set" in result.output


def test_pending_messages_are_sent_once(db, smtp, runner):
    queue_email(db.session, "test", "learner@example.in", Email("Your enquiry", "Thank you."))
    db.session.commit()
    result = runner.invoke(args=["send-outbox"])
    assert "Sent 1 message(s)" in result.output
    assert [m["To"] for m in smtp.sent] == ["learner@example.in"]
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.SENT and message.sent_at is not None
    runner.invoke(args=["send-outbox"])
    assert len(smtp.sent) == 1


def test_failed_sends_are_retried_then_marked_failed(db, smtp):
    queue_email(db.session, "test", "learner@example.in", Email("Your enquiry", "Thank you."))
    db.session.commit()
    smtp.fail = True
    for _ in range(MAX_ATTEMPTS):
        assert deliver_pending(db.session) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.FAILED
    assert "connection lost" in message.last_error
    assert deliver_pending(db.session) == (0, 0)
