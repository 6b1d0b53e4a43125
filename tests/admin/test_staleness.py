"""The staleness report: stale syllabi with their last reminder, institutes without upcoming
batches, and the "Send a reminder" button (refused with a message when too soon)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from catalog.models import OutboxMessage, Role
from catalog.timeutil import local_today
from tests.builders import make_batch, make_course, make_institute, make_user
from tests.helpers import count_queries, csrf_token


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


@pytest.fixture
def stale(db):
    institute = make_institute(name="Hitec City MLOps Lab", email="team@hitec.in")
    reviewed = local_today() - timedelta(days=400)
    return make_course(title="Monitoring with Evidently", institute=institute, syllabus_reviewed_on=reviewed)


def remind(client, course):
    token = csrf_token(client, "/admin/staleness")
    return client.post(f"/admin/staleness/courses/{course.id}/reminder", data={"csrf_token": token})


def outbox_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_the_report_lists_stale_syllabi_and_not_fresh_ones(client, admin, stale):
    make_course(title="Freshly reviewed")
    html = client.get("/admin/staleness").get_data(as_text=True)
    assert "Monitoring with Evidently" in html
    assert "Freshly reviewed" not in html


def test_sending_a_reminder_queues_the_email_and_says_so(client, db, admin, stale):
    response = remind(client, stale)
    assert response.status_code == 302
    assert "Reminder queued" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.to_email)) == "team@hitec.in"


def test_the_report_shows_when_the_institute_was_last_reminded(client, admin, stale):
    remind(client, stale)
    html = client.get("/admin/staleness").get_data(as_text=True)
    assert local_today().strftime("%-d %b %Y") in html.split("Monitoring with Evidently", 1)[1]


def test_a_course_reminded_within_30_days_shows_the_next_date_instead_of_the_button(client, admin, stale):
    remind(client, stale)
    row = client.get("/admin/staleness").get_data(as_text=True).split("Monitoring with Evidently", 1)[1]
    next_on = (local_today() + timedelta(days=30)).strftime("%-d %b %Y")
    assert "Next reminder from <time" in row and next_on in row
    assert "Send a reminder" not in row


def test_a_second_reminder_within_30_days_is_refused_with_the_next_date(client, db, admin, stale):
    remind(client, stale)
    response = remind(client, stale)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    next_on = (local_today() + timedelta(days=30)).strftime("%-d %b %Y")
    assert "already reminded" in html
    assert next_on in html
    assert outbox_count(db) == 1


def test_a_reminder_without_a_csrf_token_is_refused_and_sends_nothing(client, db, admin, stale):
    response = client.post(f"/admin/staleness/courses/{stale.id}/reminder", data={})
    assert response.status_code == 400
    assert outbox_count(db) == 0


def test_a_reminder_about_a_course_that_does_not_exist_is_explained(client, db, admin):
    token = csrf_token(client, "/admin/staleness")
    response = client.post("/admin/staleness/courses/999999/reminder", data={"csrf_token": token})
    assert "no longer exists" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_institutes_without_an_upcoming_batch_are_listed(client, admin):
    idle = make_institute(name="Idle Institute")
    make_batch(make_course(institute=idle), starts_in_days=-30)
    busy = make_institute(name="Busy Institute")
    make_batch(make_course(institute=busy))
    html = client.get("/admin/staleness/institutes?problem=no-batch").get_data(as_text=True)
    assert "Idle Institute" in html
    assert "Busy Institute" not in html


def test_an_unknown_institute_problem_is_a_clear_not_found(client, admin):
    response = client.get("/admin/staleness/institutes?problem=nothing")
    assert response.status_code == 404


def test_the_report_costs_the_same_queries_whatever_its_size(client, db, admin, stale):
    remind(client, stale)
    client.get("/admin/staleness")
    with count_queries(db) as few:
        client.get("/admin/staleness")
    for _ in range(5):
        make_course(institute=make_institute(), syllabus_reviewed_on=None)
    with count_queries(db) as many:
        client.get("/admin/staleness")
    assert len(many) == len(few)
