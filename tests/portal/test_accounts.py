"""Accounts: signing in and out, sign-in limits and device cookies, password change and reset,
institute sign-up; none of them tells a stranger which emails have accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from catalog.extensions import db as _db
from catalog.models import (
    AuditEntry,
    Campus,
    Institute,
    InstituteStatus,
    OutboxMessage,
    PasswordResetToken,
    Role,
    User,
    UserSession,
)
from catalog.models.base import utcnow
from catalog.portal.devices import DEVICE_COOKIE
from catalog.services import accounts
from catalog.services.passwords import needs_rehash, verify_password
from catalog.tokens import hash_token
from tests.builders import TEST_PASSWORD, make_area, make_institute, make_user
from tests.helpers import csrf_token

INCORRECT = "Email or password is incorrect."
RESET_ANSWER = "We have sent an email to that address. If it has an account, the email holds a link"
NEW_PASSWORD = "a brand new passphrase 2024"


def post_form(client, url: str, data: dict, form_url: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with the CSRF token of the form at ``form_url`` (default: ``url``)."""
    return client.post(url, data={"csrf_token": csrf_token(client, form_url or url), **data}, **kwargs)


def sign_in(client, email: str, password: str = TEST_PASSWORD, url: str = "/portal/login", **kwargs):
    return post_form(client, url, {"email": email, "password": password}, **kwargs)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def signed_in_user_id(client) -> int | None:
    """The id of the user whose live server-side session the client's cookie names."""
    with client.session_transaction() as session:
        token = session.get("_user_id")
    if token is None:
        return None
    record = _db.session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))
    return record.user_id if record is not None and record.ended_at is None else None


def device_cookie(client):
    return client.get_cookie(DEVICE_COOKIE, path="/portal/")


def is_signed_in(client) -> bool:
    """True when the client's session still opens a login-only page."""
    return client.get("/portal/password").status_code == 200


@pytest.fixture
def staff(db):
    return make_user(make_institute(name="Madhapur ML Academy"), email="staff@example.in", name="Kiran")


# Signing in ---------------------------------------------------------------------------------------


def test_login_page_shows_email_and_password_fields(client):
    html = text_of(client.get("/portal/login"))
    assert 'name="email"' in html and 'type="password"' in html and 'name="csrf_token"' in html
    assert "/portal/password/forgot" in html and "/portal/register" in html


