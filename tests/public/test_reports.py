"""Learner reports on public pages: "Report a problem with this listing" on course and institute
pages, a form with a honeypot and a minimum fill time, limited per address, never showing reports."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from catalog.models import (
    AuditEntry,
    CourseStatus,
    InstituteStatus,
    ListingReport,
    ReportReason,
    ReportStatus,
)
from tests.builders import make_course, make_institute

HIDDEN_RE = re.compile(r'<input[^>]*name="(csrf_token|submission_key|form_stamp)"[^>]*value="([^"]*)"')


def report_form(client, url: str, **answers: str) -> dict[str, str]:
    """The report form at ``url`` as a browser sends it back, with the learner's answers."""
    page = client.get(url)
    assert page.status_code == 200
    fields = dict(HIDDEN_RE.findall(page.get_data(as_text=True)))
    return {**fields, "reason": "wrong-fee", "details": "", "email": "", "website": "", **answers}


def reports(db) -> list[ListingReport]:
    return list(db.session.scalars(select(ListingReport).order_by(ListingReport.id)))


def test_course_page_links_to_its_report_form(client):
    course = make_course()
    html = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert f'href="/courses/{course.slug}/report"' in html
    assert "Report a problem with this listing" in html


def test_institute_page_links_to_its_report_form(client):
    institute = make_institute()
    html = client.get(f"/institutes/{institute.slug}").get_data(as_text=True)
    assert f'href="/institutes/{institute.slug}/report"' in html


def test_report_form_offers_the_four_reasons(client):
    course = make_course()
    html = client.get(f"/courses/{course.slug}/report").get_data(as_text=True)
    for text in ("The fee is wrong", "A batch is not running", "A misleading claim", "Something else"):
        assert text in html


def test_a_course_report_is_stored_and_thanked_for(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    form = report_form(client, url, details="They asked me for ₹80,000.", email=" Asha@Example.IN ")
    response = client.post(url, data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/courses/{course.slug}")
    [report] = reports(db)
    assert (report.course_id, report.institute_id) == (course.id, None)
    assert report.reason == ReportReason.WRONG_FEE
    assert report.details == "They asked me for ₹80,000."
    assert report.email == "asha@example.in"
    assert report.status == ReportStatus.NEW
    assert "Thank you" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_institute_report_is_stored_against_the_institute(client, db):
    institute = make_institute()
    url = f"/institutes/{institute.slug}/report"
    response = client.post(url, data=report_form(client, url, reason="misleading-claim"))
    assert response.status_code == 303
    [report] = reports(db)
    assert (report.course_id, report.institute_id) == (None, institute.id)


def test_a_report_appears_in_the_listing_history(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    client.post(url, data=report_form(client, url, email="asha@example.in"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "learner-report"))
    assert (entry.record_type, entry.record_id, entry.institute_id) == (
        "Course",
        course.id,
        course.institute_id,
    )
    assert "asha@example.in" not in str(entry.changes) + entry.summary


def test_other_without_details_is_refused_with_message(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url, reason="other"))
    assert response.status_code == 400
    assert "Tell us what is wrong" in response.get_data(as_text=True)
    assert reports(db) == []


def test_a_missing_reason_is_refused_with_message(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url, reason=""))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose what is wrong with this listing" in html
    assert "Tell us what is wrong" not in html


def test_an_invalid_email_is_refused_with_message(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url, email="asha@"))
    assert response.status_code == 400
    assert "Enter a valid email address" in response.get_data(as_text=True)
    assert reports(db) == []


def test_overlong_details_are_refused_with_message(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url, details="x" * 2001))
    assert response.status_code == 400
    assert "2,000 characters or fewer" in response.get_data(as_text=True)


def test_a_filled_honeypot_is_refused(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url, website="https://spam.example"))
    assert response.status_code == 400
    assert "Leave this empty" in response.get_data(as_text=True)
    assert reports(db) == []


def test_a_report_sent_faster_than_anyone_can_fill_it_is_refused(app, client, db):
    app.config["ENQUIRY_MIN_SECONDS"] = 60
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url))
    assert response.status_code == 400
    assert "quicker than anyone" in response.get_data(as_text=True)


def test_a_forged_stamp_is_refused(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    response = client.post(url, data=report_form(client, url, form_stamp="forged"))
    assert response.status_code == 400
    assert "We could not check this form" in response.get_data(as_text=True)


def test_reports_are_limited_per_address(app, client, db):
    app.config["REPORT_LIMITS_PER_ADDRESS"] = "2 per hour"
    course = make_course()
    institute = make_institute()
    course_url, institute_url = f"/courses/{course.slug}/report", f"/institutes/{institute.slug}/report"
    assert client.post(course_url, data=report_form(client, course_url)).status_code == 303
    assert client.post(institute_url, data=report_form(client, institute_url)).status_code == 303
    refused = client.post(course_url, data=report_form(client, course_url))
    assert refused.status_code == 429
    assert len(reports(db)) == 2


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PENDING])
def test_an_unpublished_course_cannot_be_reported(client, status):
    course = make_course(status=status)
    assert client.get(f"/courses/{course.slug}/report").status_code == 404


def test_an_institute_not_approved_cannot_be_reported(client):
    institute = make_institute(status=InstituteStatus.PENDING)
    assert client.get(f"/institutes/{institute.slug}/report").status_code == 404


def test_the_report_page_never_shows_other_reports(client, db):
    course = make_course()
    url = f"/courses/{course.slug}/report"
    client.post(url, data=report_form(client, url, details="Secret words from another learner"))
    assert "Secret words" not in client.get(url).get_data(as_text=True)
    assert "Secret words" not in client.get(f"/courses/{course.slug}").get_data(as_text=True)
