"""Security headers: on every response (pages, every error page, static files); HSTS in production."""

from __future__ import annotations

import pytest
from flask import abort

from catalog.security import PERMISSIONS_POLICY
from tests.builders import make_course

#: The headers every response carries, whatever answered it.
EVERY_RESPONSE = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
HSTS = "max-age=63072000; includeSubDomains"


@pytest.fixture
def failing_routes(app):
    """Two routes of the test's own that fail the way a broken or unavailable app would."""

    def broken():
        raise RuntimeError("a bug")

    def unavailable():
        abort(503, description="Down for a moment.")

    app.add_url_rule("/test-broken", view_func=broken)
    app.add_url_rule("/test-unavailable", view_func=unavailable)


def page(client, app):
    return client.get("/")


def not_found(client, app):
    return client.get("/no-such-page")


def method_not_allowed(client, app):
    return client.delete("/courses")


def bad_request(client, app):
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    return client.get("/", headers={"Host": "attacker.example"})


def too_many_requests(client, app):
    course = make_course()
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    client.post(f"/courses/{course.slug}/enquire", data={})
    return client.post(f"/courses/{course.slug}/enquire", data={})


def server_error(client, app):
    return client.get("/test-broken")


def service_unavailable(client, app):
    return client.get("/test-unavailable")


def static_file(client, app):
    response = client.get("/static/css/site.css")
    response.close()
    return response


RESPONSES = {
    200: page,
    404: not_found,
    405: method_not_allowed,
    400: bad_request,
    429: too_many_requests,
    500: server_error,
    503: service_unavailable,
    "static": static_file,
}


@pytest.mark.parametrize("status", RESPONSES, ids=str)
@pytest.mark.parametrize("header", EVERY_RESPONSE)
def test_every_response_carries_the_security_header(client, app, failing_routes, status, header):
    response = RESPONSES[status](client, app)
    assert response.status_code == (200 if status == "static" else status)
    assert EVERY_RESPONSE[header] in response.headers.get(header, "")


def test_permissions_policy_switches_off_camera_microphone_location_payment_usb_and_topics(client):
    policy = client.get("/").headers["Permissions-Policy"]
    features = dict(part.split("=") for part in policy.split(", "))
    assert features == {
        "camera": "()",
        "microphone": "()",
        "geolocation": "()",
        "payment": "()",
        "usb": "()",
        "browsing-topics": "()",
    }


def test_production_responses_demand_https_for_two_years(client, app):
    app.config["CATALOG_ENV"] = "production"
    assert client.get("/").headers["Strict-Transport-Security"] == HSTS


def test_production_error_pages_demand_https_too(client, app):
    app.config["CATALOG_ENV"] = "production"
    assert client.get("/no-such-page").headers["Strict-Transport-Security"] == HSTS


def test_development_does_not_demand_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
