"""The admin area's permission matrix: every admin route, every method, as every kind of visitor.

Routes are read from the application's URL map, so a new admin route is checked the day it is
added; one whose URL arguments :data:`ARGUMENTS` cannot fill fails loudly until it is added
there. Anonymous visitors are sent to sign in, institute staff get 403, and only an admin is
let through, on every route and method, before any form is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from werkzeug.routing import Rule

from catalog import create_app
from catalog.emails import Email
from catalog.extensions import db
from catalog.models import ReportReason, Role
from catalog.services.outbox import queue_email
from catalog.services.reports import ReportDetails, submit_report
from tests.builders import make_batch, make_course, make_event, make_institute, make_topic, make_user


@dataclass
class World:
    """The records an admin URL can name, and one visitor of each kind."""

    admin: object
    staff: object
    records: dict[str, int]


#: How each URL argument of an admin route is filled, from the world's records.
ARGUMENTS: dict[str, Callable[[World], object]] = {
    "institute_id": lambda world: world.records["institute"],
    "course_id": lambda world: world.records["course"],
    "batch_id": lambda world: world.records["batch"],
    "event_id": lambda world: world.records["event"],
    "user_id": lambda world: world.records["staff"],
    "message_id": lambda world: world.records["message"],
    "report_id": lambda world: world.records["report"],
    "kind": lambda world: "topic",
    "term_id": lambda world: make_topic().id,
}


def admin_rules() -> list[tuple[str, str, tuple[str, ...], str]]:
    """(endpoint, rule, arguments, method) for every admin route and method in the URL map."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    rules: list[Rule] = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]
    return [
        (rule.endpoint, rule.rule, tuple(sorted(rule.arguments)), method)
        for rule in sorted(rules, key=lambda rule: rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


ADMIN_ROUTES = admin_rules()


@pytest.fixture
def world(app) -> World:
    institute = make_institute()
    course = make_course(institute=institute)
    batch = make_batch(course)
    event = make_event(institute=institute)
    staff = make_user(institute=institute)
    admin = make_user(role=Role.ADMIN)
    records = {"institute": institute.id, "course": course.id, "batch": batch.id, "event": event.id}
    records["staff"] = staff.id
    message = queue_email(db.session, "test", "learner@example.in", Email("Your enquiry", "Thank you."))
    db.session.commit()
    records["message"] = message.id
    records["report"] = submit_report(db.session, course, ReportDetails(ReportReason.WRONG_FEE)).id
    return World(admin=admin, staff=staff, records=records)


def url_for_rule(world: World, rule: str, arguments: tuple[str, ...]) -> str:
    url = rule
    for argument in arguments:
        assert argument in ARGUMENTS, f"add a way to fill <{argument}> of {rule} to ARGUMENTS"
        url = url.replace(f"<{argument}>", str(ARGUMENTS[argument](world)))
        url = url.replace(f"<int:{argument}>", str(ARGUMENTS[argument](world)))
    return url


def visit(client, method: str, url: str):
    return client.open(url, method=method, data={})


def test_the_admin_area_has_routes():
    assert ADMIN_ROUTES, "the admin blueprint registered no routes"


@pytest.mark.parametrize(("endpoint", "rule", "arguments", "method"), ADMIN_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, endpoint, rule, arguments, method):
    response = visit(client, method, url_for_rule(world, rule, arguments))
    assert response.status_code == 302, f"{method} {rule}: {response.status_code}"
    assert urlsplit(response.headers["Location"]).path == "/portal/login"


@pytest.mark.parametrize(("endpoint", "rule", "arguments", "method"), ADMIN_ROUTES)
def test_institute_staff_are_refused(client, auth, world, endpoint, rule, arguments, method):
    auth.login(world.staff)
    response = visit(client, method, url_for_rule(world, rule, arguments))
    assert response.status_code == 403, f"{method} {rule}: {response.status_code}"


@pytest.mark.parametrize(("endpoint", "rule", "arguments", "method"), ADMIN_ROUTES)
def test_admins_are_let_in(client, auth, world, endpoint, rule, arguments, method):
    auth.login(world.admin)
    response = visit(client, method, url_for_rule(world, rule, arguments))
    # A POST without a CSRF token is refused (400) by the form, not by the gate; nothing 5xx.
    assert response.status_code not in (401, 403) and response.status_code < 500, (
        f"{method} {rule}: {response.status_code}"
    )
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path != "/portal/login"
