"""Institute sign-up as the service sees it: what it stores, what it refuses, and that a taken
email changes neither the answer nor the work."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, Institute, OutboxMessage, User
from catalog.services import passwords
from catalog.services.errors import DomainError
from catalog.services.registrations import Registration, RegistrationReceived, register_institute
from tests.builders import make_area, make_user

NEW_PASSWORD = "a brand new passphrase 2024"


@pytest.fixture
def area(db):
    return make_area(slug="hitec-city")


def registration(**overrides) -> Registration:
    values = {
        "institute_name": "Cyberabad MLOps School",
        "website": "https://cyberabad-mlops.example.in",
        "contact_email": "Admissions@Cyberabad-MLOps.example.in",
        "phone": "+919848022338",
        "area_slug": "hitec-city",
        "address": "Cyber Towers",
        "description": "Weekend bootcamps.",
        "staff_name": "Anitha Reddy",
        "staff_email": "Anitha@Cyberabad-MLOps.example.in",
        "password": NEW_PASSWORD,
    }
    return Registration(**{**values, **overrides})


def test_sign_up_stores_both_emails_lower_cased(db, area):
    received = register_institute(db.session, registration())
    assert received.email == "anitha@cyberabad-mlops.example.in"
    user = db.session.scalar(select(User).where(User.email == received.email))
    assert user.institute.email == "admissions@cyberabad-mlops.example.in"


def test_sign_up_with_an_email_in_use_in_any_case_answers_alike_and_creates_nothing(db, area):
    holder = make_user(email="anitha@cyberabad-mlops.example.in")
    received = register_institute(db.session, registration())
    assert received == RegistrationReceived("Cyberabad MLOps School", "anitha@cyberabad-mlops.example.in")
    assert db.session.scalar(select(Institute).where(Institute.name == "Cyberabad MLOps School")) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration-email-taken"))
    assert entry.record_id == holder.id


def test_sign_up_with_an_email_in_use_emails_its_holder_instead(db, area):
    make_user(email="anitha@cyberabad-mlops.example.in")
    register_institute(db.session, registration())
    message = db.session.scalar(select(OutboxMessage))
    assert (message.kind, message.to_email) == (
        "registration-email-taken",
        "anitha@cyberabad-mlops.example.in",
    )


def test_sign_up_applies_the_password_rules_to_the_staff_email(db, area):
    with pytest.raises(DomainError) as refused:
        register_institute(db.session, registration(password="anitha@cyberabad-mlops.example.in"))
    assert refused.value.code == "password-is-email"


def test_sign_up_in_an_unknown_area_is_refused_on_the_area(db, area):
    with pytest.raises(DomainError) as refused:
        register_institute(db.session, registration(area_slug="atlantis"))
    assert (refused.value.code, refused.value.field) == ("area-unknown", "area_slug")


@pytest.fixture
def hashings(monkeypatch) -> list[str]:
    """The passwords the sign-up hashes, in order."""
    calls: list[str] = []
    hash_password = passwords.hash_password

    def counting(password: str) -> str:
        calls.append(password)
        return hash_password(password)

    monkeypatch.setattr(passwords, "hash_password", counting)
    return calls


def outbox_count(db) -> int:
    return len(db.session.scalars(select(OutboxMessage)).all())


def audit_count(db) -> int:
    return len(db.session.scalars(select(AuditEntry)).all())


def test_sign_up_hashes_once_and_queues_one_email_whether_or_not_the_email_is_taken(db, area, hashings):
    make_user(email="taken@example.in")
    hashings.clear()
    register_institute(db.session, registration())
    new = (len(hashings), outbox_count(db), audit_count(db))
    register_institute(db.session, registration(staff_email="Taken@example.in"))
    taken = (len(hashings), outbox_count(db), audit_count(db))
    assert new == (1, 1, 1)
    assert taken == (2, 2, 2)
