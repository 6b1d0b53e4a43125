"""The enquiry service: who may be asked, one enquiry per submission key, and withdrawal."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import (
    ContactMethod,
    Course,
    CourseStatus,
    Enquiry,
    EnquiryEvent,
    EnquiryStatus,
    InstituteStatus,
    OutboxMessage,
    OutboxStatus,
)
from catalog.services import enquiries as service
from catalog.services.enquiries import EnquiryDetails, submit_enquiry, withdraw_enquiry
from catalog.services.errors import DomainError
from tests.builders import make_batch, make_course, make_enquiry, make_institute


@pytest.fixture
def course(app):
    """A published course of an approved institute with an email address and one open batch."""
    app.config["SITE_URL"] = "https://courses.example.in"
    institute = make_institute(name="Madhapur ML Academy", email="admissions@madhapur-ml.example")
    course = make_course(institute=institute, title="MLOps Bootcamp", slug="mlops-bootcamp")
    make_batch(course, starts_in_days=20)
    return course


def details(**overrides) -> EnquiryDetails:
    values = {
        "name": "Ravi",
        "email": "ravi@example.in",
        "phone": "+919876543210",
        "preferred_contact": ContactMethod.EMAIL,
        "message": "",
        "batch_id": None,
        "consent": True,
    }
    return EnquiryDetails(**{**values, **overrides})


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def refusal_of(db, course: Course, **overrides) -> DomainError:
    """The refusal ``submit_enquiry`` raises for these details; nothing may be stored."""
    with pytest.raises(DomainError) as refused:
        submit_enquiry(db.session, course, details(**overrides), submission_key="refused")
    assert count(db, Enquiry) == 0
    return refused.value


# Who may be asked


def test_enquiry_without_consent_is_refused_on_the_consent_field(db, course):
    refusal = refusal_of(db, course, consent=False)
    assert (refusal.code, refusal.field) == ("consent-required", "consent")


@pytest.mark.parametrize("method", [ContactMethod.PHONE, ContactMethod.WHATSAPP])
def test_call_or_message_without_a_phone_is_refused_on_the_phone_field(db, course, method):
    refusal = refusal_of(db, course, preferred_contact=method, phone="")
    assert (refusal.code, refusal.field) == ("phone-required", "phone")


def test_service_refuses_a_closed_batch_whatever_the_form_said(db, course):
    started = make_batch(course, starts_in_days=-1)
    refusal = refusal_of(db, course, batch_id=started.id)
    assert (refusal.code, refusal.field) == ("batch-closed", "batch")


def test_a_full_batch_is_refused(db, course):
    full = make_batch(course, starts_in_days=15, seats_left=0)
    assert refusal_of(db, course, batch_id=full.id).code == "batch-closed"


def test_a_batch_of_another_course_is_refused_on_the_batch_field(db, course):
    other = make_batch(make_course())
    refusal = refusal_of(db, course, batch_id=other.id)
    assert (refusal.code, refusal.field) == ("batch-unknown", "batch")


def test_service_refuses_an_unpublished_course(db):
    refusal = refusal_of(db, make_course(status=CourseStatus.DRAFT))
    assert (refusal.code, refusal.field) == ("course-not-published", None)


@pytest.mark.parametrize("status", [InstituteStatus.PENDING, InstituteStatus.SUSPENDED])
def test_a_course_of_an_institute_not_approved_is_refused(db, status):
    course = make_course(institute=make_institute(status=status))
    assert refusal_of(db, course).code == "institute-not-approved"


def test_closed_refusal_is_none_for_a_published_course_of_an_approved_institute(course):
    assert service.closed_refusal(course) is None


def test_an_open_batch_is_stored_with_the_enquiry(db, course):
    batch = course.batches[0]
    result = submit_enquiry(db.session, course, details(batch_id=batch.id), submission_key="with-batch")
    assert result.enquiry.batch_id == batch.id


# Storing once


def test_the_enquiry_its_history_and_two_emails_are_stored_with_the_consent_sentence(db, course):
    result = submit_enquiry(db.session, course, details(), submission_key="key-1")
    assert result.created and result.token
    enquiry = result.enquiry
    assert enquiry.consent and enquiry.consent_text == (
        "I agree that Madhapur ML Academy may contact me about this course. "
        "My details go to Madhapur ML Academy alone and to no one else."
    )
    assert [(e.from_status, e.to_status) for e in enquiry.history] == [(None, EnquiryStatus.NEW)]
    assert sorted(m.kind for m in db.session.scalars(select(OutboxMessage))) == [
        "enquiry-notice",
        "enquiry-receipt",
    ]


def test_a_second_submission_with_the_same_key_is_answered_with_the_first_enquiry(db, course):
    first = submit_enquiry(db.session, course, details(), submission_key="key-1")
    second = submit_enquiry(db.session, course, details(name="Someone Else"), submission_key="key-1")
    assert (second.created, second.token, second.enquiry.id) == (False, None, first.enquiry.id)
    assert count(db, Enquiry) == 1 and count(db, OutboxMessage) == 2


def test_a_reference_already_taken_is_replaced_by_a_new_one(db, course, monkeypatch):
    make_enquiry(course, reference="ENQ-AAAAAA")
    references = iter(["ENQ-AAAAAA", "ENQ-BBBBBB"])
    monkeypatch.setattr(service, "new_reference", lambda: next(references))
    result = submit_enquiry(db.session, course, details(email="asha@example.in"), submission_key="key-4")
    assert (
        db.session.scalar(select(Enquiry).where(Enquiry.email == "asha@example.in")).reference == "ENQ-BBBBBB"
    )
    assert result.created


def test_a_twin_committed_between_check_and_insert_is_answered_with_the_first_enquiry(
    db, course, monkeypatch
):
    first_id = submit_enquiry(db.session, course, details(), submission_key="key-1").enquiry.id
    real_find = service.find_by_submission_key
    looks = []

    def blind_first_look(session, key):
        looks.append(key)
        return None if len(looks) == 1 else real_find(session, key)

    monkeypatch.setattr(service, "find_by_submission_key", blind_first_look)
    second = submit_enquiry(db.session, course, details(), submission_key="key-1")
    assert (second.created, second.token, second.enquiry.id) == (False, None, first_id)
    assert count(db, Enquiry) == 1


def test_concurrent_sends_of_one_form_store_one_enquiry(app, db, course):
    course_id = course.id
    barrier = threading.Barrier(2, timeout=10)
    outcomes, failures = [], []

    def send_in_own_session() -> None:
        try:
            with app.app_context(), Session(db.engine) as session:
                own_course = session.get(Course, course_id)
                barrier.wait()
                result = submit_enquiry(session, own_course, details(), submission_key="same-form")
                outcomes.append((result.created, result.enquiry.id))
        except Exception as error:  # reported below, so a failure in a thread fails the test
            failures.append(error)

    threads = [threading.Thread(target=send_in_own_session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert sorted(created for created, _ in outcomes) == [False, True]
    assert len({enquiry_id for _, enquiry_id in outcomes}) == 1
    assert count(db, Enquiry) == 1
    assert count(db, OutboxMessage) == 2


# The emails' links


def test_receipt_links_come_from_the_site_url_never_from_the_request_host(app, db, course):
    with app.test_request_context(base_url="http://attacker.example"):
        result = submit_enquiry(db.session, course, details(), submission_key="key-5")
    receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enquiry-receipt")).one()
    reference = result.enquiry.reference
    assert f"https://courses.example.in/enquiries/{reference}?token={result.token}" in receipt.body
    assert "https://courses.example.in/courses/mlops-bootcamp" in receipt.body
    assert "attacker.example" not in receipt.body


def test_notice_links_to_the_inbox_on_the_site_url(app, db, course):
    with app.test_request_context(base_url="http://attacker.example"):
        submit_enquiry(db.session, course, details(), submission_key="key-6")
    notice = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enquiry-notice")).one()
    assert "https://courses.example.in/portal/enquiries" in notice.body
    assert "attacker.example" not in notice.body


def test_emails_name_the_preferred_contact_as_people_read_it(db, course):
    submit_enquiry(db.session, course, details(preferred_contact=ContactMethod.PHONE), submission_key="k")
    bodies = [m.body for m in db.session.scalars(select(OutboxMessage))]
    assert all("Phone call" in body for body in bodies)


# Withdrawal


def test_withdrawal_erases_personal_data_and_keeps_the_history(db, course):
    enquiry = submit_enquiry(db.session, course, details(message="Call me"), submission_key="k").enquiry
    withdraw_enquiry(db.session, enquiry)
    db.session.expire_all()
    enquiry = db.session.get(Enquiry, enquiry.id)
    assert (enquiry.name, enquiry.email, enquiry.phone, enquiry.message) == ("", "", "", "")
    assert enquiry.status == EnquiryStatus.WITHDRAWN and enquiry.withdrawn_at is not None
    assert [(e.from_status, e.to_status) for e in enquiry.history][-1] == (
        EnquiryStatus.NEW,
        EnquiryStatus.WITHDRAWN,
    )


def test_withdrawal_erases_the_unsent_receipt_so_it_is_never_sent(db, course):
    enquiry = submit_enquiry(db.session, course, details(), submission_key="k").enquiry
    withdraw_enquiry(db.session, enquiry)
    receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enquiry-receipt")).one()
    assert (receipt.to_email, receipt.body) == ("", service.ERASED_BODY)
    assert receipt.status == OutboxStatus.FAILED


def test_withdrawing_twice_adds_no_second_history_entry(db, course):
    enquiry = submit_enquiry(db.session, course, details(), submission_key="k").enquiry
    withdraw_enquiry(db.session, enquiry)
    withdraw_enquiry(db.session, enquiry)
    assert count(db, EnquiryEvent) == 2
