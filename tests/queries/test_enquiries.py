"""Reads about enquiries: the learner's own by reference and token, the inbox's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

from catalog.models import EnquiryStatus
from catalog.queries.enquiries import (
    InboxFilters,
    find_by_submission_key,
    find_enquiry,
    inbox_enquiries,
    own_courses,
)
from tests.builders import make_course, make_enquiry, make_institute


def test_an_enquiry_is_found_by_reference_in_any_case_with_its_token(db):
    enquiry = make_enquiry(make_course(), token="secret-token")
    assert find_enquiry(db.session, enquiry.reference.lower(), "secret-token") == enquiry


def test_without_its_token_an_enquiry_is_none(db):
    enquiry = make_enquiry(make_course(), token="secret-token")
    assert find_enquiry(db.session, enquiry.reference, None) is None
    assert find_enquiry(db.session, enquiry.reference, "other-token") is None


def test_an_unknown_reference_is_none(db):
    assert find_enquiry(db.session, "ENQ-NOSUCH", "any-token") is None


def test_an_empty_submission_key_finds_nothing(db):
    make_enquiry(make_course(), submission_key="")
    assert find_by_submission_key(db.session, "") is None
    assert find_by_submission_key(db.session, None) is None


def test_inbox_holds_one_institutes_enquiries_newest_first(db):
    course = make_course()
    older = make_enquiry(course, created_at=datetime(2026, 3, 1, 5, 0, tzinfo=UTC))
    newer = make_enquiry(course, created_at=datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    make_enquiry(make_course())
    assert inbox_enquiries(db.session, course.institute_id, InboxFilters()) == [newer, older]


def test_inbox_days_are_days_in_hyderabad(db):
    course = make_course()
    # 18:31 UTC on 1 March is already 2 March in Hyderabad.
    make_enquiry(course, created_at=datetime(2026, 3, 1, 18, 0, tzinfo=UTC))
    second = make_enquiry(course, created_at=datetime(2026, 3, 1, 18, 31, tzinfo=UTC))
    filters = InboxFilters(received_from=date(2026, 3, 2), received_to=date(2026, 3, 2))
    assert inbox_enquiries(db.session, course.institute_id, filters) == [second]


def test_inbox_filters_by_status_and_course(db):
    course = make_course()
    wanted = make_enquiry(course, status=EnquiryStatus.CONTACTED)
    make_enquiry(course)
    make_enquiry(make_course(institute=course.institute), status=EnquiryStatus.CONTACTED)
    filters = InboxFilters(status=EnquiryStatus.CONTACTED, course_id=course.id)
    assert inbox_enquiries(db.session, course.institute_id, filters) == [wanted]


def test_filters_are_described_for_the_audit_log():
    filters = InboxFilters(status=EnquiryStatus.NEW, course_id=7, received_from=date(2026, 3, 1))
    assert filters.describe() == "status new, course #7, from 2026-03-01"
    assert InboxFilters().describe() == "all"


def test_own_courses_are_the_institutes_courses_by_title(db):
    institute = make_institute()
    b = make_course(institute=institute, title="B course")
    a = make_course(institute=institute, title="A course")
    make_course(title="Elsewhere")
    assert own_courses(db.session, institute.id) == [a, b]
