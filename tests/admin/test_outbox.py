"""The admin outbox: every message and its delivery, filtered and paged, read, and resent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.emails import Email
from catalog.models import AuditEntry, OutboxMessage, OutboxStatus, Role
from catalog.services.outbox import queue_email
from tests.builders import make_user
from tests.helpers import count_queries, csrf_token


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


def queued(
    db, subject: str = "Your enquiry", status: OutboxStatus = OutboxStatus.PENDING, **values
) -> OutboxMessage:
    message = queue_email(
        db.session, "enquiry-receipt", "learner@example.in", Email(subject, "Thank you.\nSee you.")
    )
    message.status = status
    for name, value in values.items():
        setattr(message, name, value)
    db.session.commit()
    return message


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_outbox_lists_kind_recipient_subject_status_attempts_and_last_error(db, client, admin):
    queued(db, "Course approved", OutboxStatus.FAILED, attempts=5, last_error="451 4.3.0 Try again later")
    html = page_text(client, "/admin/outbox")
    for text in (
        "enquiry-receipt",
        "learner@example.in",
        "Course approved",
        "Failed",
        "451 4.3.0 Try again later",
    ):
        assert text in html
    assert "5 attempts" in html


def test_the_outbox_is_in_the_admin_menu(client, admin):
    assert 'href="/admin/outbox"' in page_text(client, "/admin/outbox")


def test_the_status_filter_shows_only_messages_of_that_status(db, client, admin):
    queued(db, "Delivery gave up", OutboxStatus.FAILED)
    queued(db, "Delivered fine", OutboxStatus.SENT)
    html = page_text(client, "/admin/outbox?status=failed")
    assert "Delivery gave up" in html and "Delivered fine" not in html


def test_an_unknown_status_is_reported_and_every_message_shown(db, client, admin):
    queued(db, "Delivered fine", OutboxStatus.SENT)
    html = page_text(client, "/admin/outbox?status=lost")
    assert "Some filters were not applied" in html and "Delivered fine" in html


def test_the_outbox_is_newest_first_and_paged(db, client, admin):
    for n in range(26):
        queued(db, f"Message number {n:02d}")
    first = page_text(client, "/admin/outbox")
    assert first.index("Message number 25") < first.index("Message number 01")
    assert "Message number 00" not in first
    assert "Message number 00" in page_text(client, "/admin/outbox?page=2")


def test_the_outbox_page_costs_the_same_queries_for_few_or_many_messages(db, client, admin):
    queued(db)
    client.get("/admin/outbox")
    with count_queries(db) as few:
        client.get("/admin/outbox")
    for _ in range(20):
        queued(db)
    with count_queries(db) as many:
        client.get("/admin/outbox")
    assert len(many) == len(few)


def test_a_message_page_shows_its_body(db, client, admin):
    message = queued(db, "Your enquiry")
    html = page_text(client, f"/admin/outbox/{message.id}")
    assert "Thank you.\nSee you." in html


def test_an_unknown_message_is_not_found(client, admin):
    response = client.get("/admin/outbox/999999")
    assert response.status_code == 404
    assert "no outbox message with this number" in response.get_data(as_text=True)


def test_a_pending_message_offers_no_resend(db, client, admin):
    message = queued(db)
    assert "Resend" not in page_text(client, f"/admin/outbox/{message.id}")


def test_resending_a_failed_message_queues_it_again_with_an_audit_entry(db, client, admin):
    message = queued(db, status=OutboxStatus.FAILED, attempts=5, last_error="451 Try again later")
    url = f"/admin/outbox/{message.id}"
    response = client.post(
        f"{url}/resend", data={"csrf_token": csrf_token(client, url)}, follow_redirects=True
    )
    assert "is queued again" in response.get_data(as_text=True)
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outbox-resend"))
    assert entry.user_id == admin.id


def test_resending_a_sent_message_queues_it_again(db, client, admin):
    message = queued(db, status=OutboxStatus.SENT, attempts=1)
    url = f"/admin/outbox/{message.id}"
    client.post(f"{url}/resend", data={"csrf_token": csrf_token(client, url)})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.PENDING


def test_resending_without_the_csrf_token_changes_nothing(db, client, admin):
    message = queued(db, status=OutboxStatus.FAILED, attempts=5)
    response = client.post(f"/admin/outbox/{message.id}/resend", data={})
    assert response.status_code == 400
    assert "CSRF token is missing" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.FAILED


def test_resending_a_message_still_pending_is_refused_with_a_message(db, client, admin):
    failed = queued(db, status=OutboxStatus.FAILED)
    pending = queued(db)
    token = csrf_token(client, f"/admin/outbox/{failed.id}")
    response = client.post(
        f"/admin/outbox/{pending.id}/resend", data={"csrf_token": token}, follow_redirects=True
    )
    assert "already waiting to be sent" in response.get_data(as_text=True)
