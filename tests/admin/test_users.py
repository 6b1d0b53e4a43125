"""The admins' account pages: the filtered list, a new account, deactivation, reactivation, a
role change and a password reset through the browser's forms, and the refusals of one's own."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from catalog.models import OutboxMessage, Role, User, UserSession
from catalog.services.sessions import start_session
from tests.builders import make_institute, make_user
from tests.helpers import count_queries, csrf_token


@pytest.fixture
def admin(db, auth):
    user = make_user(role=Role.ADMIN, email="the.admin@example.in")
    auth.login(user)
    return user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def act(client, user, action: str, **data):
    url = f"/admin/users/{user.id}"
    return client.post(f"{url}/{action}", data={"csrf_token": csrf_token(client, url), **data})


def create(client, **data):
    return client.post(
        "/admin/users/new", data={"csrf_token": csrf_token(client, "/admin/users/new"), **data}
    )


def mail_kinds(db, email: str) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_email == email)))


def test_the_list_finds_accounts_by_part_of_the_email(client, admin):
    make_user(email="ravi@banjara.example.in")
    make_user(email="sita@gachibowli.example.in")
    page = text_of(client.get("/admin/users?email=banjara"))
    assert "ravi@banjara.example.in" in page
    assert "sita@gachibowli.example.in" not in page


def test_the_list_filters_by_role(client, admin):
    make_user(email="staff.only@example.in")
    page = text_of(client.get("/admin/users?role=admin"))
    assert "the.admin@example.in" in page
    assert "staff.only@example.in" not in page


def test_the_list_filters_by_active(client, admin):
    make_user(email="gone@example.in", active=False)
    page = text_of(client.get("/admin/users?active=no"))
    assert "gone@example.in" in page
    assert "the.admin@example.in" not in page


def test_the_list_costs_the_same_queries_whatever_its_length(client, admin, db):
    client.get("/admin/users")
    with count_queries(db) as few:
        client.get("/admin/users")
    for _ in range(5):
        make_user(make_institute())
    with count_queries(db) as many:
        client.get("/admin/users")
    assert len(many) == len(few)


def test_creating_staff_sends_them_a_link_to_set_their_password(client, admin, db):
    institute = make_institute()
    response = create(client, email="New.Staff@example.in", role="institute", institute=str(institute.id))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.staff@example.in"))
    assert user.institute_id == institute.id
    assert mail_kinds(db, user.email) == ["account-created"]


def test_creating_staff_without_an_institute_is_refused_with_a_message(client, admin, db):
    response = create(client, email="new@example.in", role="institute", institute="")
    assert response.status_code == 400
    assert "Choose the institute" in text_of(response)
    assert db.session.scalar(select(User).where(User.email == "new@example.in")) is None


def test_a_blank_institute_is_no_institute_not_a_server_error(client, admin, db):
    response = create(client, email="new@example.in", role="institute", institute=" ")
    assert response.status_code == 400
    assert "Choose the institute" in text_of(response)


def test_creating_an_account_with_a_taken_email_is_refused_with_a_message(client, admin):
    make_user(email="taken@example.in")
    response = create(client, email="taken@example.in", role="admin", institute="")
    assert response.status_code == 400
    assert "An account with taken@example.in already exists." in text_of(response)


def test_an_unknown_institute_is_refused_not_a_server_error(client, admin):
    response = create(client, email="new@example.in", role="institute", institute="999999")
    assert response.status_code == 400
    assert "Not a valid choice" in text_of(response)


def test_deactivating_ends_the_accounts_sessions(client, admin, db):
    user = make_user()
    start_session(db.session, user)
    act(client, user, "deactivate")
    db.session.expire_all()
    assert not user.active
    assert (
        db.session.scalars(
            select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        ).all()
        == []
    )


def test_an_admin_cannot_deactivate_themselves(client, admin, db):
    act(client, admin, "deactivate")
    assert "You cannot deactivate or change the role of your own account" in text_of(
        client.get(f"/admin/users/{admin.id}")
    )
    db.session.expire_all()
    assert admin.active


def test_reactivating_opens_the_account_again(client, admin, db):
    user = make_user(active=False)
    act(client, user, "reactivate")
    db.session.expire_all()
    assert user.active


def test_changing_the_role_makes_staff_an_admin(client, admin, db):
    user = make_user()
    response = act(client, user, "role", role="admin", institute="")
    assert response.status_code == 302
    db.session.expire_all()
    assert (user.role, user.institute_id) == (Role.ADMIN, None)


def test_an_admin_cannot_demote_themselves(client, admin, db):
    institute = make_institute()
    response = act(client, admin, "role", role="institute", institute=str(institute.id))
    assert response.status_code == 400
    assert "You cannot deactivate or change the role of your own account" in text_of(response)
    db.session.expire_all()
    assert admin.role == Role.ADMIN


def test_sending_a_password_reset_queues_the_link(client, admin, db):
    user = make_user()
    act(client, user, "password-reset")
    assert mail_kinds(db, user.email) == ["password-reset"]


def test_a_deactivated_account_gets_no_reset_link(client, admin, db):
    user = make_user(active=False)
    act(client, user, "password-reset")
    assert "reactivate it first" in text_of(client.get(f"/admin/users/{user.id}"))
    assert mail_kinds(db, user.email) == []


def test_an_unknown_account_is_not_found(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
