"""The account service: password rules, reset links, sign-up and account creation, as codes;
and the same work for known and unknown emails wherever a stranger could compare them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.models import OutboxMessage, PasswordResetToken, Role, User
from catalog.models.base import utcnow
from catalog.queries.accounts import find_reset_token
from catalog.services import accounts, admin_accounts, passwords
from catalog.services.accounts import password_problem
from catalog.services.errors import DomainError
from catalog.services.passwords import verify_password
from tests.builders import TEST_PASSWORD, make_institute, make_user
from tests.helpers import count_queries

NEW_PASSWORD = "a brand new passphrase 2024"


@pytest.fixture
def staff(db):
    return make_user(make_institute(), email="staff@example.in")


def reset_token_of(db) -> str:
    """The token of the reset link in the last email queued (the only place it exists in clear)."""
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/portal/password/reset/(\S+)", message.body).group(1)


# Password rules


@pytest.mark.parametrize(
    ("password", "code", "params"),
    [
        ("short one", "password-too-short", {"min": 12}),
        ("x" * 201, "password-too-long", {"max": 200}),
        (" STAFF@example.in ", "password-is-email", {}),
    ],
)
def test_each_password_rule_has_its_code(password, code, params):
    problem = password_problem(password, "staff@example.in")
    assert (problem.code, problem.field, problem.params) == (code, "password", params)


def test_a_long_enough_password_other_than_the_email_is_accepted():
    assert password_problem("x" * 12, "staff@example.in") is None
    assert password_problem("x" * 200, "staff@example.in") is None


def test_password_change_needs_the_current_password(db, staff):
    with pytest.raises(DomainError) as refused:
        accounts.change_password(db.session, staff, "not my password", NEW_PASSWORD)
    assert (refused.value.code, refused.value.field) == ("current-password-wrong", "current_password")
    assert verify_password(staff.password_hash, TEST_PASSWORD)


def test_password_change_applies_the_password_rules(db, staff):
    with pytest.raises(DomainError) as refused:
        accounts.change_password(db.session, staff, TEST_PASSWORD, "short one")
    assert refused.value.code == "password-too-short"


def test_password_change_renews_the_session_stamp(db, staff):
    stamp = staff.session_stamp
    accounts.change_password(db.session, staff, TEST_PASSWORD, NEW_PASSWORD)
    assert verify_password(staff.password_hash, NEW_PASSWORD) and staff.session_stamp != stamp


# Reset links


def test_a_reset_link_is_stored_as_a_hash_and_expires_after_the_configured_hours(app, db, staff):
    assert accounts.request_password_reset(db.session, "Staff@Example.in")
    record = db.session.scalar(select(PasswordResetToken))
    hours = timedelta(hours=app.config["PASSWORD_RESET_HOURS"])
    assert record.user_id == staff.id and len(record.token_hash) == 64
    assert utcnow() < record.expires_at <= utcnow() + hours


def test_no_reset_link_for_an_unknown_or_inactive_account(db):
    make_user(email="gone@example.in", active=False)
    assert not accounts.request_password_reset(db.session, "gone@example.in")
    assert not accounts.request_password_reset(db.session, "nobody@example.in")
    assert db.session.scalar(select(PasswordResetToken)) is None


def test_a_reset_link_works_once(db, staff):
    accounts.request_password_reset(db.session, "staff@example.in")
    token = reset_token_of(db)
    assert accounts.reset_password(db.session, token, NEW_PASSWORD) == staff
    assert find_reset_token(db.session, token) is None
    assert accounts.reset_password(db.session, token, "another passphrase!") is None
    assert verify_password(staff.password_hash, NEW_PASSWORD)


def test_an_expired_reset_link_is_not_found(db, staff):
    accounts.request_password_reset(db.session, "staff@example.in")
    token = reset_token_of(db)
    db.session.scalar(select(PasswordResetToken)).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert find_reset_token(db.session, token) is None
    assert accounts.reset_password(db.session, token, NEW_PASSWORD) is None


def test_a_password_refused_by_the_rules_leaves_the_reset_link_usable(db, staff):
    accounts.request_password_reset(db.session, "staff@example.in")
    token = reset_token_of(db)
    with pytest.raises(DomainError) as refused:
        accounts.reset_password(db.session, token, "staff@example.in")
    assert refused.value.code == "password-is-email"
    assert find_reset_token(db.session, token) is not None


# Creating accounts


@pytest.mark.parametrize(
    ("role", "with_institute", "code"),
    [(Role.INSTITUTE, False, "institute-required"), (Role.ADMIN, True, "institute-not-allowed")],
)
def test_staff_need_an_institute_and_admins_have_none(db, role, with_institute, code):
    institute = make_institute() if with_institute else None
    with pytest.raises(DomainError) as refused:
        admin_accounts.create_user(db.session, "someone@example.in", NEW_PASSWORD, role, institute)
    assert (refused.value.code, refused.value.field) == (code, "institute")


def test_an_account_with_an_email_in_use_is_refused_with_the_stored_address(db, staff):
    with pytest.raises(DomainError) as refused:
        admin_accounts.create_user(db.session, " STAFF@Example.IN", NEW_PASSWORD, Role.ADMIN)
    assert (refused.value.code, refused.value.params) == ("email-taken", {"email": "staff@example.in"})


def test_an_account_needs_a_valid_email(db):
    with pytest.raises(DomainError) as refused:
        admin_accounts.create_user(db.session, "not-an-email", NEW_PASSWORD, Role.ADMIN)
    assert (refused.value.code, refused.value.field) == ("email-invalid", "email")


def test_a_created_account_stores_its_email_lower_cased(db):
    user = admin_accounts.create_user(db.session, "Admin.One@Example.IN", NEW_PASSWORD, Role.ADMIN)
    assert db.session.get(User, user.id).email == "admin.one@example.in"


# The same work for known and unknown emails


@pytest.fixture
def hasher_calls(monkeypatch) -> list[str]:
    """The argon2 operations the account service performs, in order, as ``hash``/``verify``."""
    calls: list[str] = []
    hasher = passwords._hasher

    class CountingHasher:
        def hash(self, password):
            calls.append("hash")
            return hasher.hash(password)

        def verify(self, password_hash, password):
            calls.append("verify")
            return hasher.verify(password_hash, password)

        def check_needs_rehash(self, password_hash):
            return hasher.check_needs_rehash(password_hash)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    return calls


def work_of(db, hasher_calls, action) -> tuple[list[str], int, int]:
    """The argon2 calls, outbox emails and statements that ``action`` costs."""
    hasher_calls.clear()
    outbox_before = len(db.session.scalars(select(OutboxMessage)).all())
    with count_queries(db) as statements:
        action()
    outbox = len(db.session.scalars(select(OutboxMessage)).all()) - outbox_before
    return list(hasher_calls), outbox, len(statements)


def test_sign_in_verifies_one_password_for_a_known_or_unknown_email(db, staff, hasher_calls):
    wrong = work_of(
        db, hasher_calls, lambda: accounts.authenticate(db.session, "staff@example.in", "guess 1")
    )
    unknown = work_of(
        db, hasher_calls, lambda: accounts.authenticate(db.session, "nobody@example.in", "guess")
    )
    assert wrong == unknown == (["verify"], 0, 1)


def test_sign_in_of_an_inactive_account_costs_the_same_as_an_unknown_one(db, hasher_calls):
    make_user(email="gone@example.in", active=False)
    inactive = work_of(
        db, hasher_calls, lambda: accounts.authenticate(db.session, "gone@example.in", TEST_PASSWORD)
    )
    unknown = work_of(db, hasher_calls, lambda: accounts.authenticate(db.session, "nobody@example.in", "x"))
    assert inactive == unknown


def test_forgot_password_queues_one_email_for_a_known_or_unknown_email(db, staff, hasher_calls):
    known = work_of(db, hasher_calls, lambda: accounts.request_password_reset(db.session, "staff@example.in"))
    unknown = work_of(
        db, hasher_calls, lambda: accounts.request_password_reset(db.session, "nobody@example.in")
    )
    assert known[:2] == unknown[:2] == ([], 1)
    # One more statement for the known email (its reset link's row): a row insert, not a hashing.
    assert known[2] - unknown[2] <= 1
