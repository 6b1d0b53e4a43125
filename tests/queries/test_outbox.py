"""Reads of the outbox: failures counted for the dashboard, the list filtered and newest first."""

from __future__ import annotations

from catalog.emails import Email
from catalog.models import OutboxStatus
from catalog.queries.outbox import failed_count, messages_query
from catalog.services.outbox import queue_email


def queued(db, subject: str, status: OutboxStatus) -> None:
    message = queue_email(db.session, "test", "learner@example.in", Email(subject, "Thank you."))
    message.status = status
    db.session.commit()


def test_failed_count_counts_only_failed_messages(db):
    queued(db, "a", OutboxStatus.FAILED)
    queued(db, "b", OutboxStatus.FAILED)
    queued(db, "c", OutboxStatus.SENT)
    queued(db, "d", OutboxStatus.PENDING)
    assert failed_count(db.session) == 2


def test_messages_of_one_status_come_newest_first(db):
    for subject in ("first", "second", "third"):
        queued(db, subject, OutboxStatus.FAILED)
    queued(db, "sent", OutboxStatus.SENT)
    subjects = [m.subject for m in db.session.scalars(messages_query(OutboxStatus.FAILED))]
    assert subjects == ["third", "second", "first"]
