"""The admins' institute pages: the filtered list, an institute's page, and its actions through
the browser's forms; suspension as staff and learners meet it (sign-in, search)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from catalog.models import InstituteStatus, OutboxMessage, Role, UserSession
from catalog.services.sessions import start_session
from tests.builders import TEST_PASSWORD, make_course, make_institute, make_user
from tests.helpers import count_queries, csrf_token, search_titles


@pytest.fixture
def admin(db, auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def act(client, institute, action: str, **data):
    url = f"/admin/institutes/{institute.id}"
    return client.post(f"{url}/{action}", data={"csrf_token": csrf_token(client, url), **data})


def test_the_list_finds_institutes_by_part_of_the_name(client, admin):
    make_institute(name="Banjara Data Academy")
    make_institute(name="Gachibowli ML School")
    page = text_of(client.get("/admin/institutes?name=banjara"))
    assert "Banjara Data Academy" in page
    assert "Gachibowli ML School" not in page


def test_the_list_filters_by_status(client, admin):
    make_institute(name="Waiting Institute", status=InstituteStatus.PENDING)
    make_institute(name="Open Institute")
    page = text_of(client.get("/admin/institutes?status=pending"))
    assert "Waiting Institute" in page
    assert "Open Institute" not in page


def test_the_list_filters_by_the_verified_mark(client, admin):
    make_institute(name="Checked Institute", verified=True)
    make_institute(name="Unchecked Institute", verified=False)
    page = text_of(client.get("/admin/institutes?verified=no"))
    assert "Unchecked Institute" in page
    assert "Checked Institute" not in page.replace("Unchecked Institute", "")


def test_an_unknown_filter_value_is_shown_not_a_server_error(client, admin):
    response = client.get("/admin/institutes?status=banned&page=abc")
    assert response.status_code == 200
    assert "Not a valid choice" in text_of(response)


def test_the_list_costs_the_same_queries_whatever_its_length(client, admin, db):
    make_institute()
    client.get("/admin/institutes")
    with count_queries(db) as few:
        client.get("/admin/institutes")
    for _ in range(5):
        make_institute()
    with count_queries(db) as many:
        client.get("/admin/institutes")
    assert len(many) == len(few)


def test_the_list_is_paginated(client, admin):
    for n in range(26):
        make_institute(name=f"Paged Institute {n:02d}")
    first, second = text_of(client.get("/admin/institutes")), text_of(client.get("/admin/institutes?page=2"))
    assert "Paged Institute 00" in first and "Paged Institute 25" not in first
    assert "Paged Institute 25" in second


def test_an_institutes_page_shows_its_staff_and_courses(client, admin):
    institute = make_institute()
    make_user(institute, email="staff.member@example.in")
    make_course(institute=institute, title="Feature stores with Feast")
    page = text_of(client.get(f"/admin/institutes/{institute.id}"))
    assert "staff.member@example.in" in page
    assert "Feature stores with Feast" in page


def test_an_unknown_institute_is_not_found(client, admin):
    assert client.get("/admin/institutes/999999").status_code == 404


def test_approving_opens_a_pending_institute(client, admin, db):
    institute = make_institute(status=InstituteStatus.PENDING)
    response = act(client, institute, "approve")
    assert response.status_code == 302
    db.session.expire_all()
    assert institute.status == InstituteStatus.APPROVED


def test_approving_emails_the_staff(client, admin, db):
    institute = make_institute(status=InstituteStatus.PENDING)
    staff = make_user(institute)
    act(client, institute, "approve")
    kinds = db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_email == staff.email)).all()
    assert kinds == ["institute-approved"]


def test_a_suspended_institute_is_not_approved_but_told_to_be_reinstated(client, admin, db):
    institute = make_institute(status=InstituteStatus.SUSPENDED)
    act(client, institute, "approve")
    assert "reinstate it instead" in text_of(client.get(f"/admin/institutes/{institute.id}"))
    db.session.expire_all()
    assert institute.status == InstituteStatus.SUSPENDED


def test_verifying_and_unverifying_set_the_mark(client, admin, db):
    institute = make_institute(verified=False)
    act(client, institute, "verify")
    db.session.expire_all()
    assert institute.verified
    act(client, institute, "unverify")
    db.session.expire_all()
    assert not institute.verified


def test_an_action_without_the_forms_token_changes_nothing(client, admin, db):
    institute = make_institute(verified=False)
    response = client.post(f"/admin/institutes/{institute.id}/verify", data={})
    assert response.status_code == 400
    db.session.expire_all()
    assert not institute.verified


def test_suspending_takes_its_courses_out_of_search(client, admin, db):
    institute = make_institute()
    make_course(institute=institute, title="Drift monitoring with Evidently")
    act(client, institute, "suspend", reason="Invented placement figures.")
    assert search_titles(db, "evidently") == []


def test_suspending_ends_its_staffs_sessions(client, admin, db):
    institute = make_institute()
    staff = make_user(institute)
    start_session(db.session, staff)
    act(client, institute, "suspend", reason="Invented placement figures.")
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == staff.id, UserSession.ended_at.is_(None))
    ).all()
    assert live == []


def test_suspending_without_a_reason_is_refused_with_a_message(client, admin, db):
    institute = make_institute()
    response = act(client, institute, "suspend", reason="")
    assert response.status_code == 400
    assert "Give the reason" in text_of(response)
    db.session.expire_all()
    assert institute.status == InstituteStatus.APPROVED


def test_reinstating_brings_its_courses_back_to_search(client, admin, db):
    institute = make_institute(status=InstituteStatus.SUSPENDED)
    make_course(institute=institute, title="Drift monitoring with Evidently")
    act(client, institute, "reinstate")
    assert search_titles(db, "evidently") == ["Drift monitoring with Evidently"]


def sign_in(client, email: str, password: str):
    token = csrf_token(client, "/portal/login")
    return client.post("/portal/login", data={"csrf_token": token, "email": email, "password": password})


def test_staff_of_a_suspended_institute_are_told_so_at_sign_in(client, db):
    institute = make_institute(name="Madhapur AI Labs", status=InstituteStatus.SUSPENDED)
    staff = make_user(institute)
    page = text_of(sign_in(client, staff.email, TEST_PASSWORD))
    assert "Madhapur AI Labs is suspended" in page
    assert db.session.scalars(select(UserSession).where(UserSession.user_id == staff.id)).all() == []


def test_a_wrong_password_for_suspended_staff_says_nothing_of_the_suspension(client, db):
    staff = make_user(make_institute(name="Madhapur AI Labs", status=InstituteStatus.SUSPENDED))
    page = text_of(sign_in(client, staff.email, "not the password at all"))
    assert "Email or password is incorrect." in page
    assert "suspended" not in page
