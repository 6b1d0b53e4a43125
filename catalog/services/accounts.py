"""Accounts: signing in, passwords and their reset links, institute sign-up, approval.

Views, the CLI and (later) the admin area share these functions. Each one that changes data
commits its change, the audit entry and any outbox email in one transaction. Refusals are
:class:`DomainError` codes with the field they concern; the caller puts them into words:

- ``password-too-short`` (``min``), ``password-too-long`` (``max``), ``password-is-email``:
  field ``password``, from :func:`password_problem`;
- ``current-password-wrong`` (``current_password``);
- ``email-invalid``, ``email-taken`` (``email``, the address in its stored form): field
  ``email``, or ``staff_email`` for a sign-up;
- ``area-unknown`` (``area_slug``); ``institute-required``, ``institute-not-allowed``
  (``institute``); ``registration-not-saved`` (the whole sign-up; trying again is safe).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import Campus, Institute, InstituteStatus, PasswordResetToken, Role, User
from catalog.models.base import utcnow
from catalog.models.contacts import normalise_email, parse_email
from catalog.queries.accounts import (
    active_staff,
    area_by_slug,
    email_taken,
    find_reset_token,
    find_user_by_email,
)
from catalog.services import passwords
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.services.outbox import queue_email
from catalog.services.slugs import unique_slug
from catalog.tokens import hash_token, new_token

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
#: How often a sign-up is tried again when another one took the same slug at the same moment.
REGISTRATION_ATTEMPTS = 3


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


def record_login(session: Session, user: User, password: str) -> None:
    """Note the sign-in time and upgrade the password hash if its parameters are outdated."""
    user.last_login_at = utcnow()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.commit()


def _set_password(session: Session, user: User, password: str) -> None:
    """New hash, new session stamp (ending every other session), no reset link left usable."""
    user.password_hash = passwords.hash_password(password)
    user.session_stamp = passwords.new_session_stamp()
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def change_password(session: Session, user: User, current_password: str, new_password: str) -> None:
    """Set a signed-in user's new password, given their current one; their other sessions stop working."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise DomainError("current-password-wrong", "current_password")
    _check_password(new_password, user.email)
    _set_password(session, user, new_password)
    record_change(
        session, user, "password-change", user, summary="Password changed; other sessions signed out."
    )
    session.commit()


def request_password_reset(session: Session, email: str) -> bool:
    """Queue a reset link for the active account with this email; False when there is none.

    The caller answers the same either way, so the result is only for tests and logs.
    """
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        return False
    token = new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=hash_token(token), expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    message = emails.password_reset(user, token, hours)
    queue_email(session, "password-reset", user.email, message.subject, message.body)
    session.commit()
    return True


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
    _set_password(session, user, new_password)
    record_change(session, user, "password-reset", user, summary="Password reset through an emailed link.")
    session.commit()
    return user


@dataclass(frozen=True)
class Registration:
    """What an institute enters when it signs up: the institute, its first campus (by area
    slug) and its first staff account; the phone in E.164."""

    institute_name: str
    website: str
    contact_email: str
    phone: str
    area_slug: str
    address: str
    description: str
    staff_name: str
    staff_email: str
    password: str


def unique_institute_slug(session: Session, name: str) -> str:
    """A slug for a new institute: its name in slug form, with -2, -3 … when already in use."""
    return unique_slug(session, Institute, name, "institute")


def register_institute(session: Session, registration: Registration) -> User:
    """Create a pending institute, its campus and its first staff account; tell the applicant.

    Raises :class:`DomainError` ``email-taken`` when the staff email is already in use (also
    when another sign-up takes it at the same moment), a password rule's code, or
    ``area-unknown``.
    """
    for _attempt in range(REGISTRATION_ATTEMPTS):
        try:
            return _create_registration(session, registration)
        except IntegrityError:
            session.rollback()
            if email_taken(session, registration.staff_email):
                raise _email_taken(registration.staff_email, "staff_email") from None
            # Another sign-up took the same slug meanwhile: the next attempt picks a new one.
    raise DomainError("registration-not-saved")


def _email_taken(email: str, field: str) -> DomainError:
    return DomainError("email-taken", field, email=normalise_email(email))


def _create_registration(session: Session, registration: Registration) -> User:
    if email_taken(session, registration.staff_email):
        raise _email_taken(registration.staff_email, "staff_email")
    _check_password(registration.password, registration.staff_email)
    area = area_by_slug(session, registration.area_slug)
    if area is None:
        raise DomainError("area-unknown", "area_slug")
    institute = Institute(
        name=registration.institute_name.strip(),
        slug=unique_institute_slug(session, registration.institute_name),
        description=registration.description.strip(),
        website=registration.website.strip(),
        email=normalise_email(registration.contact_email),
        phone=registration.phone,
        status=InstituteStatus.PENDING,
        verified=False,
    )
    institute.campuses.append(Campus(area=area, address=registration.address.strip()))
    user = User(
        email=normalise_email(registration.staff_email),
        name=registration.staff_name.strip(),
        password_hash=passwords.hash_password(registration.password),
        role=Role.INSTITUTE,
        institute=institute,
        active=True,
        session_stamp=passwords.new_session_stamp(),
    )
    session.add_all([institute, user])
    session.flush()
    message = emails.registration_received(user, institute)
    queue_email(session, "registration-received", user.email, message.subject, message.body)
    record_change(
        session,
        user,
        "institute-register",
        institute,
        changes={"status": [None, InstituteStatus.PENDING.value], "name": [None, institute.name]},
        summary=f"Institute {institute.name} registered by {user.email}.",
        institute_id=institute.id,
    )
    session.commit()
    return user


def check_new_account(session: Session, email: str, role: Role, institute: Institute | None) -> str:
    """The email in its stored form, when an account with it, this role and this institute can
    be created; raises :class:`DomainError` otherwise (before any password is asked for)."""
    stored = parse_email(email)
    if stored is None:
        raise DomainError("email-invalid", "email")
    if email_taken(session, stored):
        raise _email_taken(stored, "email")
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


def approve_institute(session: Session, institute: Institute) -> InstituteStatus | None:
    """Approve an institute, opening the portal to its staff, and email them that it is open.

    Returns the status it had before, or None when it was already approved (nothing changes).
    """
    before = institute.status
    if before == InstituteStatus.APPROVED:
        return None
    institute.status = InstituteStatus.APPROVED
    for user in active_staff(session, institute.id):
        message = emails.institute_approved(user, institute)
        queue_email(session, "institute-approved", user.email, message.subject, message.body)
    record_change(
        session,
        None,
        "institute-approve",
        institute,
        changes={"status": [before.value, InstituteStatus.APPROVED.value]},
        summary=f"Institute {institute.name} approved.",
        institute_id=institute.id,
    )
    session.commit()
    return before
