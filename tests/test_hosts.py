"""Host and links: emails link to SITE_URL alone, untrusted hosts get 400, proxies are trusted by count."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from catalog import create_app
from catalog.config import ConfigError, load_config
from catalog.models import OutboxMessage
from tests.builders import make_batch, make_course, make_institute
from tests.helpers import enquiry_form

SITE_URL = "https://courses.example.in"
ATTACKER = "attacker.example"
PRODUCTION = {"CATALOG_ENV": "production", "SECRET_KEY": "s3cret", "REDIS_URL": "redis://cache:6379/0"}


@pytest.fixture
def course(app):
    """A published course of an institute with an email address, so an enquiry sends two emails."""
    institute = make_institute(email="admissions@madhapur-ml.example")
    course = make_course(institute=institute)
    make_batch(course, starts_in_days=20)
    return course


def proxied_client(app, proxies: int, **config):
    """A test client of a second app, like ``app`` but behind ``proxies`` trusted proxies."""
    proxied = create_app({**app.config, "PROXY_COUNT": proxies, **config})
    return proxied.test_client()


def enquire(client, course, headers: dict[str, str] | None = None, address: str = "127.0.0.1"):
    """Open the enquiry form and send it filled in, with ``headers`` on both requests."""
    environ = {"REMOTE_ADDR": address}
    data = enquiry_form(client, course, headers=headers, environ_base=environ)
    return client.post(f"/courses/{course.slug}/enquire", data=data, headers=headers, environ_base=environ)


def outbox_text(db) -> str:
    """Every recipient, subject and body in the outbox, as one text."""
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 2, "an enquiry queues the learner's receipt and the institute's notice"
    return "\n".join(f"{m.to_email}\n{m.subject}\n{m.body}" for m in messages)


# Links in emails


def test_email_links_come_from_site_url_not_from_the_requests_host(app, client, db, course):
    app.config["SITE_URL"] = SITE_URL
    hostile = {"Host": ATTACKER, "X-Forwarded-Host": ATTACKER}
    assert enquire(client, course, headers=hostile).status_code == 303
    emails = outbox_text(db)
    assert ATTACKER not in emails
    assert f"{SITE_URL}/enquiries/" in emails


def test_email_links_come_from_site_url_behind_a_proxy_too(app, db, course):
    client = proxied_client(app, 1, SITE_URL=SITE_URL)
    forwarded = {"X-Forwarded-Host": ATTACKER, "X-Forwarded-Proto": "http"}
    assert enquire(client, course, headers=forwarded).status_code == 303
    emails = outbox_text(db)
    assert ATTACKER not in emails
    assert f"{SITE_URL}/enquiries/" in emails


# Trusted hosts


def test_production_refuses_to_start_without_trusted_hosts(tmp_path):
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS must be set when CATALOG_ENV=production"):
        load_config(str(tmp_path), PRODUCTION)


def test_trusted_hosts_are_a_comma_separated_list(tmp_path):
    config = load_config(str(tmp_path), {**PRODUCTION, "TRUSTED_HOSTS": "courses.example.in, .example.in"})
    assert config["TRUSTED_HOSTS"] == ["courses.example.in", ".example.in"]


def test_development_trusts_any_host_by_default(tmp_path):
    assert load_config(str(tmp_path), {})["TRUSTED_HOSTS"] is None


def test_request_for_an_untrusted_host_gets_the_styled_400(app, client):
    app.config["TRUSTED_HOSTS"] = ["courses.example.in"]
    response = client.get("/courses", headers={"Host": ATTACKER})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-page"' in page and 'href="/static/css/site.css?v=' in page
    assert "This site does not answer to the host name in the request." in page


def test_json_client_asking_an_untrusted_host_gets_a_json_400(app, client):
    app.config["TRUSTED_HOSTS"] = ["courses.example.in"]
    response = client.get("/courses", headers={"Host": ATTACKER, "Accept": "application/json"})
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400


def test_request_for_a_trusted_host_is_served(app, client):
    app.config["TRUSTED_HOSTS"] = ["courses.example.in"]
    assert client.get("/courses", headers={"Host": "courses.example.in"}).status_code == 200


def test_forwarded_host_behind_a_proxy_must_be_trusted(app):
    client = proxied_client(app, 1, TRUSTED_HOSTS=["courses.example.in"])
    headers = {"Host": "courses.example.in", "X-Forwarded-Host": ATTACKER}
    assert client.get("/courses", headers=headers).status_code == 400


# Proxies


def test_proxy_count_trusts_that_many_proxies_for_address_scheme_and_host(app):
    proxied = create_app({**app.config, "PROXY_COUNT": 2})
    assert isinstance(proxied.wsgi_app, ProxyFix)
    assert (proxied.wsgi_app.x_for, proxied.wsgi_app.x_proto, proxied.wsgi_app.x_host) == (2, 2, 2)


def test_without_proxy_count_no_forwarded_header_is_trusted(app):
    assert not isinstance(app.wsgi_app, ProxyFix)


def test_proxy_count_must_be_a_number(tmp_path):
    with pytest.raises(ConfigError, match="PROXY_COUNT must be the number of trusted proxies"):
        load_config(str(tmp_path), {"PROXY_COUNT": "two"})


def test_behind_a_proxy_the_address_limit_counts_each_client_apart(app, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    client = proxied_client(app, 1)
    proxy = "10.0.0.2"
    first = enquire(client, course, headers={"X-Forwarded-For": "203.0.113.7"}, address=proxy)
    second = enquire(client, course, headers={"X-Forwarded-For": "203.0.113.8"}, address=proxy)
    assert (first.status_code, second.status_code) == (303, 303)


def test_behind_a_proxy_the_address_limit_holds_for_one_client(app, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    client = proxied_client(app, 1)
    enquire(client, course, headers={"X-Forwarded-For": "203.0.113.7"}, address="10.0.0.2")
    again = enquire(client, course, headers={"X-Forwarded-For": "203.0.113.7"}, address="10.0.0.3")
    assert again.status_code == 429


def test_an_address_the_client_prepends_does_not_change_its_key(app, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    client = proxied_client(app, 1)
    enquire(client, course, headers={"X-Forwarded-For": "203.0.113.7"}, address="10.0.0.2")
    spoofed = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert enquire(client, course, headers=spoofed, address="10.0.0.2").status_code == 429


def test_without_a_proxy_forwarded_addresses_are_ignored(app, client, course):
    app.config["ENQUIRY_LIMITS_PER_ADDRESS"] = "1 per minute"
    enquire(client, course, headers={"X-Forwarded-For": "203.0.113.7"})
    again = enquire(client, course, headers={"X-Forwarded-For": "203.0.113.8"})
    assert again.status_code == 429
