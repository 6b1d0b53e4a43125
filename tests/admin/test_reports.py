"""Learner reports in the admin area: the queue (waiting first, filtered, paged at a fixed cost),
links to each listing, resolving and dismissing with a note, and the dashboard figure."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from catalog.extensions import db as _db
from catalog.models import ListingReport, ReportReason, ReportStatus, Role
from catalog.services.reports import ReportDetails, close_report, submit_report
from tests.builders import make_course, make_institute, make_user
from tests.helpers import count_queries, find_csrf_token


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


def reported(listing, reason=ReportReason.WRONG_FEE, details: str = "") -> ListingReport:
    return submit_report(_db.session, listing, ReportDetails(reason, details))


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def close_form(client, report: ListingReport, button: str, note: str = "") -> dict[str, str]:
    html = page_text(client, "/admin/reports")
    prefix = f"report-{report.id}-"
    token = re.search(rf'name="{prefix}csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)"[^>]*name="{prefix}csrf_token"', html
    )
    assert token, "no close form for this report"
    return {f"{prefix}csrf_token": token.group(1), f"{prefix}note": note, f"{prefix}{button}": "y"}


def test_the_reports_page_is_in_the_admin_menu(client, admin):
    assert 'href="/admin/reports"' in page_text(client, "/admin/")


def test_a_report_shows_its_listing_reason_and_details(client, admin):
    course = make_course(title="MLOps Weekend")
    reported(course, ReportReason.BATCH_NOT_RUNNING, "The March batch was cancelled.")
    html = page_text(client, "/admin/reports")
    for text in ("MLOps Weekend", "A batch is not running", "The March batch was cancelled."):
        assert text in html


def test_a_course_report_links_to_the_public_page_and_moderation(client, admin):
    course = make_course()
    reported(course)
    html = page_text(client, "/admin/reports")
    assert f'href="/courses/{course.slug}"' in html
    assert f'href="/admin/moderation/courses/{course.id}"' in html


def test_an_institute_report_links_to_the_public_and_admin_pages(client, admin):
    institute = make_institute()
    reported(institute)
    html = page_text(client, "/admin/reports")
    assert f'href="/institutes/{institute.slug}"' in html
    assert f'href="/admin/institutes/{institute.id}"' in html


def test_waiting_reports_come_before_closed_ones(db, client, admin):
    course = make_course()
    waiting = reported(course, details="Still waiting")
    closed = reported(course, details="Already closed")
    close_report(db.session, admin, closed, ReportStatus.DISMISSED)
    closed.created_at = waiting.created_at + timedelta(minutes=5)
    db.session.commit()
    html = page_text(client, "/admin/reports")
    assert html.index("Still waiting") < html.index("Already closed")


def test_the_status_filter_shows_only_reports_of_that_status(db, client, admin):
    course = make_course()
    reported(course, details="Still waiting")
    close_report(db.session, admin, reported(course, details="Already closed"), ReportStatus.RESOLVED)
    html = page_text(client, "/admin/reports?status=resolved")
    assert "Already closed" in html
    assert "Still waiting" not in html


def test_an_unknown_status_filter_shows_every_report_with_a_message(client, admin):
    reported(make_course(), details="Still waiting")
    html = page_text(client, "/admin/reports?status=bogus")
    assert "Still waiting" in html
    assert "Some filters were not applied" in html


def test_the_list_costs_the_same_queries_for_one_report_or_many(db, client, admin):
    reported(make_course())
    reported(make_institute())
    client.get("/admin/reports")
    with count_queries(db) as few:
        client.get("/admin/reports")
    for _ in range(6):
        reported(make_course())
        reported(make_institute())
    with count_queries(db) as many:
        client.get("/admin/reports")
    assert len(many) == len(few)


def test_the_list_is_paginated(db, client, admin):
    course = make_course()
    for n in range(26):
        reported(course, details=f"Report number {n:02d}")
    first, second = page_text(client, "/admin/reports"), page_text(client, "/admin/reports?page=2")
    assert first.count("Report number") == 25
    assert second.count("Report number") == 1


def test_resolving_a_report_with_a_note_closes_it(db, client, admin):
    report = reported(make_course())
    response = client.post(
        f"/admin/reports/{report.id}/close", data=close_form(client, report, "resolve", "Fee corrected.")
    )
    assert response.status_code == 303
    db.session.expire_all()
    report = db.session.get(ListingReport, report.id)
    assert (report.status, report.resolution_note, report.resolved_by_id) == (
        ReportStatus.RESOLVED,
        "Fee corrected.",
        admin.id,
    )
    assert "is resolved" in page_text(client, response.headers["Location"])


def test_dismissing_a_report_closes_it(db, client, admin):
    report = reported(make_course())
    client.post(f"/admin/reports/{report.id}/close", data=close_form(client, report, "dismiss"))
    db.session.expire_all()
    assert db.session.get(ListingReport, report.id).status == ReportStatus.DISMISSED


def test_closing_a_report_twice_says_it_was_already_closed(db, client, admin):
    report = reported(make_course())
    form = close_form(client, report, "resolve")
    client.post(f"/admin/reports/{report.id}/close", data=form)
    response = client.post(f"/admin/reports/{report.id}/close", data=form, follow_redirects=True)
    assert "Someone already closed this report" in response.get_data(as_text=True)


def test_closing_without_a_csrf_token_changes_nothing(db, client, admin):
    report = reported(make_course())
    response = client.post(f"/admin/reports/{report.id}/close", data={f"report-{report.id}-resolve": "y"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(ListingReport, report.id).is_waiting


def test_an_overlong_note_is_refused_with_message(db, client, admin):
    report = reported(make_course())
    form = close_form(client, report, "resolve", "n" * 1001)
    response = client.post(f"/admin/reports/{report.id}/close", data=form, follow_redirects=True)
    assert "Keep the note to 1,000 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ListingReport, report.id).is_waiting


def test_closing_an_unknown_report_is_not_found(client, admin):
    token = find_csrf_token(page_text(client, "/admin/"))
    assert client.post("/admin/reports/999999/close", data={"csrf_token": token}).status_code == 404


def test_the_dashboard_counts_waiting_reports_and_links_to_them(db, client, admin):
    course = make_course()
    reported(course)
    reported(course)
    close_report(db.session, admin, reported(course), ReportStatus.DISMISSED)
    html = page_text(client, "/admin/")
    assert re.search(r'href="/admin/reports\?status=new"><strong>2</strong> learner reports waiting', html)
