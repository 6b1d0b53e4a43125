"""The data-quality dashboard: each figure, each linked to the list behind it, at a fixed cost."""

from __future__ import annotations

import re

import pytest

from catalog.models import CourseStatus, InstituteStatus, Role
from tests.builders import make_batch, make_course, make_institute, make_user
from tests.helpers import count_queries


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def figure(html: str, words: str) -> str:
    """The number shown before ``words`` on the dashboard."""
    match = re.search(r"<strong>(\d+)</strong> " + re.escape(words), html)
    assert match, f"no figure for {words!r}"
    return match.group(1)


def test_the_dashboard_counts_published_listings_without_a_fee(client, admin):
    make_batch(make_course(fee_inr=0))
    assert figure(page(client, "/admin/"), "listing without a fee") == "1"


def test_the_fee_figure_links_to_the_listings_without_a_fee(client, admin):
    make_batch(make_course(title="Free taster", fee_inr=0))
    make_batch(make_course(title="Paid bootcamp"))
    assert 'href="/admin/courses?problem=no-fee"' in page(client, "/admin/")
    listing = page(client, "/admin/courses?problem=no-fee")
    assert "Free taster" in listing
    assert "Paid bootcamp" not in listing


@pytest.mark.parametrize("problem", ["no-fee", "no-refund", "no-batch", "stale", "pending"])
def test_every_course_problem_has_its_list(client, admin, problem):
    assert "courses" in page(client, f"/admin/courses?problem={problem}")


def test_an_unknown_problem_is_a_clear_not_found(client, admin):
    response = client.get("/admin/courses?problem=<script>")
    assert response.status_code == 404
    assert "open one from the admin dashboard" in response.get_data(as_text=True)


def test_the_dashboard_shows_batches_still_marked_open_after_their_start(client, admin):
    make_batch(make_course(), starts_in_days=-2)
    assert figure(page(client, "/admin/"), "batch marked open that has started") == "1"


def test_pending_institutes_figure_links_to_their_list(client, admin):
    make_institute(name="Kukatpally Cloud School", status=InstituteStatus.PENDING)
    html = page(client, "/admin/")
    assert figure(html, "institute waiting for approval") == "1"
    assert 'href="/admin/staleness/institutes?problem=pending"' in html
    assert "Kukatpally Cloud School" in page(client, "/admin/staleness/institutes?problem=pending")


def test_pending_courses_figure_counts_listings_waiting_for_moderation(client, admin):
    make_course(status=CourseStatus.PENDING)
    assert figure(page(client, "/admin/"), "course listing waiting for moderation") == "1"


def test_failed_emails_link_to_the_outbox_when_it_has_a_page(client, app, admin):
    html = page(client, "/admin/")
    assert figure(html, "emails that could not be delivered") == "0"
    if "admin.outbox" in app.view_functions:
        assert "/admin/outbox?status=failed" in html


def test_the_course_list_costs_the_same_queries_whatever_its_size(client, db, admin):
    make_course(fee_inr=0)
    client.get("/admin/courses?problem=no-fee")
    with count_queries(db) as few:
        client.get("/admin/courses?problem=no-fee")
    for _ in range(5):
        make_course(fee_inr=0, institute=make_institute())
    with count_queries(db) as many:
        client.get("/admin/courses?problem=no-fee")
    assert len(many) == len(few)


def test_the_dashboard_costs_the_same_queries_whatever_the_catalog_holds(client, db, admin):
    client.get("/admin/")
    with count_queries(db) as few:
        client.get("/admin/")
    for _ in range(5):
        make_batch(make_course(fee_inr=0), starts_in_days=-1)
    with count_queries(db) as many:
        client.get("/admin/")
    assert len(many) == len(few)


def test_admins_see_an_admin_link_in_the_header(client, admin):
    assert 'href="/admin/">Admin</a>' in page(client, "/")


def test_institute_staff_see_no_admin_link(client, auth):
    auth.login(make_user())
    assert ">Admin</a>" not in page(client, "/")
