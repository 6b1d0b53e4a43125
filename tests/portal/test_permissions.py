"""The portal's permission matrix: every portal route, every method, as every kind of visitor.

Routes are read from the application's URL map, so a new portal route is checked the day it is
added; one whose URL arguments the table below cannot fill fails loudly until it is added here.
Record ids in URLs are institute A's. Staff of institute B must never see or change A's data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import g
from sqlalchemy import select

from catalog import create_app
from catalog.extensions import db as _db
from catalog.models import (
    Base,
    Batch,
    Campus,
    Course,
    CourseModule,
    Enquiry,
    Event,
    Institute,
    Instructor,
    Partner,
    PasswordResetToken,
    Role,
    User,
)
from catalog.models.base import utcnow
from catalog.services import passwords
from catalog.services.passwords import hash_password
from catalog.tokens import hash_token
from tests.builders import (
    TEST_PASSWORD,
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_enquiry,
    make_event,
    make_institute,
    make_instructor,
    make_user,
)
from tests.helpers import find_csrf_token

RESET_TOKEN = "matrix-reset-token-for-staff-a"

#: Routes anyone may use, signed in or not.
PUBLIC = {
    "portal.login",
    "portal.logout",
    "portal.register",
    "portal.password_forgot",
    "portal.password_reset",
}
#: Routes for any signed-in account (staff of any institute, or an admin).
ACCOUNT = {"portal.password_change", "portal.awaiting_approval"}
# Every other portal route is for staff of an approved institute, with their own records only.

FINE = {200, 302, 400}

#: Words that appear only in institute A's records: staff of B must never see them.
A_MARKERS = (
    "Zephyrine Institute",
    "Zephyrine Feature Store Course",
    "Zephyrine Instructor",
    "Zephyrine Meetup",
    "Zephyrine Learner",
    "zephyrine-learner@example.in",
    "12 Zephyrine Road",
    "Zephyrine Partner",
)

#: A payload that several portal forms would accept in part, so a forgotten ownership check
#: has a chance to write something.
PAYLOAD = {
    "status": "contacted",
    "note": "Changed by someone else",
    "title": "Changed by someone else",
    "name": "Changed by someone else",
    "summary": "Changed by someone else",
    "seats_left": "0",
    "seats_total": "1",
    "confirm": "y",
}


@dataclass
class World:
    """Institute A with one record of every kind, institute B, and who is signing in."""

    institute_a: Institute
    course: Course
    module: CourseModule
    batch: Batch
    event: Event
    instructor: Instructor
    campus: Campus
    partner: Partner
    enquiry: Enquiry
    staff_a: User
    staff_b: User
    admin: User

    def record_id(self, name: str) -> int:
        return getattr(self, name).id


#: URL argument name -> the record of A whose id fills it.
ARGUMENTS = {
    "course_id": "course",
    "module_id": "module",
    "batch_id": "batch",
    "event_id": "event",
    "instructor_id": "instructor",
    "campus_id": "campus",
    "partner_id": "partner",
    "enquiry_id": "enquiry",
}
#: URL arguments that are not record ids.
OTHER_ARGUMENTS = {"token": RESET_TOKEN}
#: A bare ``id`` argument: which record, from the endpoint's resource word.
BARE_ID = {
    "course": "course",
    "module": "module",
    "batch": "batch",
    "event": "event",
    "instructor": "instructor",
    "campus": "campus",
    "partner": "partner",
    "enquiry": "enquiry",
    "inbox": "enquiry",
}


def _portal_rules():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("portal."):
            for method in sorted(rule.methods & {"GET", "POST"}):
                rules.append((rule.endpoint, rule.rule, tuple(sorted(rule.arguments)), method))
    return sorted(rules)


PORTAL_ROUTES = _portal_rules()


def _bare_id_record(endpoint: str) -> str | None:
    resource = endpoint.removeprefix("portal.").split("_")[0]
    return BARE_ID.get(resource) or BARE_ID.get(resource.rstrip("s"))


def _argument_value(world: World, endpoint: str, argument: str):
    if argument in ARGUMENTS:
        return world.record_id(ARGUMENTS[argument])
    if argument in OTHER_ARGUMENTS:
        return OTHER_ARGUMENTS[argument]
    if argument == "id" and _bare_id_record(endpoint):
        return world.record_id(_bare_id_record(endpoint))
    pytest.fail(f"{endpoint}: no value for URL argument {argument!r}; add it to tests/test_permissions.py")


def build_url(world: World, rule: str, endpoint: str, arguments: tuple[str, ...]) -> str:
    """The rule's URL with every argument filled from A's records."""

    def fill(match: re.Match) -> str:
        return str(_argument_value(world, endpoint, match.group("name")))

    return re.sub(r"<(?:[^:<>]+:)?(?P<name>[^<>]+)>", fill, rule)


def test_every_portal_route_is_in_the_matrix():
    """Fails when a portal route has a URL argument this module cannot fill."""
    assert PORTAL_ROUTES, "no portal routes found"
    unknown = [
        f"{endpoint} <{argument}>"
        for endpoint, _rule, arguments, _method in PORTAL_ROUTES
        for argument in arguments
        if argument not in ARGUMENTS
        and argument not in OTHER_ARGUMENTS
        and not (argument == "id" and _bare_id_record(endpoint))
    ]
    assert not unknown, f"add these URL arguments to tests/test_permissions.py: {unknown}"


@functools.cache
def _test_password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def world(db, monkeypatch) -> World:
    with monkeypatch.context() as patch:
        # Hashing is slow on purpose; three accounts per test can share one hash.
        patch.setattr(passwords, "hash_password", lambda password: _test_password_hash())
        return _build_world()


def _build_world() -> World:
    hitec = make_area(name="HITEC City", slug="hitec-city")
    institute_a = make_institute(name="Zephyrine Institute", slug="zephyrine")
    campus = make_campus(institute_a, hitec, address="12 Zephyrine Road")
    instructor = make_instructor(institute_a, name="Zephyrine Instructor")
    course = make_course(
        title="Zephyrine Feature Store Course",
        institute=institute_a,
        campuses=[campus],
        instructors=[instructor],
        modules=[("Zephyrine Module", 8)],
    )
    partner = Partner(institute=institute_a, name="Zephyrine Partner")
    _db.session.add(partner)
    batch = make_batch(course, campus=campus)
    event = make_event(title="Zephyrine Meetup", institute=institute_a)
    enquiry = make_enquiry(
        course, batch=batch, name="Zephyrine Learner", email="zephyrine-learner@example.in"
    )

    institute_b = make_institute(name="Other Institute B", slug="other-b")
    make_enquiry(make_course(title="B's Course", institute=institute_b), name="B's Learner")
    make_event(title="B's Event", institute=institute_b)
    make_instructor(institute_b, name="B's Instructor")

    staff_a = make_user(institute=institute_a, email="staff@zephyrine.in")
    _db.session.add(
        PasswordResetToken(
            user=staff_a, token_hash=hash_token(RESET_TOKEN), expires_at=utcnow() + timedelta(hours=2)
        )
    )
    _db.session.commit()
    return World(
        institute_a=institute_a,
        course=course,
        module=course.modules[0],
        batch=batch,
        event=event,
        instructor=instructor,
        campus=campus,
        partner=partner,
        enquiry=enquiry,
        staff_a=staff_a,
        staff_b=make_user(institute=institute_b),
        admin=make_user(role=Role.ADMIN, institute=None),
    )


def snapshot_of(institute_id: int) -> dict[str, list[tuple]]:
    """Every row that belongs to the institute, in every table, as plain tuples."""
    _db.session.expire_all()
    conn = _db.session.connection()
    courses = select(Course.id).where(Course.institute_id == institute_id)
    events = select(Event.id).where(Event.institute_id == institute_id)
    enquiries = select(Enquiry.id).where(Enquiry.institute_id == institute_id)
    users = select(User.id).where(User.institute_id == institute_id)
    rows = {}
    for table in Base.metadata.sorted_tables:
        columns = table.c
        if table.name == "institutes":
            condition = columns.id == institute_id
        elif "institute_id" in columns:
            condition = columns.institute_id == institute_id
        elif "course_id" in columns:
            condition = columns.course_id.in_(courses)
        elif "event_id" in columns:
            condition = columns.event_id.in_(events)
        elif "enquiry_id" in columns:
            condition = columns.enquiry_id.in_(enquiries)
        elif "user_id" in columns:
            condition = columns.user_id.in_(users)
        else:
            continue
        query = select(table).where(condition).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in conn.execute(query)]
    _db.session.commit()
    return rows


def form_token(client) -> str:
    """A CSRF token for this client's session, read from a form it can open."""
    for url in ("/portal/password", "/portal/login"):
        token = find_csrf_token(client.get(url).get_data(as_text=True))
        if token:
            return token
    pytest.fail("no page with a form for this visitor; cannot get a CSRF token")


