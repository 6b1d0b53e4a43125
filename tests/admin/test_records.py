"""The admins' records: the search over every kind of record, and the edit pages that use the
portal's forms and services with the admin as the actor.

Requests go through the test client as a signed-in admin, with the CSRF token read from the
page, as a browser sends them.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, BatchStatus, CourseStatus, Mode, Role
from catalog.timeutil import local_today
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_event,
    make_institute,
    make_instructor,
    make_user,
)
from tests.helpers import Auth, count_queries, course_edit_payload, csrf_token, search_titles


@pytest.fixture
def admin(db, auth):
    user = make_user(role=Role.ADMIN, name="Meera Admin")
    auth.login(user)
    return user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post(client, url: str, data: dict):
    """POST ``data`` to the form at ``url`` with the CSRF token that page carries."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def entries_for(db, record) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == type(record).__name__, AuditEntry.record_id == record.id
            )
        )
    )


# The search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["institute", "course", "batch", "event"])
def test_the_search_finds_each_kind_of_record_by_part_of_its_name(client, admin, kind):
    institute = make_institute(name="Charminar Data School")
    course = make_course(institute=institute, title="Feature Stores in Practice")
    batch = make_batch(course)
    event = make_event(title="Feature Store Meetup", institute=institute)
    words = {"institute": "charminar", "course": "FEATURE STORES", "batch": "stores in", "event": "meetup"}
    page = text_of(client.get("/admin/records", query_string={"q": words[kind], "kind": kind}))
    edit_links = {
        "institute": f"/admin/records/institutes/{institute.id}/edit",
        "course": f"/admin/records/courses/{course.id}/edit",
        "batch": f"/admin/records/batches/{batch.id}/edit",
        "event": f"/admin/records/events/{event.id}/edit",
    }
    assert "1 record matches this search" in page
    assert edit_links[kind] in page


def test_the_search_finds_a_record_by_its_web_address(client, admin):
    make_course(title="Serving Models", slug="kserve-bootcamp")
    page = text_of(client.get("/admin/records?q=kserve"))
    assert "Serving Models" in page


def test_the_kind_filter_keeps_one_kind(client, admin):
    institute = make_institute(name="Drift Academy")
    make_course(institute=institute, title="Drift Detection")
    make_event(title="Drift Night", institute=institute)
    page = text_of(client.get("/admin/records?q=drift&kind=event"))
    assert "Drift Night" in page
    assert "Drift Detection" not in page and "Drift Academy</th>" not in page


def test_every_kind_is_searched_when_none_is_chosen(client, admin):
    institute = make_institute(name="Drift Academy")
    make_batch(make_course(institute=institute, title="Drift Detection"))
    make_event(title="Drift Night", institute=institute)
    page = text_of(client.get("/admin/records?q=drift"))
    assert "4 records match this search" in page


def test_the_results_are_paginated(client, admin):
    for n in range(27):
        make_course(title=f"Paged Course {n:02d}")
    first = text_of(client.get("/admin/records?q=paged"))
    second = text_of(client.get("/admin/records?q=paged&page=2"))
    assert "27 records" in first
    assert "Paged Course 00" in first and "Paged Course 25" not in first
    assert "Paged Course 25" in second and "Paged Course 26" in second
    assert 'href="/admin/records?q=paged&amp;page=2"' in client.get("/admin/records?q=paged").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("typed", "found", "not_found"),
    [("100%", "100% Hands-on", "1000 Hours"), ("ml_", "ml_ops Lab", "mlxops Lab")],
)
def test_wildcard_characters_in_the_search_are_plain_characters(client, admin, typed, found, not_found):
    make_course(title=found)
    make_course(title=not_found)
    page = text_of(client.get("/admin/records", query_string={"q": typed}))
    assert found in page
    assert not_found not in page


