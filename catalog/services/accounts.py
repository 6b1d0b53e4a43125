"""Accounts of their owners: signing in, changing a password, and reset links (what admins do
to accounts is in :mod:`catalog.services.admin_accounts`; the institute sign-up is in
:mod:`catalog.services.registrations`).

Each function that changes data commits its change, the audit entry and any outbox email in one
transaction. Refusals are :class:`DomainError` codes with the field they concern; the caller
puts them into words:

- ``password-too-short`` (``min``), ``password-too-long`` (``max``), ``password-is-email``:
  field ``password``, from :func:`password_problem`;
- ``current-password-wrong`` (``current_password``).

Sign-in and forgotten-password requests do the same work whether or not the email has an
account: one password verification for a sign-in, one outbox email for a reset.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import PasswordResetToken, User
from catalog.models.base import utcnow
from catalog.models.contacts import normalise_email
from catalog.queries.accounts import find_reset_token, find_user_by_email
from catalog.services import passwords
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.services.outbox import queue_email
from catalog.services.sessions import close_sessions, open_session
from catalog.services.transactions import one_write
from catalog.tokens import hash_token, new_token

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


def password_problem(password: str, email: str) -> DomainError | None:
    """Why ``password`` cannot be used by the account ``email``, or None when it can."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return DomainError("password-too-short", "password", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return DomainError("password-too-long", "password", max=MAX_PASSWORD_LENGTH)
    if email and password.strip().lower() == normalise_email(email):
        return DomainError("password-is-email", "password")
    return None


def check_password(password: str, email: str) -> None:
    """Raise :func:`password_problem`'s refusal, if ``password`` has one."""
    problem = password_problem(password, email)
    if problem:
        raise problem


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user whose email and password these are; None otherwise.

    An unknown email, a wrong password and an inactive account all give None after one
    password verification each, so neither the answer nor its timing tells them apart.
    """
    user = find_user_by_email(session, email)
    matches = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        return None
    return user


def sign_in(session: Session, user: User, password: str, user_agent: str = "") -> str:
    """Start a server-side session for a user :func:`authenticate` accepted; returns its id.

    Notes the sign-in time and upgrades the password hash if its parameters are outdated.
    """
    with one_write(session):
        user.last_login_at = utcnow()
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        token = open_session(session, user, user_agent)
    return token


def set_password(session: Session, user: User, password: str, keep_session: str | None = None) -> None:
    """New hash, new stamp, every session ended (but ``keep_session``), no reset link left usable;
    in the caller's transaction."""
    user.password_hash = passwords.hash_password(password)
    user.session_stamp = passwords.new_session_stamp()
    close_sessions(session, user, keep_token=keep_session)
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def change_password(
    session: Session, user: User, current_password: str, new_password: str, keep_session: str | None = None
) -> None:
    """Set a signed-in user's new password, given their current one; every session of theirs
    ends but ``keep_session`` (the one they changed it from)."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise DomainError("current-password-wrong", "current_password")
    check_password(new_password, user.email)
    with one_write(session):
        set_password(session, user, new_password, keep_session)
        record_change(
            session, user, "password-change", user, summary="Password changed; other sessions signed out."
        )


def request_password_reset(session: Session, email: str) -> bool:
    """Queue a reset link for the active account with this email; True when there is one.

    Without one, the address gets an email saying so instead, so both cases write one outbox
    email: the caller answers the same either way, and the result is only for tests and logs.
    """
    user = find_user_by_email(session, email)
    token = new_token()
    with one_write(session):
        if user is None or not user.active:
            stored = normalise_email(email)
            queue_email(
                session, "password-reset-no-account", stored, emails.password_reset_no_account(stored)
            )
            return False
        queue_reset_link(session, user, token)
    return True


def queue_reset_link(
    session: Session, user: User, token: str | None = None, new_account: bool = False
) -> None:
    """Add a reset link for ``user`` and its email to the caller's transaction; a new account's
    email welcomes its owner and asks them to choose their first password."""
    token = token or new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    session.flush()
    session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=hash_token(token), expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    if new_account:
        queue_email(session, "account-created", user.email, emails.account_created(user, token, hours))
    else:
        queue_email(session, "password-reset", user.email, emails.password_reset(user, token, hours))


def reset_password(session: Session, token: str, new_password: str) -> User | None:
    """Set the password through a reset link; the link is spent. None when it is no longer valid.

    A password the rules refuse raises :class:`DomainError` and leaves the link usable.
    """
    record = find_reset_token(session, token)
    if record is None:
        return None
    user = record.user
    check_password(new_password, user.email)
    # A conditional update spends the token exactly once, even under two simultaneous requests.
    spent = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == record.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if spent.rowcount != 1:
        session.rollback()
        return None
    with one_write(session):
        set_password(session, user, new_password)
        record_change(
            session, user, "password-reset", user, summary="Password reset through an emailed link."
        )
    return user
