"""Accounts: signing in, passwords and their reset links, institute sign-up, approval.

Views, the CLI and (later) the admin area share these functions. Each one that changes data
commits its change, the audit entry and any outbox email in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.models import Area, Campus, Institute, InstituteStatus, PasswordResetToken, Role, User
from catalog.models.base import utcnow
from catalog.services import passwords, tokens
from catalog.services.audit import record_change
from catalog.services.outbox import queue_email
from catalog.services.slugs import unique_slug

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


class AccountError(Exception):
    """A request about accounts that cannot be carried out; the message says why."""


class EmailTaken(AccountError):
    """Another account already uses this email address."""

    def __init__(self) -> None:
        super().__init__("An account with this email already exists.")


def normalise_email(email: str) -> str:
    """The form in which emails are stored and compared: trimmed and lower-case."""
    return email.strip().lower()


def password_problem(password: str, email: str) -> str | None:
    """Why ``password`` cannot be used by the account ``email``, or None when it can."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if email and password.strip().lower() == normalise_email(email):
        return "Choose a password that is not your email address."
    return None


def find_user_by_email(session: Session, email: str) -> User | None:
    """The account with this email address (compared without case), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def email_taken(session: Session, email: str) -> bool:
    """True when an account already uses this email address."""
    return find_user_by_email(session, email) is not None


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


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a signed-in user's new password; their other sessions stop working."""
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
    token = tokens.new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=tokens.hash_token(token), expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    # The configured site address, never the request's Host header, which a client controls.
    link = current_app.config["SITE_URL"].rstrip("/") + url_for("portal.password_reset", token=token)
    queue_email(
        session,
        "password-reset",
        user.email,
        "Reset your password: Hyderabad MLOps Courses",
        f"Hello {user.name or user.email},\n\n"
        f"Someone (we hope you) asked to reset the password of this account. Open this link to choose "
        f"a new password:\n\n{link}\n\n"
        f"The link works once, for {hours} hours. If you did not ask for it, ignore this email; "
        f"your password stays as it is.\n",
    )
    session.commit()
    return True


def find_reset_token(session: Session, token: str) -> PasswordResetToken | None:
    """The unused, unexpired reset token of an active account that ``token`` names, if any."""
    record = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == tokens.hash_token(token))
    )
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        return None
    if not record.user.active:
        return None
    return record


def reset_password(session: Session, token: str, new_password: str) -> User | None:
    """Set the password through a reset link; the link is spent. None when it is no longer valid."""
    record = find_reset_token(session, token)
    if record is None:
        return None
    # A conditional update spends the token exactly once, even under two simultaneous requests.
    spent = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == record.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if spent.rowcount != 1:
        session.rollback()
        return None
    user = record.user
    _set_password(session, user, new_password)
    record_change(session, user, "password-reset", user, summary="Password reset through an emailed link.")
    session.commit()
    return user


@dataclass(frozen=True)
class Registration:
    """What an institute enters when it signs up."""

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

    Raises ``EmailTaken`` when the staff email is already in use (also when another sign-up
    takes it at the same moment).
    """
    for _attempt in range(3):
        try:
            return _create_registration(session, registration)
        except IntegrityError:
            session.rollback()
            if email_taken(session, registration.staff_email):
                raise EmailTaken() from None
            # Another sign-up took the same slug meanwhile: the next attempt picks a new one.
    raise AccountError("The registration could not be saved; please try again.")


def _create_registration(session: Session, registration: Registration) -> User:
    if email_taken(session, registration.staff_email):
        raise EmailTaken()
    area = session.scalar(select(Area).where(Area.slug == registration.area_slug))
    if area is None:
        raise AccountError("Choose the area of your campus.")
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
    queue_email(
        session,
        "registration-received",
        user.email,
        f"We have received the registration of {institute.name}",
        f"Hello {user.name},\n\n"
        f"We have received your registration of {institute.name} on Hyderabad MLOps Courses. "
        f"An admin will review it; once it is approved you can sign in and list your courses, "
        f"batches and events.\n\n"
        f"Until then you can sign in with {user.email} and see the status of the registration.\n",
    )
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


def find_institute(session: Session, slug: str) -> Institute | None:
    """The institute with this slug, if any."""
    return session.scalar(select(Institute).where(Institute.slug == slug))


def create_user(
    session: Session, email: str, password: str, role: Role, institute: Institute | None = None
) -> User:
    """Create an active account (used by the CLI); staff need an institute, admins have none."""
    if role == Role.INSTITUTE and institute is None:
        raise AccountError("Institute staff need an institute: give --institute SLUG.")
    if role == Role.ADMIN and institute is not None:
        raise AccountError("An admin does not belong to an institute: leave out --institute.")
    if email_taken(session, email):
        raise EmailTaken()
    problem = password_problem(password, email)
    if problem:
        raise AccountError(f"Password not accepted: {problem}")
    user = User(
        email=normalise_email(email),
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
    staff = session.scalars(select(User).where(User.institute_id == institute.id, User.active.is_(True)))
    portal = current_app.config["SITE_URL"].rstrip("/") + "/portal/"
    for user in staff:
        queue_email(
            session,
            "institute-approved",
            user.email,
            f"{institute.name} is approved",
            f"Hello {user.name or user.email},\n\n"
            f"{institute.name} is approved on Hyderabad MLOps Courses. Sign in to the portal to add "
            f"your courses, batches and events:\n\n{portal}\n",
        )
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