def visit(client, auth, user: User | None, method: str, url: str):
    """One request as ``user`` (None: anonymous), POSTs with a valid CSRF token."""
    # Requests share the test's app context: forget the user and the CSRF token kept in ``g``.
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    auth.logout()
    if user is not None:
        auth.login(user)
    if method == "GET":
        return client.get(url)
    return client.post(url, data={**PAYLOAD, "csrf_token": form_token(client)})


def describe(endpoint: str, method: str, who: str, response) -> str:
    return (
        f"{method} {endpoint} as {who} answered {response.status_code} {response.headers.get('Location', '')}"
    )


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/portal/login"


@pytest.mark.parametrize(
    ("endpoint", "rule", "arguments", "method"),
    PORTAL_ROUTES,
    ids=[f"{method}-{endpoint}" for endpoint, _r, _a, method in PORTAL_ROUTES],
)
def test_route_answers_each_visitor_as_the_matrix_says(
    client, auth, world, endpoint, rule, arguments, method
):
    url = build_url(world, rule, endpoint, arguments)
    owns_records = any(argument in ARGUMENTS or argument == "id" for argument in arguments)
    before = snapshot_of(world.institute_a.id)

    anonymous = visit(client, auth, None, method, url)
    if endpoint in PUBLIC:
        assert anonymous.status_code in FINE, describe(endpoint, method, "anonymous", anonymous)
    else:
        assert _sent_to_login(anonymous), describe(endpoint, method, "anonymous", anonymous)

    other = visit(client, auth, world.staff_b, method, url)
    who = "staff of B"
    if endpoint in PUBLIC or endpoint in ACCOUNT:
        assert other.status_code in FINE, describe(endpoint, method, who, other)
    elif owns_records:
        assert other.status_code == 404, describe(endpoint, method, who, other)
    else:
        assert other.status_code in FINE, describe(endpoint, method, who, other)
    if endpoint not in PUBLIC:
        leaked = [marker for marker in A_MARKERS if marker in other.get_data(as_text=True)]
        assert not leaked, f"{method} {endpoint} showed staff of B institute A's data: {leaked}"

    admin = visit(client, auth, world.admin, method, url)
    if endpoint in PUBLIC or endpoint in ACCOUNT:
        assert admin.status_code in FINE | {403}, describe(endpoint, method, "admin", admin)
    else:
        assert admin.status_code == 403, describe(endpoint, method, "admin", admin)

    if method == "POST":
        assert snapshot_of(world.institute_a.id) == before, (
            f"POST {endpoint} by someone outside institute A changed A's data"
        )

    own = visit(client, auth, world.staff_a, method, url)
    assert own.status_code in FINE, describe(endpoint, method, "staff of A", own)


PORTAL_POSTS = [route for route in PORTAL_ROUTES if route[3] == "POST"]


@pytest.mark.parametrize(
    ("endpoint", "rule", "arguments", "method"),
    PORTAL_POSTS,
    ids=[f"{endpoint}" for endpoint, _r, _a, _m in PORTAL_POSTS],
)
def test_every_portal_form_refuses_a_post_without_csrf_token(
    client, auth, world, endpoint, rule, arguments, method
):
    """Even staff of A, on A's own records, change nothing without a valid token."""
    url = build_url(world, rule, endpoint, arguments)
    g.pop("_login_user", None)
    auth.logout()
    if endpoint not in PUBLIC:
        auth.login(world.staff_a)
    # Signing in writes a session row; the snapshot is of what the posts might change.
    before = snapshot_of(world.institute_a.id)
    for token in (None, "forged-token"):
        data = dict(PAYLOAD) if token is None else {**PAYLOAD, "csrf_token": token}
        response = client.post(url, data=data)
        assert response.status_code == 400, describe(endpoint, method, "staff of A without a token", response)
    assert snapshot_of(world.institute_a.id) == before
