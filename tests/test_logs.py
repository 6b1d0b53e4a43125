"""Log lines: no email address, phone number or token in any of them; plain or JSON; request ids."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import runpy
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gunicorn.config import Config

from catalog import create_app
from catalog.logs import GunicornLogger, LogHandler, MaskingFilter, installed_handler, mask
from tests.builders import TEST_PASSWORD, make_course, make_enquiry, make_user
from tests.helpers import csrf_token, enquiry_form

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_output(app):
    """The lines the app's log handler writes from now on."""
    stream = io.StringIO()
    handler = installed_handler()
    handler.stream = stream
    yield stream
    handler.stream = None


def wait_for_line(stream: io.StringIO, needle: str, deadline_seconds: float = 5.0) -> str:
    """The first line holding ``needle``, polling until the deadline (the server logs after answering)."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        for line in stream.getvalue().splitlines():
            if needle in line:
                return line
        time.sleep(0.01)
    raise AssertionError(f"no log line with {needle!r} in {stream.getvalue()!r}")


# Masking, as a function


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # Email addresses keep their first letters.
        ("sent to asha.rao@example.in", "sent to a***@e***"),
        ("key email:asha@example.in/login", "key email:a***@e***/login"),
        ("email=asha%40example.in&next=/", "email=a***@e***&next=/"),
        # Phone numbers keep their last two digits.
        ("+919876543210", "+**********10"),
        ("call +91 98765 43210", "call +** ***** ***10"),
        ("9876543210", "********10"),
        ("098765 43210", "*****" + "* ***10"),
        ("office 040-23734418", "office ***-******18"),
        ("phone=%2B919876543210", "phone=%2B**********10"),
        ("+44 20 7946 0958", "+** ** **** **58"),
        # Tokens in links keep nothing.
        ("GET /enquiries/ENQ-7K4P2Q?token=Zm9vYmFy HTTP/1.1", "GET /enquiries/ENQ-7K4P2Q?token=*** HTTP/1.1"),
        ("GET /portal/password/reset/Zm9vYmFy HTTP/1.1", "GET /portal/password/reset/*** HTTP/1.1"),
        ("POST /x?csrf_token=abc&submission_key=def", "POST /x?csrf_token=***&submission_key=***"),
        ("secret Qx9kLm2PzR8tYv4WbN6cJd1FhG3sA5eU here", "secret *** here"),
    ],
)
def test_emails_phone_numbers_and_tokens_are_masked(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01T11:22:33.123+00:00 worker 12345 at 127.0.0.1:5000",
        "Enquiry ENQ-7K4P2Q about course 42: 5 per 15 minutes",
        "GET /courses/kubernetes-for-ml-engineers-advanced-batch?page=2 HTTP/1.1",
    ],
)
def test_ordinary_text_is_left_as_it_is(text):
    assert mask(text) == text


def test_masking_filter_masks_arguments_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "sent to %s", ("asha@example.in",), None)
    try:
        raise ValueError("no mailbox asha@example.in")
    except ValueError:
        record.exc_info = sys.exc_info()
    MaskingFilter().filter(record)
    assert record.getMessage() == "sent to a***@e***"
    assert "asha@example.in" not in record.exc_text and "a***@e***" in record.exc_text


# Real requests


def test_tracking_link_visit_is_logged_without_its_token(app, db, live_server, log_output):
    enquiry = make_enquiry(make_course(), token="PrivateLinkToken123")
    urllib.request.urlopen(f"{live_server}/enquiries/{enquiry.reference}?token=PrivateLinkToken123")
    line = wait_for_line(log_output, f"GET /enquiries/{enquiry.reference}")
    assert "token=***" in line
    assert "PrivateLinkToken123" not in log_output.getvalue()


def test_password_reset_link_visit_is_logged_without_its_token(app, live_server, log_output):
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(f"{live_server}/portal/password/reset/ResetToken4567abc")
    line = wait_for_line(log_output, "GET /portal/password/reset/")
    assert "/portal/password/reset/***" in line
    assert "ResetToken4567abc" not in log_output.getvalue()


def send_enquiry(client, course, email: str):
    data = {**enquiry_form(client, course), "email": email, "message": ""}
    return client.post(f"/courses/{course.slug}/enquire", data=data)


def test_throttled_enquiry_is_logged_without_the_learners_email(app, db, client, log_output):
    app.config["ENQUIRY_LIMITS_PER_EMAIL"] = "1 per hour"
    course = make_course()
    assert send_enquiry(client, course, "asha.rao@example.in").status_code == 303
    assert send_enquiry(client, course, "asha.rao@example.in").status_code == 429
    line = wait_for_line(log_output, "exceeded")
    assert "a***@e***" in line
    assert "asha.rao@example.in" not in log_output.getvalue()


def test_failed_sign_ins_are_logged_without_the_accounts_email(app, db, client, log_output):
    user = make_user(email="staff.member@institute.example")
    for _ in range(12):
        token = csrf_token(client, "/portal/login")
        response = client.post(
            "/portal/login",
            data={"csrf_token": token, "email": user.email, "password": "wrong " + TEST_PASSWORD},
        )
        if response.status_code == 429:
            break
    assert response.status_code == 429
    wait_for_line(log_output, "exceeded")
    assert "staff.member@institute.example" not in log_output.getvalue()


def test_an_unhandled_error_is_logged_with_its_traceback_masked(app, client, log_output, monkeypatch):
    from catalog.public import home

    def failing_home(*args, **kwargs):
        raise RuntimeError("could not reach asha@example.in at +919876543210")

    monkeypatch.setattr(home, "render_template", failing_home)
    assert client.get("/").status_code == 500
    output = log_output.getvalue()
    assert "RuntimeError: could not reach a***@e*** at +**********10" in output
    assert "asha@example.in" not in output and "9876543210" not in output


# Formats and request ids


def test_plain_lines_carry_time_level_logger_request_id_and_message(app, log_output):
    with app.test_request_context(headers={"X-Request-ID": "edge-42"}):
        logging.getLogger("catalog.test").warning("mail to asha@example.in bounced")
    (line,) = log_output.getvalue().splitlines()
    assert line.endswith(" WARNING [catalog.test] [edge-42] mail to a***@e*** bounced")


def json_app(monkeypatch, database_url):
    monkeypatch.setenv("LOG_FORMAT", "json")
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})


def test_log_format_json_writes_one_json_object_per_line(monkeypatch, database_url):
    app = json_app(monkeypatch, database_url)
    stream = io.StringIO()
    installed_handler().stream = stream
    with app.test_request_context(headers={"X-Request-ID": "edge-42"}):
        logging.getLogger("catalog.test").warning("mail to asha@example.in bounced")
    logging.getLogger("catalog.test").info("outside any request")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert set(first) == {"time", "level", "logger", "message", "request_id"}
    assert (first["level"], first["logger"], first["message"], first["request_id"]) == (
        "WARNING",
        "catalog.test",
        "mail to a***@e*** bounced",
        "edge-42",
    )
    assert first["time"].endswith("+00:00")
    assert second["request_id"] is None


def test_json_lines_carry_the_traceback_masked(monkeypatch, database_url):
    json_app(monkeypatch, database_url)
    stream = io.StringIO()
    installed_handler().stream = stream
    try:
        raise ValueError("asha@example.in")
    except ValueError:
        logging.getLogger("catalog.test").exception("failed")
    (entry,) = (json.loads(line) for line in stream.getvalue().splitlines())
    assert "ValueError: a***@e***" in entry["exception"]


def test_unknown_log_format_stops_the_app_with_a_reason(monkeypatch, database_url):
    from catalog.config import ConfigError

    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT must be one of text, json, not 'xml'"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_a_valid_incoming_request_id_is_echoed(client):
    response = client.get("/privacy", headers={"X-Request-ID": "lb-7f3a.91:2"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.91:2"


@pytest.mark.parametrize("incoming", [None, "", "two words", "x" * 129, "<script>"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(client, incoming):
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = client.get("/privacy", headers=headers)
    generated = response.headers["X-Request-ID"]
    assert generated != incoming and len(generated) == 32 and int(generated, 16) >= 0


def test_every_request_gets_its_own_id(client):
    ids = {client.get("/privacy").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_error_pages_carry_the_request_id_too(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "edge-404"})
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "edge-404"


# Gunicorn


def test_gunicorn_conf_names_the_masking_logger():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["logger_class"] == "catalog.logs.GunicornLogger"


def test_gunicorn_access_log_masks_tokens_in_request_lines():
    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    captured = LogHandler(io.StringIO())
    logger.access_log.addHandler(captured)
    try:
        logger.access_log.info(
            '"GET /enquiries/ENQ-7K4P2Q?token=%(t)s HTTP/1.1" 200', {"t": "PrivateLinkToken123"}
        )
    finally:
        logger.access_log.removeHandler(captured)
    assert captured.stream.getvalue().strip() == '"GET /enquiries/ENQ-7K4P2Q?token=*** HTTP/1.1" 200'


@pytest.mark.servers
def test_gunicorn_access_lines_are_masked_and_carry_the_request_id(database_url, tmp_path):
    from tests.servers import Gunicorn, migrated_database_url, wait_for

    env = {"DATABASE_URL": migrated_database_url(database_url, tmp_path)}
    with Gunicorn(env, workers=1, args=["--access-logfile", "-"]) as server:
        request = urllib.request.Request(
            f"{server.url}/enquiries/ENQ-7K4P2Q?token=PrivateLinkToken123&email=asha%40example.in",
            headers={"X-Request-ID": "edge-77"},
        )
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
        line = wait_for(
            lambda: next((x for x in server.log().splitlines() if "GET /enquiries/ENQ-7K4P2Q" in x), None)
        )
        log = server.log()
    assert "token=***&email=a***@e***" in line
    assert line.endswith(" edge-77")
    assert "PrivateLinkToken123" not in log and "asha" not in log