def test_a_search_too_long_is_told_beside_the_box_not_refused(client, admin):
    response = client.get("/admin/records", query_string={"q": "x" * 101, "page": "abc", "kind": "nonsense"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Use at most 100 characters." in page
    assert "Not a valid choice" in page


def test_the_search_costs_the_same_queries_whatever_the_page_holds(client, admin, db):
    institute = make_institute(name="Query Count Institute")
    make_batch(make_course(institute=institute, title="Query Count Course"))
    make_event(title="Query Count Event", institute=institute)
    client.get("/admin/records")
    with count_queries(db) as few:
        client.get("/admin/records")
    for n in range(4):
        course = make_course(institute=make_institute(), title=f"Query Count {n}")
        make_batch(course)
        make_event(title=f"Query Count Event {n}", institute=course.institute)
    with count_queries(db) as many:
        client.get("/admin/records")
    assert len(many) == len(few)


# Courses ---------------------------------------------------------------------------------------


def test_an_admin_edits_a_course_of_any_institute_in_the_portals_form(client, admin, db):
    course = make_course(institute=make_institute(name="Golconda AI"), title="Model Monitoring")
    url = f"/admin/records/courses/{course.id}/edit"
    response = post(client, url, course_edit_payload(course, title="Model Monitoring with Evidently"))
    assert response.status_code == 302
    db.session.expire_all()
    assert course.title == "Model Monitoring with Evidently"
    assert course.status == CourseStatus.PUBLISHED
    assert "is published and appears in the catalog" in text_of(client.get(response.headers["Location"]))


def test_an_admins_course_save_is_audited_under_the_admins_name(client, admin, db):
    course = make_course(title="Model Monitoring")
    post(client, f"/admin/records/courses/{course.id}/edit", course_edit_payload(course, fee_inr="42000"))
    (entry,) = entries_for(db, course)
    assert entry.user_id == admin.id
    assert entry.changes["fee_inr"] == [50_000, 42_000]


def test_the_search_index_follows_an_admins_course_save(client, admin, db):
    course = make_course(title="Model Monitoring")
    post(
        client,
        f"/admin/records/courses/{course.id}/edit",
        course_edit_payload(course, title="Observability Lab"),
    )
    assert search_titles(db, "observability") == ["Observability Lab"]
    assert search_titles(db, "monitoring") == []


def test_the_course_form_offers_the_courses_own_institutes_campuses_and_instructors(client, admin):
    institute, other = make_institute(), make_institute()
    area = make_area(name="Madhapur")
    make_campus(institute, area, address="Hitech City Road")
    make_campus(other, area, address="Elsewhere Lane")
    make_instructor(institute, name="Ravi Teja")
    make_instructor(other, name="Someone Else")
    course = make_course(institute=institute)
    page = text_of(client.get(f"/admin/records/courses/{course.id}/edit"))
    assert "Hitech City Road" in page and "Ravi Teja" in page
    assert "Elsewhere Lane" not in page and "Someone Else" not in page


def test_an_admin_publishes_an_unverified_institutes_course(client, admin, db):
    course = make_course(institute=make_institute(verified=False), status=CourseStatus.DRAFT)
    post(client, f"/admin/records/courses/{course.id}/edit", course_edit_payload(course))
    db.session.expire_all()
    assert course.status == CourseStatus.PUBLISHED


def test_an_admins_course_promising_placement_goes_to_moderation(client, admin, db):
    course = make_course(status=CourseStatus.DRAFT, title="MLOps Bootcamp")
    url = f"/admin/records/courses/{course.id}/edit"
    response = post(client, url, course_edit_payload(course, summary="Learn serving. 100% placement!"))
    assert response.status_code == 302
    db.session.expire_all()
    assert course.status == CourseStatus.PENDING
    assert "is held for review" in text_of(client.get(response.headers["Location"]))


def test_an_admins_edit_promising_placement_of_a_published_course_waits_for_moderation(client, admin, db):
    course = make_course(title="MLOps Bootcamp")
    url = f"/admin/records/courses/{course.id}/edit"
    post(client, url, course_edit_payload(course, title="MLOps Job Bootcamp", summary="100% placement!"))
    assert "MLOps Bootcamp" in text_of(client.get("/admin/moderation"))
    assert search_titles(db, "bootcamp") == ["MLOps Bootcamp"]


def test_a_held_edit_is_what_the_admins_course_form_holds(client, admin):
    course = make_course(title="MLOps Bootcamp")
    url = f"/admin/records/courses/{course.id}/edit"
    post(client, url, course_edit_payload(course, title="MLOps Job Bootcamp", summary="100% placement!"))
    page = text_of(client.get(url))
    assert "Changes to this published listing wait for review." in page
    assert 'value="MLOps Job Bootcamp"' in page


def test_a_course_saved_from_an_outdated_form_is_refused_with_409_and_nothing_overwritten(
    app, client, db, admin
):
    institute = make_institute()
    course = make_course(institute=institute, title="Model Monitoring")
    url = f"/admin/records/courses/{course.id}/edit"
    staff = app.test_client()
    Auth(staff).login(make_user(institute, name="Asha Staff"))
    stale_form = course_edit_payload(course, title="Monitoring Models", csrf_token=csrf_token(client, url))
    portal_url = f"/portal/courses/{course.id}/edit"
    staff_form = course_edit_payload(
        course, title="Model Monitoring 2026", csrf_token=csrf_token(staff, portal_url)
    )
    assert staff.post(portal_url, data=staff_form).status_code == 302

    refused = client.post(url, data=stale_form)
    assert refused.status_code == 409
    page = text_of(refused)
    assert "Nothing was overwritten" in page
    assert "Asha Staff" in page and "Model Monitoring 2026" in page
    db.session.expire_all()
    assert course.title == "Model Monitoring 2026"
    assert f'name="version" type="hidden" value="{course.version}"' in page


def test_a_course_form_with_bad_input_shows_the_message_beside_the_field(client, admin, db):
    course = make_course(title="Model Monitoring")
    response = post(
        client, f"/admin/records/courses/{course.id}/edit", course_edit_payload(course, fee_inr="-5")
    )
    assert response.status_code == 200
    assert '<p class="field-error" id="fee_inr-error">The fee cannot be negative.</p>' in text_of(response)
    db.session.expire_all()
    assert course.fee_inr == 50_000


def test_an_archived_course_is_shown_without_its_form(client, admin):
    course = make_course(status=CourseStatus.ARCHIVED)
    page = text_of(client.get(f"/admin/records/courses/{course.id}/edit"))
    assert "This course is archived" in page
    assert 'name="title"' not in page


def test_an_unknown_record_is_not_found(client, admin):
    assert client.get("/admin/records/courses/999999/edit").status_code == 404
    assert client.get("/admin/records/events/999999/edit").status_code == 404


def test_a_save_without_its_csrf_token_is_refused(client, admin, db):
    course = make_course(title="Unchanged")
    response = client.post(
        f"/admin/records/courses/{course.id}/edit", data=course_edit_payload(course, title="X")
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert course.title == "Unchanged"


# Batches, events and institutes ------------------------------------------------------------------


def batch_form(**overrides) -> dict:
    data = {
        "start_date": (local_today() + timedelta(days=20)).isoformat(),
        "schedule": "weekend",
        "mode": "online",
        "campus": "",
        "seats_total": "40",
        "seats_left": "12",
    }
    return {**data, **overrides}


def test_an_admin_edits_a_batch_and_the_audit_names_the_admin(client, admin, db):
    batch = make_batch(make_course(mode=Mode.ONLINE))
    response = post(client, f"/admin/records/batches/{batch.id}/edit", batch_form(seats_left="0"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (batch.seats_total, batch.seats_left, batch.status) == (40, 0, BatchStatus.FULL)
    (entry,) = entries_for(db, batch)
    assert entry.user_id == admin.id


def test_a_batch_refusal_of_the_service_is_shown_beside_its_field(client, admin, db):
    batch = make_batch(make_course())
    response = post(client, f"/admin/records/batches/{batch.id}/edit", batch_form(seats_left="90"))
    assert response.status_code == 200
    assert "Seats left cannot be more than the seats in total." in text_of(response)
    db.session.expire_all()
    assert batch.seats_total == 30


def test_a_batch_offers_only_its_courses_institutes_campuses(client, admin):
    institute, other = make_institute(), make_institute()
    area = make_area()
    make_campus(institute, area, address="Our Road")
    make_campus(other, area, address="Their Road")
    batch = make_batch(make_course(institute=institute))
    page = text_of(client.get(f"/admin/records/batches/{batch.id}/edit"))
    assert "Our Road" in page and "Their Road" not in page


def event_form(area, **overrides) -> dict:
    day = (local_today() + timedelta(days=9)).isoformat()
    data = {
        "title": "MLOps Meetup #12",
        "kind": "meetup",
        "description": "Talks on model registries.",
        "starts_on": day,
        "starts_time": "18:30",
        "ends_on": "",
        "ends_time": "20:30",
        "venue": "T-Hub",
        "area": str(area.id),
        "fee_inr": "0",
        "url": "",
    }
    return {**data, **overrides}


def test_an_admin_edits_an_institutes_event(client, admin, db):
    institute = make_institute(name="Deccan MLOps Academy")
    event = make_event(institute=institute, organiser="Deccan MLOps Academy")
    response = post(client, f"/admin/records/events/{event.id}/edit", event_form(make_area()))
    assert response.status_code == 302
    db.session.expire_all()
    assert (event.title, event.organiser) == ("MLOps Meetup #12", "Deccan MLOps Academy")
    (entry,) = entries_for(db, event)
    assert entry.user_id == admin.id


def test_an_event_of_no_institute_keeps_its_organiser(client, admin, db):
    event = make_event(institute=None, organiser="Hyderabad MLOps Circle")
    response = post(client, f"/admin/records/events/{event.id}/edit", event_form(make_area()))
    assert response.status_code == 302
    db.session.expire_all()
    assert (event.title, event.organiser, event.institute_id) == (
        "MLOps Meetup #12",
        "Hyderabad MLOps Circle",
        None,
    )


def test_an_event_ending_before_it_starts_is_told_beside_the_end_time(client, admin, db):
    event = make_event(title="Unchanged")
    response = post(
        client, f"/admin/records/events/{event.id}/edit", event_form(make_area(), ends_time="17:00")
    )
    assert response.status_code == 200
    assert "The event must end after it starts." in text_of(response)
    db.session.expire_all()
    assert event.title == "Unchanged"


def institute_form(**overrides) -> dict:
    data = {
        "name": "Deccan MLOps Academy",
        "description": "Evening and weekend MLOps programs.",
        "website": "https://deccan.example.in",
        "email": "hello@deccan.example.in",
        "phone": "040 2373 4418",
        "founded_year": "2016",
        "partners": "CloudWorks\nDataForge",
    }
    return {**data, **overrides}


def test_an_admin_edits_an_institutes_profile(client, admin, db):
    institute = make_institute(name="Deccan Academy", slug="deccan")
    response = post(client, f"/admin/records/institutes/{institute.id}/edit", institute_form())
    assert response.status_code == 302
    db.session.expire_all()
    assert (institute.name, institute.phone, institute.slug) == (
        "Deccan MLOps Academy",
        "+914023734418",
        "deccan",
    )
    assert [partner.name for partner in institute.partners] == ["CloudWorks", "DataForge"]
    (entry,) = entries_for(db, institute)
    assert entry.user_id == admin.id


def test_an_institute_profile_with_a_bad_phone_shows_the_message_beside_it(client, admin, db):
    institute = make_institute(name="Deccan Academy")
    response = post(client, f"/admin/records/institutes/{institute.id}/edit", institute_form(phone="12"))
    assert response.status_code == 200
    assert "Enter a phone number with its area code" in text_of(response)
    db.session.expire_all()
    assert institute.name == "Deccan Academy"
