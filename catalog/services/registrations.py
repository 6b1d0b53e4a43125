"""Institute sign-up: a pending institute, its first campus and its first staff account.

A sign-up never tells a stranger whether its email already has an account: with a taken email
nothing is created, the account holder is emailed instead, and the answer and the work (one
password hashing, one outbox email, one audit entry) are the same as for a new account.
Refusals are :class:`DomainError` codes: a password rule's (see
:func:`catalog.services.accounts.password_problem`), ``area-unknown`` (``area_slug``), or
``registration-not-saved`` (the whole sign-up; trying again is safe).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog import emails
from catalog.models import Area, Campus, Institute, InstituteStatus, Role, User
from catalog.models.contacts import normalise_email
from catalog.queries.accounts import area_by_slug, find_user_by_email
from catalog.services import passwords
from catalog.services.accounts import password_problem
from catalog.services.audit import record_change
from catalog.services.errors import DomainError
from catalog.services.outbox import queue_email
from catalog.services.slugs import unique_slug
from catalog.services.transactions import unit_of_work

#: How often a sign-up is tried again when another one took the same slug at the same moment.
REGISTRATION_ATTEMPTS = 3


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


@dataclass(frozen=True)
class RegistrationReceived:
    """What a sign-up answers: the same whether or not its staff email already had an account."""

    institute_name: str
    email: str


def register_institute(session: Session, registration: Registration) -> RegistrationReceived:
    """Create a pending institute, its campus and its first staff account; tell the applicant.

    When the staff email already has an account (also when another sign-up takes it at the
    same moment) nothing is created: the account holder is emailed that someone tried, and how
    to sign in or reset the password. Both ways hash the password once and queue one email,
    and answer alike. Raises :class:`DomainError` with a password rule's code or
    ``area-unknown``, checked before the email is looked up, or ``registration-not-saved``.
    """
    problem = password_problem(registration.password, registration.staff_email)
    if problem:
        raise problem
    area = area_by_slug(session, registration.area_slug)
    if area is None:
        raise DomainError("area-unknown", "area_slug")
    password_hash = passwords.hash_password(registration.password)
    for _attempt in range(REGISTRATION_ATTEMPTS):
        try:
            with unit_of_work(session):
                holder = find_user_by_email(session, registration.staff_email)
                if holder is None:
                    _create_registration(session, registration, area, password_hash)
                else:
                    _tell_account_holder(session, holder, registration)
        except IntegrityError:
            # Another sign-up took the same email or slug meanwhile: the next attempt sees which.
            continue
        return RegistrationReceived(
            registration.institute_name.strip(), normalise_email(registration.staff_email)
        )
    raise DomainError("registration-not-saved")


def _tell_account_holder(session: Session, holder: User, registration: Registration) -> None:
    queue_email(
        session, "registration-email-taken", holder.email, emails.registration_email_taken(holder.email)
    )
    record_change(
        session,
        None,
        "registration-email-taken",
        holder,
        summary=f"Sign-up of {registration.institute_name.strip()[:100]} tried with this account's email.",
    )


def _create_registration(
    session: Session, registration: Registration, area: Area, password_hash: str
) -> None:
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
        password_hash=password_hash,
        role=Role.INSTITUTE,
        institute=institute,
        active=True,
        session_stamp=passwords.new_session_stamp(),
    )
    session.add_all([institute, user])
    session.flush()
    queue_email(session, "registration-received", user.email, emails.registration_received(user, institute))
    record_change(
        session,
        user,
        "institute-register",
        institute,
        changes={"status": [None, InstituteStatus.PENDING.value], "name": [None, institute.name]},
        summary=f"Institute {institute.name} registered by {user.email}.",
        institute_id=institute.id,
    )
