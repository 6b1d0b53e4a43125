"""What admins (and the command line) do to accounts: create one, deactivate or reactivate it,
change its role, send it a password reset. Signing in, passwords and reset links themselves are
in :mod:`catalog.services.accounts`; the institute sign-up in :mod:`catalog.services.registrations`.

Each change commits with its audit entry and any outbox email in one transaction. Refusals are
:class:`DomainError` codes with the field they concern; the caller puts them into words:

- ``email-invalid``, ``email-taken`` (``email``, the address in its stored form): field
  ``email``, from :func:`check_new_account` (a public sign-up with a taken email is never
  refused, so it cannot tell strangers which addresses have accounts);
- ``institute-required``, ``institute-not-allowed`` (``institute``);
- ``own-account`` (``user``): an admin may not deactivate or change the role of their own account;
- ``account-inactive`` (``user``): a deactivated account is sent no reset link.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog.models import Institute, Role, User
from catalog.models.contacts import parse_email
from catalog.queries.accounts import email_taken
from catalog.services import passwords
from catalog.services.accounts import check_password, queue_reset_link
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.services.sessions import close_sessions
from catalog.services.transactions import one_write
from catalog.tokens import new_token


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


def _add_user(
    session: Session,
    stored: str,
    password: str,
    role: Role,
    institute: Institute | None,
    by: User | None,
    summary: str,
) -> User:
    """Add an active account and its audit entry to the caller's transaction."""
    user = User(
        email=stored,
        password_hash=passwords.hash_password(password),
        role=role,
        institute=institute,
        active=True,
        session_stamp=passwords.new_session_stamp(),
    )
    session.add(user)
    record_change(
        session, by, "user-create", user, summary=summary, institute_id=institute.id if institute else None
    )
    return user


def create_user(
    session: Session, email: str, password: str, role: Role, institute: Institute | None = None
) -> User:
    """Create an active account with this password (the command line); staff need an institute,
    admins have none."""
    stored = check_new_account(session, email, role, institute)
    check_password(password, stored)
    with one_write(session):
        user = _add_user(
            session, stored, password, role, institute, None, f"Account {stored} ({role.value}) created."
        )
    return user


def invite_user(session: Session, by: User, email: str, role: Role, institute: Institute | None) -> User:
    """Create an active account for someone an admin adds; they get a reset link to choose their
    own password (the one stored until then is random, so it opens nothing)."""
    stored = check_new_account(session, email, role, institute)
    summary = f"Account {stored} ({role.value}) created; a link to set its password was sent."
    with one_write(session):
        user = _add_user(session, stored, new_token(), role, institute, by, summary)
        queue_reset_link(session, user, new_account=True)
    return user


def _set_active(session: Session, user: User, active: bool, by: User | None) -> int:
    """Open or close the account, with its audit entry; closing it ends every session of it.
    Returns how many sessions ended."""
    with one_write(session):
        user.active = active
        ended = 0 if active else close_sessions(session, user)
        record_change(
            session,
            by,
            "user-reactivate" if active else "user-deactivate",
            user,
            changes={"active": [not active, active]},
            summary=(
                f"Account {user.email} reactivated."
                if active
                else f"Account {user.email} deactivated; {ended} session(s) ended."
            ),
            institute_id=user.institute_id,
        )
    return ended


def deactivate_user(session: Session, user: User, by: User | None = None) -> int | None:
    """Close an account: it can no longer sign in, and every session of it ends at once.

    Returns how many sessions ended, or None when it was already inactive (nothing changes).
    ``by`` is the admin doing it, None for the command line.
    """
    if by is not None and by.id == user.id:
        raise DomainError("own-account", "user")
    if not user.active:
        return None
    return _set_active(session, user, False, by)


def reactivate_user(session: Session, user: User, by: User | None = None) -> bool:
    """Open a deactivated account again (it signs in with its old password); False when it was
    already active (nothing changes)."""
    if user.active:
        return False
    _set_active(session, user, True, by)
    return True


def send_password_reset(session: Session, user: User) -> None:
    """Email the account a link to choose a new password, as an admin asks (the old password
    keeps working until then); a deactivated account is refused, ``account-inactive``."""
    if not user.active:
        raise DomainError("account-inactive", "user")
    with one_write(session):
        queue_reset_link(session, user)


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