def test_login_with_right_password_goes_to_dashboard_and_notes_the_time(client, db, staff):
    response = sign_in(client, "staff@example.in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/portal/"
    db.session.refresh(staff)
    assert staff.last_login_at is not None
    assert signed_in_user_id(client) == staff.id


def test_login_compares_email_without_case(client, staff):
    assert sign_in(client, "  Staff@Example.IN ").status_code == 302


def test_login_renews_the_session(client, staff):
    client.get("/portal/login")
    with client.session_transaction() as session:
        session["planted"] = "set before sign-in"
    sign_in(client, "staff@example.in")
    with client.session_transaction() as session:
        assert "planted" not in session
    assert signed_in_user_id(client) == staff.id


def test_unknown_email_and_wrong_password_get_the_same_answer(client, staff):
    unknown = sign_in(client, "nobody@example.in")
    wrong = sign_in(client, "staff@example.in", "not the right password")
    assert unknown.status_code == wrong.status_code == 200
    assert INCORRECT in text_of(unknown) and INCORRECT in text_of(wrong)
    assert signed_in_user_id(client) is None


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(client):
    make_user(email="gone@example.in", active=False)
    response = sign_in(client, "gone@example.in")
    assert response.status_code == 200
    assert INCORRECT in text_of(response)
    assert signed_in_user_id(client) is None


def test_login_asks_for_email_and_password(client):
    html = text_of(sign_in(client, "", ""))
    assert "Enter your email address." in html
    assert "Enter your password." in html


def test_login_refuses_an_overlong_password_with_message(client, staff):
    html = text_of(sign_in(client, "staff@example.in", "x" * 201))
    assert "Use at most 200 characters." in html


def test_login_goes_to_the_next_page_on_this_site(client, staff):
    response = sign_in(client, "staff@example.in", url="/portal/login?next=/portal/password")
    assert response.headers["Location"] == "/portal/password"


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example/portal/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_ignores_a_next_page_on_another_site(client, staff, target):
    response = client.post(
        "/portal/login",
        query_string={"next": target},
        data={
            "csrf_token": csrf_token(client, "/portal/login"),
            "email": "staff@example.in",
            "password": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/portal/"


def test_login_upgrades_a_hash_made_with_weaker_parameters(client, db):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(TEST_PASSWORD)
    user = make_user(email="old@example.in", password_hash=weak)
    assert needs_rehash(weak)
    sign_in(client, "old@example.in")
    db.session.refresh(user)
    assert user.password_hash != weak and not needs_rehash(user.password_hash)
    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_admin_login_goes_to_the_home_page(client):
    make_user(role=Role.ADMIN, email="admin@example.in")
    assert sign_in(client, "admin@example.in").headers["Location"] == "/"


def test_staff_of_a_pending_institute_are_signed_in_and_see_the_awaiting_page(client):
    institute = make_institute(name="Kondapur Kubeflow Lab", status=InstituteStatus.PENDING)
    make_user(institute, email="new@example.in")
    response = sign_in(client, "new@example.in", follow_redirects=True)
    assert response.request.path == "/portal/awaiting-approval"
    html = text_of(response)
    assert "Your institute's registration is awaiting approval" in html
    assert "Kondapur Kubeflow Lab" in html


def test_awaiting_page_sends_staff_of_an_approved_institute_to_the_dashboard(client, auth, staff):
    auth.login(staff)
    response = client.get("/portal/awaiting-approval")
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"


def test_awaiting_page_needs_a_signed_in_user(client):
    response = client.get("/portal/awaiting-approval")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/portal/login")


WRONG = "wrong password!"
ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}


def test_login_is_limited_per_address_whatever_the_account(app, client, staff):
    app.config["LOGIN_LIMITS_PER_ADDRESS"] = "3 per minute"
    for number in range(3):
        assert sign_in(client, f"someone{number}@example.in", WRONG).status_code == 200
    assert sign_in(client, "staff@example.in").status_code == 429


def test_login_is_limited_per_account_and_address_together(app, client, staff):
    app.config["LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"] = "2 per minute"
    for _ in range(2):
        assert sign_in(client, "staff@example.in", WRONG).status_code == 200
    assert sign_in(client, "Staff@example.in").status_code == 429
    assert sign_in(client, "other@example.in", WRONG).status_code == 200


def test_failures_from_one_address_leave_the_account_open_from_another(app, client, staff):
    app.config["LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"] = "2 per minute"
    for _ in range(3):
        sign_in(client, "staff@example.in", WRONG, environ_base=ATTACKER)
    assert sign_in(app.test_client(), "staff@example.in").status_code == 302


def test_login_without_a_device_cookie_is_limited_per_account_whatever_the_address(app, client, staff):
    app.config["LOGIN_LIMITS_PER_ACCOUNT"] = "2 per minute"
    for number in range(2):
        address = {"REMOTE_ADDR": f"10.0.0.{number + 1}"}
        assert sign_in(client, "staff@example.in", WRONG, environ_base=address).status_code == 200
    limited = sign_in(client, "Staff@example.in", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert limited.status_code == 429


def test_throttled_sign_in_gets_the_styled_page_with_retry_after(app, client, staff):
    app.config["LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"] = "1 per 15 minutes"
    sign_in(client, "staff@example.in", WRONG)
    response = sign_in(client, "staff@example.in")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 900
    assert "Please try again in about 15 minutes" in text_of(response)
    assert signed_in_user_id(client) is None


def test_sign_ins_from_a_known_device_never_use_up_the_limit(app, client, staff):
    app.config["LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"] = "2 per minute"
    app.config["LOGIN_LIMITS_PER_DEVICE"] = "2 per minute"
    for _ in range(4):
        assert sign_in(client, "staff@example.in").status_code == 302
        client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/password")})


def test_every_sign_in_from_an_unknown_device_counts(app, client, staff):
    """Counted before the answer, so a burst of simultaneous guesses cannot all slip through."""
    app.config["LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"] = "2 per minute"
    for _ in range(2):
        assert sign_in(client, "staff@example.in").status_code == 302
        client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/password")})
        client.delete_cookie(DEVICE_COOKIE, path="/portal/")
    assert sign_in(client, "staff@example.in").status_code == 429


# Device cookies -----------------------------------------------------------------------------------


def owners_device(app):
    """A browser of the staff member's that signed in once (and signed out): it has a device cookie."""
    device = app.test_client()
    assert sign_in(device, "staff@example.in", environ_base=ATTACKER).status_code == 302
    post_form(device, "/portal/logout", {}, form_url="/", environ_base=ATTACKER)
    assert device_cookie(device) is not None and signed_in_user_id(device) is None
    return device


@pytest.fixture
def every_limit_two(app):
    for name in (
        "LOGIN_LIMITS_PER_ADDRESS",
        "LOGIN_LIMITS_PER_ACCOUNT_ADDRESS",
        "LOGIN_LIMITS_PER_ACCOUNT",
        "LOGIN_LIMITS_PER_DEVICE",
    ):
        app.config[name] = "2 per minute"


def exhaust_limits(client):
    """Guess wrong from the attacker's address (shared with the owner) until refused."""
    for _ in range(3):
        sign_in(client, "staff@example.in", WRONG, environ_base=ATTACKER)
    assert sign_in(client, "staff@example.in", environ_base=ATTACKER).status_code == 429


def test_a_sign_in_sets_a_long_lived_http_only_lax_device_cookie(client, staff):
    sign_in(client, "staff@example.in")
    cookie = device_cookie(client)
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/portal/"
    assert cookie.max_age == 365 * 24 * 3600


def test_the_device_cookie_is_secure_where_the_session_cookie_is(app, client, staff):
    app.config["SESSION_COOKIE_SECURE"] = True
    sign_in(client, "staff@example.in")
    assert device_cookie(client).secure


def test_the_owners_known_device_signs_in_after_an_attacker_used_up_every_limit(
    app, client, staff, every_limit_two
):
    device = owners_device(app)
    exhaust_limits(client)
    assert sign_in(device, "staff@example.in", environ_base=ATTACKER).status_code == 302
    assert signed_in_user_id(device) == staff.id


def test_a_device_cookie_has_a_limit_of_its_own(app, client, staff, every_limit_two):
    device = owners_device(app)
    for _ in range(2):
        assert sign_in(device, "staff@example.in", WRONG).status_code == 200
    assert sign_in(device, "staff@example.in").status_code == 429


def test_a_device_cookie_of_another_account_is_no_exemption(app, client, staff, every_limit_two):
    make_user(email="colleague@example.in")
    device = app.test_client()
    sign_in(device, "colleague@example.in", environ_base=ATTACKER)
    post_form(device, "/portal/logout", {}, form_url="/", environ_base=ATTACKER)
    exhaust_limits(client)
    assert sign_in(device, "staff@example.in", environ_base=ATTACKER).status_code == 429


def test_a_forged_device_cookie_is_no_exemption(app, client, staff, every_limit_two):
    device = owners_device(app)
    exhaust_limits(client)
    client.set_cookie(DEVICE_COOKIE, device_cookie(device).value[:-2] + "xx", path="/portal/")
    assert sign_in(client, "staff@example.in", environ_base=ATTACKER).status_code == 429


def test_a_device_cookie_from_before_a_password_change_is_no_exemption(
    app, client, db, staff, every_limit_two
):
    device = owners_device(app)
    accounts.change_password(db.session, staff, TEST_PASSWORD, NEW_PASSWORD)
    exhaust_limits(client)
    assert sign_in(device, "staff@example.in", NEW_PASSWORD, environ_base=ATTACKER).status_code == 429


def test_login_page_itself_is_not_limited(app, client):
    app.config["LOGIN_LIMITS_PER_ADDRESS"] = "1 per minute"
    for _ in range(3):
        assert client.get("/portal/login").status_code == 200


def test_login_without_csrf_token_is_refused(client, staff):
    response = client.post("/portal/login", data={"email": "staff@example.in", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


# Header and signing out ---------------------------------------------------------------------------


def test_header_offers_sign_in_to_institutes_when_signed_out(client):
    html = text_of(client.get("/"))
    assert re.search(r'<a href="/portal/login"[^>]*>For institutes</a>', html)
    assert "Sign out" not in html


def test_header_offers_portal_and_sign_out_form_when_signed_in(client, auth, staff):
    auth.login(staff)
    html = text_of(client.get("/"))
    assert re.search(r'<a href="/portal/"[^>]*>Portal</a>', html)
    form = re.search(r'<form class="nav-form" method="post" action="/portal/logout">(.*?)</form>', html, re.S)
    assert form and 'name="csrf_token"' in form.group(1) and "Sign out" in form.group(1)
    assert "For institutes" not in html


def test_logout_signs_out_clears_the_session_and_goes_home(client, staff):
    sign_in(client, "staff@example.in")
    with client.session_transaction() as session:
        session["shortlist"] = [1, 2]
    response = post_form(client, "/portal/logout", {}, form_url="/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert "_user_id" not in session and "shortlist" not in session
    assert "You have signed out." in text_of(client.get("/"))
    assert not is_signed_in(client)


def test_logout_by_get_is_not_allowed(client, auth, staff):
    auth.login(staff)
    assert client.get("/portal/logout").status_code == 405
    assert is_signed_in(client)


def test_logout_without_csrf_token_is_refused(client, auth, staff):
    auth.login(staff)
    assert client.post("/portal/logout").status_code == 400
    assert is_signed_in(client)


# Changing the password ----------------------------------------------------------------------------


def change_password(client, current=TEST_PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm": new if confirm is None else confirm}
    return post_form(client, "/portal/password", data)


def test_password_page_needs_a_signed_in_user(client):
    response = client.get("/portal/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/portal/login?next=")


def test_password_change_sets_the_new_password_and_keeps_this_session(client, db, auth, staff):
    auth.login(staff)
    response = change_password(client)
    assert response.status_code == 302
    db.session.refresh(staff)
    assert verify_password(staff.password_hash, NEW_PASSWORD)
    assert not verify_password(staff.password_hash, TEST_PASSWORD)
    assert signed_in_user_id(client) == staff.id
    page = client.get("/portal/password")
    assert page.status_code == 200
    assert "Your password has been changed." in text_of(page)


def test_password_change_ends_every_other_session(client, app, staff):
    other_device = app.test_client()
    assert sign_in(other_device, "staff@example.in").status_code == 302
    assert is_signed_in(other_device)
    sign_in(client, "staff@example.in")
    change_password(client)
    assert not is_signed_in(other_device)
    assert is_signed_in(client)


def test_password_change_gives_this_browser_a_device_cookie_for_the_new_password(app, client, staff):
    sign_in(client, "staff@example.in")
    before = device_cookie(client).value
    change_password(client)
    assert device_cookie(client).value != before
    app.config["LOGIN_LIMITS_PER_ACCOUNT"] = "1 per minute"
    post_form(client, "/portal/logout", {}, form_url="/")
    sign_in(app.test_client(), "staff@example.in", WRONG)
    assert sign_in(client, "staff@example.in", NEW_PASSWORD).status_code == 302


def test_password_change_is_audited_without_hashes(client, db, auth, staff):
    auth.login(staff)
    change_password(client)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password-change"))
    assert entry.user_id == staff.id and entry.record_type == "User" and entry.record_id == staff.id
    assert entry.institute_id == staff.institute_id
    recorded = repr(entry.changes) + entry.summary
    assert "argon2" not in recorded and NEW_PASSWORD not in recorded


def test_password_change_refuses_a_wrong_current_password(client, db, auth, staff):
    auth.login(staff)
    html = text_of(change_password(client, current="not my password"))
    assert "Your current password is not correct." in html
    db.session.refresh(staff)
    assert verify_password(staff.password_hash, TEST_PASSWORD)


@pytest.mark.parametrize(
    ("new", "confirm", "message"),
    [
        ("short one", "short one", "Use at least 12 characters."),
        ("x" * 201, "x" * 201, "Use at most 200 characters."),
        ("STAFF@example.in", "STAFF@example.in", "Choose a password that is not your email address."),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords do not match."),
        ("", "", "Enter a new password."),
        (NEW_PASSWORD, "", "Enter the new password a second time."),
    ],
)
def test_password_change_rules_show_their_message(client, auth, staff, new, confirm, message):
    auth.login(staff)
    response = change_password(client, new=new, confirm=confirm)
    assert response.status_code == 200
    assert message in text_of(response)


def test_password_change_asks_for_the_current_password(client, auth, staff):
    auth.login(staff)
    assert "Enter your current password." in text_of(change_password(client, current=""))


def test_password_change_message_stands_beside_its_field(client, auth, staff):
    auth.login(staff)
    html = text_of(change_password(client, new="short one", confirm="short one"))
    assert '<p class="field-error" id="new_password-error">Use at least 12 characters.</p>' in html
    assert 'href="#new_password"' in html


def test_admin_can_change_their_password(client, db, auth):
    admin = make_user(role=Role.ADMIN, email="admin@example.in")
    auth.login(admin)
    assert client.get("/portal/password").status_code == 200
    assert change_password(client).status_code == 302
    db.session.refresh(admin)
    assert verify_password(admin.password_hash, NEW_PASSWORD)


def test_password_change_without_csrf_token_is_refused(client, auth, staff):
    auth.login(staff)
    data = {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/portal/password", data=data).status_code == 400


# Forgotten password -------------------------------------------------------------------------------


def ask_for_reset(client, email: str, **kwargs):
    return post_form(client, "/portal/password/forgot", {"email": email}, **kwargs)


def reset_link_token(db, email: str) -> str:
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "password-reset", OutboxMessage.to_email == email)
    )
    match = re.search(r"http://courses\.test/portal/password/reset/(\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def site_url(app):
    app.config["SITE_URL"] = "http://courses.test"


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(client, db, staff):
    known = ask_for_reset(client, "staff@example.in", follow_redirects=True)
    unknown = ask_for_reset(client, "nobody@example.in", follow_redirects=True)
    assert RESET_ANSWER in text_of(known) and RESET_ANSWER in text_of(unknown)
    assert known.request.path == unknown.request.path == "/portal/login"


def test_forgot_password_emails_an_unknown_address_that_it_has_no_account(client, db, staff, site_url):
    ask_for_reset(client, "staff@example.in")
    ask_for_reset(client, "Nobody@example.in")
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.to_email) for m in messages] == [
        ("password-reset", "staff@example.in"),
        ("password-reset-no-account", "nobody@example.in"),
    ]
    assert "No active account uses this address" in messages[1].body
    assert "http://courses.test/portal/register" in messages[1].body


def test_reset_link_is_emailed_and_stored_only_as_a_hash(client, db, staff, site_url):
    before = utcnow()
    ask_for_reset(client, "Staff@Example.in")
    token = reset_link_token(db, "staff@example.in")
    stored = db.session.scalar(select(PasswordResetToken))
    assert stored.user_id == staff.id and stored.used_at is None
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    hours = timedelta(hours=2)
    assert before + hours <= stored.expires_at <= utcnow() + hours


def test_no_reset_link_for_an_inactive_account(client, db):
    make_user(email="gone@example.in", active=False)
    assert RESET_ANSWER in text_of(ask_for_reset(client, "gone@example.in", follow_redirects=True))
    assert db.session.scalar(select(PasswordResetToken)) is None


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Enter your email address."), ("not-an-address", "Enter an email address like name@example.in.")],
)
def test_forgot_password_checks_the_address_with_message(client, email, message):
    response = ask_for_reset(client, email)
    assert response.status_code == 200 and message in text_of(response)


def test_forgot_password_is_limited_per_address(app, client):
    app.config["LOGIN_LIMITS_PER_ADDRESS"] = "2 per minute"
    for number in range(2):
        assert ask_for_reset(client, f"someone{number}@example.in").status_code == 302
    assert ask_for_reset(client, "someone9@example.in").status_code == 429


def test_forgot_password_is_limited_per_account_and_address(app, client):
    app.config["LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"] = "2 per minute"
    for _ in range(2):
        assert ask_for_reset(client, "staff@example.in").status_code == 302
    assert ask_for_reset(client, "staff@example.in").status_code == 429
    assert ask_for_reset(client, "other@example.in").status_code == 302


def test_forgot_password_is_limited_per_account_whatever_the_address(app, client):
    app.config["LOGIN_LIMITS_PER_ACCOUNT"] = "2 per minute"
    for number in range(2):
        response = ask_for_reset(client, "staff@example.in", environ_base={"REMOTE_ADDR": f"10.0.1.{number}"})
        assert response.status_code == 302
    assert ask_for_reset(client, "staff@example.in").status_code == 429


def test_forgot_password_without_csrf_token_is_refused(client, db, staff):
    assert client.post("/portal/password/forgot", data={"email": "staff@example.in"}).status_code == 400
    assert db.session.scalar(select(OutboxMessage)) is None


# Resetting the password ---------------------------------------------------------------------------


@pytest.fixture
def reset_token(client, db, staff, site_url) -> str:
    ask_for_reset(client, "staff@example.in")
    return reset_link_token(db, "staff@example.in")


def reset(client, token: str, new=NEW_PASSWORD, confirm=None):
    url = f"/portal/password/reset/{token}"
    return post_form(client, url, {"new_password": new, "confirm": new if confirm is None else confirm})


def test_reset_link_shows_the_new_password_form(client, reset_token):
    response = client.get(f"/portal/password/reset/{reset_token}")
    assert response.status_code == 200
    assert 'name="new_password"' in text_of(response)


def test_reset_sets_the_password_and_ends_every_session(client, app, db, staff, reset_token):
    other_device = app.test_client()
    sign_in(other_device, "staff@example.in")
    response = reset(client, reset_token)
    assert response.status_code == 302 and response.headers["Location"] == "/portal/login"
    db.session.refresh(staff)
    assert verify_password(staff.password_hash, NEW_PASSWORD)
    assert db.session.scalar(select(PasswordResetToken)).used_at is not None
    assert not is_signed_in(other_device)
    assert sign_in(client, "staff@example.in", NEW_PASSWORD).status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password-reset")) is not None


def test_reset_link_works_only_once(client, db, staff, reset_token):
    assert reset(client, reset_token).status_code == 302
    again = client.get(f"/portal/password/reset/{reset_token}")
    assert again.status_code == 410
    assert "This link has expired or has already been used" in text_of(again)
    second = client.post(
        f"/portal/password/reset/{reset_token}",
        data={
            "csrf_token": csrf_token(client, "/portal/login"),
            "new_password": "another passphrase!",
            "confirm": "another passphrase!",
        },
    )
    assert second.status_code == 410
    db.session.refresh(staff)
    assert verify_password(staff.password_hash, NEW_PASSWORD)


def test_expired_reset_link_is_refused(client, db, staff, reset_token):
    stored = db.session.scalar(select(PasswordResetToken))
    stored.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/portal/password/reset/{reset_token}")
    assert response.status_code == 410
    assert "This link has expired or has already been used" in text_of(response)
    assert accounts.reset_password(db.session, reset_token, NEW_PASSWORD) is None


def test_unknown_reset_link_is_refused(client):
    response = client.get("/portal/password/reset/made-up-token")
    assert response.status_code == 410
    assert "This link has expired or has already been used" in text_of(response)


def test_a_newer_password_spends_older_reset_links(client, db, auth, staff, reset_token):
    auth.login(staff)
    change_password(client)
    assert client.get(f"/portal/password/reset/{reset_token}").status_code == 410


@pytest.mark.parametrize(
    ("new", "confirm", "message"),
    [
        ("short one", "short one", "Use at least 12 characters."),
        ("staff@example.in", "staff@example.in", "Choose a password that is not your email address."),
        (NEW_PASSWORD, "something else entirely", "The two passwords do not match."),
        ("", "", "Enter a new password."),
    ],
)
def test_reset_rules_show_their_message(client, db, reset_token, new, confirm, message):
    response = reset(client, reset_token, new=new, confirm=confirm)
    assert response.status_code == 200 and message in text_of(response)
    assert db.session.scalar(select(PasswordResetToken)).used_at is None


def test_reset_without_csrf_token_is_refused(client, db, reset_token):
    data = {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(f"/portal/password/reset/{reset_token}", data=data).status_code == 400
    assert db.session.scalar(select(PasswordResetToken)).used_at is None


# Institute sign-up --------------------------------------------------------------------------------


@pytest.fixture
def area(db):
    return make_area(name="HITEC City", slug="hitec-city")


def registration(**overrides) -> dict[str, str]:
    values = {
        "institute_name": "Cyberabad MLOps School",
        "website": "https://cyberabad-mlops.example.in",
        "contact_email": "admissions@cyberabad-mlops.example.in",
        "phone": "98480 22338",
        "area": "hitec-city",
        "address": "4th floor, Cyber Towers, HITEC City",
        "description": "Weekend bootcamps on Kubernetes, MLflow and CI/CD for working engineers.",
        "name": "Anitha Reddy",
        "email": "anitha@cyberabad-mlops.example.in",
        "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    return {**values, **overrides}


def register(client, **overrides):
    return post_form(client, "/portal/register", registration(**overrides))


def test_register_page_lists_the_areas(client, area):
    make_area(name="Online", slug="online")
    html = text_of(client.get("/portal/register"))
    assert '<option value="hitec-city">HITEC City</option>' in html
    assert html.index("HITEC City</option>") < html.index("Online</option>")


def test_register_creates_a_pending_institute_campus_and_staff_account(client, db, area):
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"] == "/portal/login"
    institute = db.session.scalar(select(Institute))
    assert institute.name == "Cyberabad MLOps School" and institute.slug == "cyberabad-mlops-school"
    assert institute.status == InstituteStatus.PENDING and institute.verified is False
    assert institute.phone == "+919848022338"
    assert institute.email == "admissions@cyberabad-mlops.example.in"
    campus = db.session.scalar(select(Campus))
    assert campus.institute_id == institute.id and campus.area_id == area.id
    user = db.session.scalar(select(User))
    assert user.role == Role.INSTITUTE and user.institute_id == institute.id and user.name == "Anitha Reddy"
    assert verify_password(user.password_hash, NEW_PASSWORD)
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_email == "anitha@cyberabad-mlops.example.in"
    assert "we have received your registration" in message.body.lower()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "institute-register"))
    assert entry.institute_id == institute.id and entry.user_id == user.id


def test_registered_staff_see_the_awaiting_page_after_signing_in(client, area):
    page = client.get(register(client).headers["Location"])
    assert REGISTERED in text_of(page)
    response = sign_in(client, "anitha@cyberabad-mlops.example.in", NEW_PASSWORD, follow_redirects=True)
    assert response.request.path == "/portal/awaiting-approval"
    assert "Your institute's registration is awaiting approval" in text_of(response)


def test_register_numbers_the_slug_when_the_name_is_taken(client, db, area):
    make_institute(name="Cyberabad MLOps School", slug="cyberabad-mlops-school")
    register(client, email="first@example.in")
    register(client, email="second@example.in")
    slugs = db.session.scalars(select(Institute.slug).order_by(Institute.id)).all()
    assert slugs == ["cyberabad-mlops-school", "cyberabad-mlops-school-2", "cyberabad-mlops-school-3"]


REGISTERED = (
    "Thank you: we have received the registration of Cyberabad MLOps School. "
    "We have emailed anitha@cyberabad-mlops.example.in about what happens next."
)


def test_register_answers_the_same_when_the_email_already_has_an_account(client, db, area):
    new = register(client)
    make_user(email="kiran@cyberabad-mlops.example.in")
    taken = register(client, email="Kiran@Cyberabad-MLOps.example.in")
    assert new.status_code == taken.status_code == 302
    assert new.headers["Location"] == taken.headers["Location"] == "/portal/login"
    assert REGISTERED.replace("anitha", "kiran") in text_of(client.get("/portal/login"))


def test_register_with_a_taken_email_creates_nothing_and_tells_its_holder(client, db, area, site_url):
    make_user(email="anitha@cyberabad-mlops.example.in")
    register(client, email="Anitha@Cyberabad-MLOps.example.in")
    assert db.session.scalar(select(Institute).where(Institute.name == "Cyberabad MLOps School")) is None
    message = db.session.scalar(select(OutboxMessage))
    assert message.kind == "registration-email-taken"
    assert message.to_email == "anitha@cyberabad-mlops.example.in"
    assert "An account already uses this address" in message.body
    assert "http://courses.test/portal/password/forgot" in message.body


def test_register_keeps_what_was_entered_when_a_field_is_wrong(client, area):
    html = text_of(register(client, website="ftp://files.example.in"))
    assert 'value="Cyberabad MLOps School"' in html
    assert "Weekend bootcamps on Kubernetes" in html
    assert NEW_PASSWORD not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("institute_name", "", "Enter the institute&#39;s name."),
        ("institute_name", "x" * 161, "Use at most 160 characters."),
        ("website", "", "Enter the institute&#39;s website."),
        ("website", "ftp://files.example.in", "Enter a web address that starts with http:// or https://"),
        ("website", "javascript:alert(1)", "Enter a web address that starts with http:// or https://"),
        ("contact_email", "", "Enter an email address for enquiries."),
        ("contact_email", "admissions-at-example", "Enter an email address like name@example.in."),
        ("phone", "", "Enter a phone number for enquiries."),
        ("phone", "12345", "Enter a valid phone number"),
        ("area", "", "Choose the area of your campus."),
        ("area", "atlantis", "Not a valid choice."),
        ("address", "", "Enter the campus address."),
        ("address", "x" * 301, "Use at most 300 characters."),
        ("description", "", "Describe the institute in a few sentences."),
        ("name", "", "Enter your name."),
        ("email", "", "Enter your email address."),
        ("email", "anitha@", "Enter an email address like name@example.in."),
        ("new_password", "", "Enter a new password."),
        ("new_password", "too short", "Use at least 12 characters."),
        ("confirm", "", "Enter the new password a second time."),
        ("confirm", "not the same passphrase", "The two passwords do not match."),
    ],
)
def test_register_rules_show_their_message(client, db, area, field, value, message):
    response = register(client, **{field: value})
    assert response.status_code == 200
    assert message in text_of(response)
    assert db.session.scalar(select(Institute)) is None and db.session.scalar(select(User)) is None


def test_register_refuses_a_password_equal_to_the_email(client, area):
    email = "anitha@cyberabad-mlops.example.in"
    html = text_of(register(client, new_password=email, confirm=email))
    assert "Choose a password that is not your email address." in html


def test_register_without_csrf_token_is_refused(client, db, area):
    assert client.post("/portal/register", data=registration()).status_code == 400
    assert db.session.scalar(select(Institute)) is None


def test_register_sends_signed_in_users_to_their_landing_page(client, auth, staff):
    auth.login(staff)
    response = client.get("/portal/register")
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"


# Approval opens the portal ------------------------------------------------------------------------


def test_approval_opens_the_portal_to_registered_staff(client, runner, db, area):
    register(client)
    sign_in(client, "anitha@cyberabad-mlops.example.in", NEW_PASSWORD)
    assert client.get("/portal/").headers["Location"] == "/portal/awaiting-approval"
    result = runner.invoke(args=["approve-institute", "cyberabad-mlops-school"])
    assert result.exit_code == 0, result.output
    response = client.get("/portal/")
    assert response.status_code == 200
    assert "Cyberabad MLOps School" in text_of(response)
