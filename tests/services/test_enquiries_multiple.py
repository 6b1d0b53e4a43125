"""The shortlist's enquiry service: one enquiry per chosen course, each to its own institute,
all stored in one transaction or none."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from catalog.models import (
    ContactMethod,
    CourseStatus,
    Enquiry,
    EnquiryEvent,
    InstituteStatus,
    OutboxMessage,
)
from catalog.services import enquiries as service
from catalog.services import outbox
from catalog.services.enquiries import EnquiryDetails, EnquiryNotSaved, submit_enquiries
from catalog.services.errors import DomainError
from tests.builders import make_course, make_institute


@pytest.fixture
def madhapur(app):
    app.config["SITE_URL"] = "https://courses.example.in"
    return make_institute(name="Madhapur ML Academy", email="admissions@madhapur-ml.example")


@pytest.fixture
def gachibowli(app):
    return make_institute(name="Gachibowli Data School", email="hello@gachibowli-data.example")


@pytest.fixture
def two_courses(madhapur, gachibowli):
    """A published course at each of two institutes."""
    return [
        make_course(institute=madhapur, title="MLOps Bootcamp"),
        make_course(institute=gachibowli, title="Kubeflow in Practice"),
    ]


def details(**overrides) -> EnquiryDetails:
    values = {
        "name": "Ravi",
        "email": "ravi@example.in",
        "phone": "+919876543210",
        "preferred_contact": ContactMethod.EMAIL,
        "message": "Weekend batches?",
        "batch_id": None,
        "consent": False,
    }
    return EnquiryDetails(**{**values, **overrides})


def everyone(courses) -> set[int]:
    return {course.institute_id for course in courses}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def refusal_of(db, courses, consented, **overrides) -> DomainError:
    """The refusal ``submit_enquiries`` raises; nothing at all may be stored."""
    with pytest.raises(DomainError) as refused:
        submit_enquiries(db.session, courses, details(**overrides), consented, submission_key="refused")
    assert (count(db, Enquiry), count(db, OutboxMessage)) == (0, 0)
    return refused.value


def test_two_institutes_get_two_enquiries_with_distinct_references_and_tokens(db, two_courses):
    sent = submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    assert [s.enquiry.course_id for s in sent] == [course.id for course in two_courses]
    assert [s.enquiry.institute_id for s in sent] == [course.institute_id for course in two_courses]
    assert len({s.enquiry.reference for s in sent}) == 2
    assert len({s.token for s in sent}) == 2 and all(s.created for s in sent)


def test_each_enquiry_stores_the_consent_sentence_naming_its_own_institute(db, two_courses):
    sent = submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    assert [s.enquiry.consent_text for s in sent] == [
        "I agree that Madhapur ML Academy may contact me about its courses I ticked above. "
        "My details go to Madhapur ML Academy alone and to no one else.",
        "I agree that Gachibowli Data School may contact me about its courses I ticked above. "
        "My details go to Gachibowli Data School alone and to no one else.",
    ]


def test_each_enquiry_queues_a_receipt_and_a_notice_to_its_own_institute(db, two_courses):
    sent = submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    for submission in sent:
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.enquiry_id == submission.enquiry.id)
        ).all()
        assert sorted((m.kind, m.to_email) for m in messages) == sorted(
            [
                ("enquiry-receipt", "ravi@example.in"),
                ("enquiry-notice", submission.enquiry.institute.email),
            ]
        )
        receipt = next(m for m in messages if m.kind == "enquiry-receipt")
        assert f"{submission.enquiry.reference}?token={submission.token}" in receipt.body


def test_two_courses_of_one_institute_make_two_enquiries_under_one_consent(db, madhapur):
    courses = [make_course(institute=madhapur), make_course(institute=madhapur)]
    sent = submit_enquiries(db.session, courses, details(), {madhapur.id}, submission_key="k")
    assert [s.enquiry.course_id for s in sent] == [course.id for course in courses]
    assert count(db, EnquiryEvent) == 2


def test_a_closed_course_is_refused_by_name_and_nothing_is_saved(db, two_courses, madhapur):
    archived = make_course(institute=madhapur, title="Old Airflow Course", status=CourseStatus.ARCHIVED)
    refusal = refusal_of(db, [*two_courses, archived], everyone(two_courses))
    assert (refusal.code, refusal.field) == ("course-not-published", "courses")
    assert (refusal.params["course_id"], refusal.params["course"]) == (archived.id, "Old Airflow Course")


def test_a_course_of_an_institute_no_longer_approved_is_refused_by_name(db, two_courses):
    suspended = make_course(
        institute=make_institute(status=InstituteStatus.SUSPENDED), title="Feature Stores"
    )
    refusal = refusal_of(db, [*two_courses, suspended], everyone(two_courses) | {suspended.institute_id})
    assert (refusal.code, refusal.params["course"]) == ("institute-not-approved", "Feature Stores")


def test_missing_consent_for_one_institute_is_refused_naming_it(db, two_courses, madhapur, gachibowli):
    refusal = refusal_of(db, two_courses, {madhapur.id})
    assert (refusal.code, refusal.field) == ("consent-required", "consent")
    assert (refusal.params["institute_id"], refusal.params["institute"]) == (
        gachibowli.id,
        "Gachibowli Data School",
    )


def test_problems_name_each_closed_course_and_each_institute_without_consent_once(db, madhapur, gachibowli):
    courses = [
        make_course(institute=madhapur),
        make_course(institute=madhapur),
        make_course(institute=gachibowli, status=CourseStatus.ARCHIVED),
        make_course(institute=make_institute()),
    ]
    problems = service.enquiries_problems(
        courses, details(preferred_contact=ContactMethod.PHONE, phone=""), {courses[3].institute_id}, None
    )
    assert [(p.code, p.params.get("course_id")) for p in problems if p.code != "consent-required"] == [
        ("phone-required", courses[0].id),
        ("course-not-published", courses[2].id),
    ]
    assert [p.params["institute_id"] for p in problems if p.code == "consent-required"] == [madhapur.id]


def test_no_course_chosen_is_refused_on_the_courses_field(db):
    refusal = refusal_of(db, [], set())
    assert (refusal.code, refusal.field) == ("no-course-chosen", "courses")


def test_a_failure_while_storing_the_second_enquiry_leaves_none(db, two_courses, monkeypatch):
    real_queue = outbox.queue_email
    queued = []

    def lose_the_database_at_the_second_enquiry(session, kind, *args, **kwargs):
        if kind == "enquiry-receipt" and any(k == "enquiry-receipt" for k in queued):
            raise OperationalError("INSERT INTO outbox_messages", {}, Exception("connection lost"))
        queued.append(kind)
        return real_queue(session, kind, *args, **kwargs)

    monkeypatch.setattr(outbox, "queue_email", lose_the_database_at_the_second_enquiry)
    with pytest.raises(EnquiryNotSaved):
        submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    assert queued == ["enquiry-receipt", "enquiry-notice"]
    counts = (count(db, Enquiry), count(db, EnquiryEvent), count(db, OutboxMessage))
    assert counts == (0, 0, 0)


def test_the_same_form_sent_twice_is_answered_with_the_first_enquiries(db, two_courses):
    first = submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    again = submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    assert [s.enquiry.id for s in again] == [s.enquiry.id for s in first]
    assert [(s.created, s.token) for s in again] == [(False, None), (False, None)]
    assert (count(db, Enquiry), count(db, OutboxMessage)) == (2, 4)


def test_a_taken_reference_is_replaced_and_all_enquiries_are_stored(db, two_courses, monkeypatch):
    references = iter(["ENQ-AAAAAA", "ENQ-AAAAAA", "ENQ-BBBBBB", "ENQ-CCCCCC"])
    monkeypatch.setattr(service, "new_reference", lambda: next(references))
    sent = submit_enquiries(db.session, two_courses, details(), everyone(two_courses), submission_key="k")
    assert sorted(s.enquiry.reference for s in sent) == ["ENQ-BBBBBB", "ENQ-CCCCCC"]
    assert count(db, Enquiry) == 2


def test_the_single_enquiry_still_stores_the_course_consent_sentence(db, two_courses):
    result = service.submit_enquiry(db.session, two_courses[0], details(consent=True), submission_key="one")
    assert result.enquiry.consent_text.startswith(
        "I agree that Madhapur ML Academy may contact me about this course."
    )
