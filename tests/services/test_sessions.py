"""The session service and its read: ids stored as hashes, sessions ended one by one or all
together, and what counts as live."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, OutboxMessage, UserSession
from catalog.models.base import utcnow
from catalog.queries.accounts import find_live_session
from catalog.services import accounts, admin_accounts
from catalog.services.sessions import close_sessions, end_session, note_session_seen, start_session
from catalog.tokens import hash_token
from tests.builders import TEST_PASSWORD, make_institute, make_user

IDLE = timedelta(minutes=120)
LIFETIME = timedelta(hours=12)
NEW_PASSWORD = "a brand new passphrase 2024"


@pytest.fixture
def staff(db):
    return make_user(make_institute(), email="staff@example.in")


def live(db, token: str, at=None) -> UserSession | None:
    return find_live_session(db.session, token, at or utcnow(), IDLE, LIFETIME)


def ended(db) -> list[bool]:
    db.session.expire_all()
    return [r.ended_at is not None for r in db.session.scalars(select(UserSession).order_by(UserSession.id))]


def test_a_started_session_is_stored_only_as_the_hash_of_its_id(db, staff):
    token = start_session(db.session, staff, "Firefox")
    record = db.session.scalar(select(UserSession))
    assert record.token_hash == hash_token(token) and record.user_agent == "Firefox"
    assert live(db, token).user == staff


def test_an_ended_session_is_not_live_and_ends_once(db, staff):
    token = start_session(db.session, staff)
    assert end_session(db.session, token) is True
    assert live(db, token) is None
    assert end_session(db.session, token) is False


def test_a_session_is_live_until_idle_for_the_idle_time(db, staff):
    token = start_session(db.session, staff)
    assert live(db, token, utcnow() + IDLE - timedelta(seconds=5)) is not None
    assert live(db, token, utcnow() + IDLE + timedelta(seconds=1)) is None


def test_a_session_in_use_ends_at_its_lifetime(db, staff):
    token = start_session(db.session, staff)
    record = live(db, token)
    later = record.created_at + LIFETIME - timedelta(minutes=1)
    note_session_seen(db.session, record, later)
    assert live(db, token, later + timedelta(seconds=30)) is not None
    assert live(db, token, later + timedelta(minutes=2)) is None


def test_noting_use_within_a_minute_writes_nothing(db, staff):
    token = start_session(db.session, staff)
    record = live(db, token)
    seen = record.last_seen_at
    note_session_seen(db.session, record, seen + timedelta(seconds=59))
    db.session.expire_all()
    assert live(db, token).last_seen_at == seen


def test_closing_sessions_keeps_only_the_one_named(db, staff):
    other_user = start_session(db.session, make_user(email="other@example.in"))
    start_session(db.session, staff)
    kept = start_session(db.session, staff)
    assert close_sessions(db.session, staff, keep_token=kept) == 1
    db.session.commit()
    assert ended(db) == [False, True, False]
    assert live(db, kept) is not None and live(db, other_user) is not None


def test_password_change_ends_every_session_but_the_current_one(db, staff):
    other = start_session(db.session, staff)
    current = start_session(db.session, staff)
    accounts.change_password(db.session, staff, TEST_PASSWORD, NEW_PASSWORD, keep_session=current)
    assert live(db, other) is None and live(db, current) is not None


def test_password_reset_ends_every_session(db, staff):
    tokens = [start_session(db.session, staff) for _ in range(2)]
    accounts.request_password_reset(db.session, "staff@example.in")
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "password-reset"))
    link_token = re.search(r"/portal/password/reset/(\S+)", body).group(1)
    assert accounts.reset_password(db.session, link_token, NEW_PASSWORD) == staff
    assert all(live(db, token) is None for token in tokens)


def test_deactivation_ends_every_session_and_is_audited(db, staff):
    tokens = [start_session(db.session, staff) for _ in range(2)]
    assert admin_accounts.deactivate_user(db.session, staff) == 2
    assert not staff.active
    assert all(live(db, token) is None for token in tokens)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user-deactivate"))
    assert entry.record_id == staff.id and entry.changes == {"active": [True, False]}


def test_deactivating_an_inactive_account_changes_nothing(db):
    gone = make_user(email="gone@example.in", active=False)
    assert admin_accounts.deactivate_user(db.session, gone) is None
    assert db.session.scalar(select(AuditEntry)) is None


def test_deleting_a_user_deletes_their_sessions(db, staff):
    start_session(db.session, staff)
    db.session.delete(staff)
    db.session.commit()
    assert db.session.scalar(select(UserSession)) is None
