"""The portal dashboard: what needs the institute's attention, with the right numbers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from catalog.models import BatchStatus, CourseStatus, EnquiryStatus
from catalog.timeutil import local_today
from tests.builders import make_batch, make_course, make_enquiry, make_institute, make_user


@pytest.fixture
def institute(db):
    return make_institute(name="Madhapur Model Ops")


@pytest.fixture
def dashboard(client, auth, institute):
    """The dashboard's HTML as staff of ``institute`` see it (call after building the data)."""
    auth.login(make_user(institute=institute))

    def get() -> str:
        response = client.get("/portal/")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def stat(html: str, label: str) -> int:
    match = re.search(r"<strong>(\d+)</strong> " + label, html)
    assert match, f"no figure for {label!r}"
    return int(match.group(1))


def test_counts_new_enquiries_of_the_institute_only(dashboard, institute):
    course = make_course(institute=institute)
    make_enquiry(course)
    make_enquiry(course)
    make_enquiry(course, status=EnquiryStatus.CONTACTED)
    make_enquiry(make_course())
    assert stat(dashboard(), "new enquiries") == 2


def test_lists_the_latest_new_enquiries_with_links(dashboard, institute):
    course = make_course(institute=institute, title="Model Serving Bootcamp")
    enquiry = make_enquiry(course, name="Farhan Ali")
    html = dashboard()
    assert f'href="/portal/enquiries/{enquiry.id}">{enquiry.reference}</a>' in html
    assert "Farhan Ali" in html and "Model Serving Bootcamp" in html
    assert 'href="/portal/enquiries?status=new"' in html


def test_counts_courses_by_status(dashboard, institute):
    for status, how_many in ((CourseStatus.PUBLISHED, 3), (CourseStatus.PENDING, 2), (CourseStatus.DRAFT, 1)):
        for _ in range(how_many):
            make_course(institute=institute, status=status)
    make_course(institute=institute, status=CourseStatus.ARCHIVED)
    make_course(status=CourseStatus.PUBLISHED)
    html = dashboard()
    assert stat(html, "published courses") == 3
    assert stat(html, "courses awaiting review") == 2
    assert stat(html, "draft course") == 1


def test_shows_upcoming_batches_with_seats_left(dashboard, institute):
    course = make_course(institute=institute, title="Kubernetes for ML")
    upcoming = make_batch(course, starts_in_days=9, seats_total=30, seats_left=7)
    make_batch(course, starts_in_days=-20)
    make_batch(make_course(title="Another Institute's Course"), starts_in_days=5)
    html = dashboard()
    assert upcoming.start_date.strftime("%-d %b %Y") in html
    assert "7 of 30 seats left" in html
    assert "Kubernetes for ML" in html
    assert "Another Institute's Course" not in html
    assert html.count("seats left") == 1


def test_a_closed_batch_is_not_upcoming(dashboard, institute):
    make_batch(make_course(institute=institute, title="Closed Intake"), status=BatchStatus.CLOSED)
    assert "Closed Intake" not in dashboard()


def test_a_full_batch_says_full(dashboard, institute):
    make_batch(make_course(institute=institute), seats_left=0)
    assert '<span class="status status-full">Full</span>' in dashboard()


def test_lists_syllabi_reviewed_more_than_a_year_ago(dashboard, institute):
    today = local_today()
    stale = make_course(
        institute=institute, title="Jenkins Pipelines", syllabus_reviewed_on=today - timedelta(days=400)
    )
    make_course(institute=institute, title="Fresh Syllabus", syllabus_reviewed_on=today - timedelta(days=30))
    html = dashboard()
    review = html.split('id="review-heading"', 1)[1]
    assert "Jenkins Pipelines" in review
    assert f"reviewed {stale.syllabus_reviewed_on.strftime('%-d %b %Y')}" in review
    assert "more than 365 days ago" in review
    assert "Fresh Syllabus" not in review


def test_a_syllabus_reviewed_seven_months_ago_is_not_due_as_on_the_course_page(dashboard, institute):
    """The dashboard and the course page share one rule (365 days); the dashboard once used 183."""
    reviewed = local_today() - timedelta(days=200)
    course = make_course(institute=institute, title="Jenkins Pipelines", syllabus_reviewed_on=reviewed)
    review = dashboard().split('id="review-heading"', 1)[1]
    assert "Jenkins Pipelines" not in review
    assert not course.syllabus_is_stale(local_today())


def test_says_so_when_nothing_needs_attention(dashboard):
    html = dashboard()
    assert "No new enquiries." in html
    assert "No batches scheduled." in html
    assert "Every published or pending course had its syllabus reviewed in the last 365 days." in html


def test_leaves_out_batches_of_archived_courses(dashboard, institute):
    archived = make_course(title="Retired Programme", institute=institute, status=CourseStatus.ARCHIVED)
    make_batch(archived, starts_in_days=8)
    assert "Retired Programme" not in dashboard()
