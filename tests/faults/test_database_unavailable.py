"""With the database unreachable, in process: styled 503s, the enquiry kept, static files served."""

from __future__ import annotations

import html
import re

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf

from catalog import create_app
from catalog.errors import DATABASE_RETRY_AFTER_SECONDS
from tests.faults.network import unreachable_database_url

TYPED = {
    "name": "Asha Rao",
    "email": "asha@example.in",
    "phone": "98765 43210",
    "batch": "17",
    "preferred_contact": "whatsapp",
    "message": "Is the weekend batch taught in Telugu too?",
    "consent": "y",
    "submission_key": "key-typed-by-the-form",
    "form_stamp": "stamp-signed-by-the-form",
}


@pytest.fixture
def broken_app(database_url, tmp_path):
    """The app with its database (of this run's backend) out of reach."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": unreachable_database_url(database_url, tmp_path),
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "ENQUIRY_MIN_SECONDS": 0,
        }
    )


@pytest.fixture
def broken_client(broken_app):
    """A client whose session holds a CSRF token (no page can hand one out without the database)."""
    client = broken_app.test_client()
    with broken_app.test_request_context():
        client.csrf_token = generate_csrf()
        raw = session["csrf_token"]
    with client.session_transaction() as client_session:
        client_session["csrf_token"] = raw
    return client


def send_typed(client):
    """Send the enquiry form as the learner filled it, with the session's CSRF token."""
    return client.post("/courses/mlops-bootcamp/enquire", data={**TYPED, "csrf_token": client.csrf_token})


def page_text(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


@pytest.mark.parametrize("path", ["/", "/courses?q=mlflow", "/courses/mlops-bootcamp", "/institutes"])
def test_pages_answer_a_styled_503_with_retry_after(broken_client, path):
    response = broken_client.get(path)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert response.mimetype == "text/html"
    assert "The catalog cannot reach its database just now" in page_text(response)
    assert 'href="/static/css/site.css?v=' in response.get_data(as_text=True)


def test_json_clients_get_a_json_503(broken_client):
    response = broken_client.get("/courses", headers={"Accept": "application/json"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert response.get_json()["error"]["status"] == 503
    assert response.get_json()["error"]["retry_after"] == DATABASE_RETRY_AFTER_SECONDS


def test_a_signed_in_visitor_gets_the_503_page_not_an_error(broken_client):
    with broken_client.session_transaction() as session:
        session["_user_id"] = "1:stamp"

    response = broken_client.get("/portal/")

    assert response.status_code == 503
    assert "The catalog cannot reach its database just now" in page_text(response)


def test_the_security_headers_are_on_the_503(broken_client):
    response = broken_client.get("/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_sent_enquiry_comes_back_with_a_message_saying_nothing_was_sent(broken_client):
    response = send_typed(broken_client)

    assert response.status_code == 503
    # The rate limiter may put its own (longer) wait on this route; either way one is given.
    assert int(response.headers["Retry-After"]) >= DATABASE_RETRY_AFTER_SECONDS
    assert "Nothing was sent" in page_text(response)
    assert "please send it again in a minute" in page_text(response)


def test_a_sent_enquiry_comes_back_with_everything_typed(broken_client):
    page = send_typed(broken_client).get_data(as_text=True)

    for field in ("name", "email", "phone", "submission_key", "form_stamp"):
        assert re.search(
            rf'name="{field}"[^>]*value="{re.escape(html.escape(TYPED[field]))}"', page
        ) or re.search(rf'value="{re.escape(html.escape(TYPED[field]))}"[^>]*name="{field}"', page), field
    assert TYPED["message"] in html.unescape(page)
    assert re.search(r'<option selected value="17">|<option value="17" selected>', page)
    assert re.search(r'checked[^>]*value="whatsapp"|value="whatsapp"[^>]*checked', page)
    assert re.search(r'<input checked[^>]*name="consent"|name="consent"[^>]*checked', page)


def test_the_kept_enquiry_posts_back_to_the_same_course(broken_client):
    page = send_typed(broken_client).get_data(as_text=True)

    assert 'action="/courses/mlops-bootcamp/enquire"' in page


def test_static_files_are_served_without_the_database(broken_client):
    response = broken_client.get("/static/css/site.css")

    assert response.status_code == 200
    assert b"--" in response.data
