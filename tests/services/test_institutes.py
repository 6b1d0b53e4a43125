"""The institute profile service: contacts stored in one form, partners, the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, Institute, InstituteStatus
from catalog.services.errors import DomainError
from catalog.services.institutes import InstituteChanges, apply_institute
from tests.builders import make_course, make_institute, make_user
from tests.helpers import search_titles


def profile(**overrides) -> InstituteChanges:
    values = {
        "name": "Deccan MLOps Academy",
        "website": "https://deccan.example.in",
        "email": "hello@deccan.example.in",
        "phone": "040 2373 4418",
        "founded_year": 2016,
        "partners": ("CloudWorks", "", "DataForge", "cloudworks"),
    }
    return InstituteChanges(**{**values, **overrides})


@pytest.fixture
def institute(db):
    return make_institute(name="Deccan MLOps Academy")


def test_profile_saves_details_and_partners_without_repeats(db, institute):
    apply_institute(db.session, make_user(institute), institute, profile())
    db.session.expire_all()
    assert (institute.website, institute.founded_year) == ("https://deccan.example.in", 2016)
    assert [partner.name for partner in institute.partners] == ["CloudWorks", "DataForge"]
    apply_institute(db.session, None, institute, profile(partners=("DataForge", "ModelOps Labs")))
    db.session.expire_all()
    assert [partner.name for partner in institute.partners] == ["DataForge", "ModelOps Labs"]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.changes["partners"] == [["CloudWorks", "DataForge"], ["DataForge", "ModelOps Labs"]]


def test_the_phone_is_stored_in_e164_however_it_was_typed(db, institute):
    apply_institute(db.session, None, institute, profile(phone="+91 40 2373 4418"))
    assert institute.phone == "+914023734418"
    apply_institute(db.session, None, institute, profile(phone="040-23734418"))
    assert institute.phone == "+914023734418"


def test_the_contact_email_is_stored_normalised(db, institute):
    apply_institute(db.session, None, institute, profile(email="  Hello@Deccan.Example.IN "))
    assert institute.email == "hello@deccan.example.in"


def test_a_phone_that_is_not_a_number_is_refused(db, institute):
    with pytest.raises(DomainError) as refused:
        apply_institute(db.session, None, institute, profile(phone="12"))
    assert (refused.value.code, refused.value.field) == ("phone-invalid", "phone")


def test_profile_name_change_reaches_the_search_index(db, institute):
    make_course(institute=institute, title="Serving Models")
    apply_institute(db.session, None, institute, profile(name="Xylophone Academy"))
    assert search_titles(db, "xylophone") == ["Serving Models"]


def test_a_new_institute_is_added_with_the_status_its_caller_set(db):
    institute = Institute(slug="new-academy", status=InstituteStatus.PENDING, verified=False)
    outcome = apply_institute(db.session, None, institute, profile(name="New Academy"))
    assert (outcome.code, institute.id is not None, institute.status) == (
        "profile-saved",
        True,
        InstituteStatus.PENDING,
    )
    assert db.session.scalars(select(AuditEntry.action)).all() == ["create"]
