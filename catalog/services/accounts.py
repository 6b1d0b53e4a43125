"""Accounts: signing in, passwords and their reset links, approval, deactivation (the
institute sign-up is in :mod:`catalog.services.registrations`).

Views, the CLI and (later) the admin area share these functions. Each one that changes data
commits its change, the audit entry and any outbox email in one transaction. Refusals are
:class:`DomainError` codes with the field they concern; the caller puts them into words:

- ``password-too-short`` (``min``), ``password-too-long`` (``max``), ``password-is-email``:
  field ``password``, from :func:`password_problem`;
- ``current-password-wrong`` (``current_password``);
- ``email-invalid``, ``email-taken`` (``email``, the address in its stored form): field
  ``email``, from :func:`check_new_account` (the CLI and admins; a public sign-up with a taken
  email is never refused, so it cannot tell strangers which addresses have accounts);
- ``institute-required``, ``institute-not-allowed`` (``institute``);
- ``own-account`` (``user``): an admin may not deactivate or change the role of their own account.

Sign-in and forgotten-password requests do the same work whether or not the email has an
account: one password verification for a sign-in, one outbox email for a reset.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import Institute, InstituteStatus, PasswordResetToken, Role, User
from catalog.models.base import utcnow
from catalog.models.contacts import normalise_email, parse_email
from catalog.queries.accounts import (
    active_staff,
    email_taken,
    find_reset_token,
    find_user_by_email,
)
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


def _check_password(password: str, email: str) -> None:
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


def _set_password(session: Session, user: User, password: str, keep_session: str | None = None) -> None:
    """New hash, new stamp, every session ended (but ``keep_session``), no reset link left usable."""
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
    _check_password(new_password, user.email)
    with one_write(session):
        _set_password(session, user, new_password, keep_session)
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
    _check_password(new_password, user.email)
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
        _set_password(session, user, new_password)
        record_change(
            session, user, "password-reset", user, summary="Password reset through an emailed link."
        )
    return user


def deactivate_user(session: Session, user: User, by: User | None = None) -> int | None:
    """Close an account: it can no longer sign in, and every session of it ends at once.

    Returns how many sessions ended, or None when it was already inactive (nothing changes).
    ``by`` is the admin doing it, None for the command line.
    """
    if by is not None and by.id == user.id:
        raise DomainError("own-account", "user")
    if not user.active:
        return None
    with one_write(session):
        user.active = False
        ended = close_sessions(session, user)
        record_change(
            session,
            by,
            "user-deactivate",
            user,
            changes={"active": [True, False]},
            summary=f"Account {user.email} deactivated; {ended} session(s) ended.",
            institute_id=user.institute_id,
        )
    return ended


def check_new_account(session: Session, email: str, role: Role, institute: Institute | None) -> str:
    """The email in its stored form, when an account with it, this role and this institute can
    be created; raises :class:`DomainError` otherwise (before any password is asked for)."""
    stored = parse_email(email)
    if stored is None:
        raise DomainError("email-invalid", "email")
    if email_taken(session, stored):
        raise DomainError("email-taken", "email", email=stored)
    if role == Role.INSTITUTE and institute is None:
        raise DomainError("institute-required", "institute")
    if role == Role.ADMIN and institute is not None:
        raise DomainError("institute-not-allowed", "institute")
    return stored


def create_user(
    session: Session, email: str, password: str, role: Role, institute: Institute | None = None
) -> User:
    """Create an active account (used by the CLI); staff need an institute, admins have none."""
    stored = check_new_account(session, email, role, institute)
    _check_password(password, stored)
    user = User(
        email=stored,
        password_hash=passwords.hash_password(password),
        role=role,
        institute=institute,
        active=True,
        session_stamp=passwords.new_session_stamp(),
    )
    session.add(user)
    record_change(session, None, "user-create", user, summary=f"Account {user.email} ({role.value}) created.")
    session.commit()
    return user


def approve_institute(
    session: Session, institute: Institute, by: User | None = None
) -> InstituteStatus | None:
    """Approve an institute, opening the portal to its staff, and email them that it is open.

    Returns the status it had before, or None when it was already approved (nothing changes).
    ``by`` is the admin doing it, None for the command line.
    """
    before = institute.status
    if before == InstituteStatus.APPROVED:
        return None
    with one_write(session):
        institute.status = InstituteStatus.APPROVED
        for user in active_staff(session, institute.id):
            queue_email(session, "institute-approved", user.email, emails.institute_approved(user, institute))
        record_change(
            session,
            by,
            "institute-approve",
            institute,
            changes={"status": [before.value, InstituteStatus.APPROVED.value]},
            summary=f"Institute {institute.name} approved.",
            institute_id=institute.id,
        )
    return before


def invite_user(session: Session, by: User, email: str, role: Role, institute: Institute | None) -> User:
    """Create an active account for someone an admin adds; they get a reset link to choose their
    own password (the one stored until then is random, so it opens nothing)."""
    stored = check_new_account(session, email, role, institute)
    with one_write(session):
        user = User(
            email=stored,
            password_hash=passwords.hash_password(new_token()),
            role=role,
            institute=institute,
            active=True,
            session_stamp=passwords.new_session_stamp(),
        )
        session.add(user)
        record_change(
            session,
            by,
            "user-create",
            user,
            summary=f"Account {stored} ({role.value}) created; a link to set its password was sent.",
            institute_id=institute.id if institute else None,
        )
        queue_reset_link(session, user, new_account=True)
    return user


def reactivate_user(session: Session, user: User, by: User | None = None) -> bool:
    """Open a deactivated account again (it signs in with its old password); False when it was
    already active (nothing changes)."""
    if user.active:
        return False
    with one_write(session):
        user.active = True
        record_change(
            session,
            by,
            "user-reactivate",
            user,
            changes={"active": [False, True]},
            summary=f"Account {user.email} reactivated.",
            institute_id=user.institute_id,
        )
    return True


def change_role(session: Session, user: User, role: Role, institute: Institute | None, by: User) -> bool:
    """Make ``user`` an admin or staff of ``institute``; False when nothing changes.

    Every session of the account ends, so no page stays open with the rights it had before. An
    admin cannot change their own role (``own-account``): the catalog is never left without one
    by a slip.
    """
    if by.id == user.id:
        raise DomainError("own-account", "user")
    if role == Role.INSTITUTE and institute is None:
        raise DomainError("institute-required", "institute")
    if role == Role.ADMIN:
        institute = None
    before = {"role": user.role.value, "institute_id": user.institute_id}
    after = {"role": role.value, "institute_id": institute.id if institute else None}
    if before == after:
        return False
    with one_write(session):
        user.role = role
        user.institute = institute
        ended = close_sessions(session, user)
        record_change(
            session,
            by,
            "user-role",
            user,
            changes={name: [before[name], after[name]] for name in before if before[name] != after[name]},
            summary=f"Account {user.email} is now {role.value}; {ended} session(s) ended.",
            institute_id=after["institute_id"] or before["institute_id"],
        )
    return True
