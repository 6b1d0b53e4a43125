"""No input gives a 500: generated paths, query strings and form bodies sent to every route.

The routes come from ``app.url_map`` itself, so a new route is covered without editing this
file. Each route and method is tried anonymously and signed in as institute staff, with path
values (real ids and slugs, huge numbers, any text), query strings (text in any script, control
characters, bytes, huge and repeated values) and, for POST, a body for every field of the form
the page renders, with a valid CSRF token so that it reaches validation. On both backends.

Under CI (``CI=true``) the examples are derandomized; ``FUZZ_EXAMPLES`` sets how many are drawn.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from catalog import create_app
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_enquiry,
    make_event,
    make_instructor,
    make_topic,
    make_user,
)
from tests.helpers import find_csrf_token

#: Examples per route, method and identity; ``FUZZ_EXAMPLES=50`` for a deeper run by hand.
settings.register_profile(
    "fuzz-dev",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5")),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: CI (``CI=true``) runs the same examples every time, so a red run can be repeated.
settings.register_profile("fuzz-ci", parent=settings.get_profile("fuzz-dev"), derandomize=True)
FUZZ_SETTINGS = settings.get_profile("fuzz-ci" if os.environ.get("CI") else "fuzz-dev")

FIELD_RE = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
FORM_TYPE = "application/x-www-form-urlencoded"
#: Parameter names the pages read, so generated values reach the code behind them.
KNOWN_PARAMS = [
    "q", "page", "sort", "topic", "tool", "area", "mode", "schedule", "format", "level", "kind",
    "status", "course", "received_from", "received_to", "next", "token", "batch", "duration", "fee",
]  # fmt: skip


def _routes() -> list[tuple[str, str]]:
    """Every (endpoint, method) of the app but static files, read from a throwaway app."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    pairs = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return sorted(pairs)


ROUTES = _routes()

#: Text a page can store: any script, no control characters.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40)
control = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f", "\r\n", "\t"])
#: Values at the edges of what the pages read: numbers, quotes, markup, escapes, paths.
SPECIAL = ["", " ", "-1", "0", "1e9", "99999999999999999999", "'", '"', "<script>", "%", "../", "%00"]
#: Mostly text that passes the guard, so most requests reach the forms and reads behind it.
ugly_text = st.one_of(
    text,
    text,
    st.sampled_from(SPECIAL),
    st.builds(lambda a, c, b: a + c + b, text, control, text),
    st.integers(min_value=1, max_value=40).map(lambda n: "x" * (n * 250)),
)
raw_bytes = st.binary(max_size=24)
#: Numbers at and past the limits of the databases' integer columns.
EDGE_IDS = [0, 2**31 - 1, 2**31, 2**63, 10**25]


@st.composite
def query_strings(draw) -> str:
    """A query string of known and made-up names, text or (now and then) raw bytes, some repeated."""
    pairs = []
    for _ in range(draw(st.integers(0, 5))):
        name = draw(st.one_of(st.sampled_from(KNOWN_PARAMS), st.sampled_from(KNOWN_PARAMS), text))
        if draw(st.integers(0, 4)):
            value = quote(draw(ugly_text), safe="")
        else:
            value = quote_from_bytes(draw(raw_bytes), safe="")
        pairs.extend([f"{quote(name, safe='')}={value}"] * draw(st.integers(1, 3)))
    return "&".join(pairs)


def _path_value(draw, converter, real: dict[str, list]) -> object:
    if isinstance(converter, IntegerConverter):
        return draw(st.one_of(st.sampled_from([*real["int"], *EDGE_IDS]), st.integers(0, 10**30)))
    return draw(st.one_of(st.sampled_from(real["text"]), ugly_text.filter(lambda v: v and "/" not in v)))


@pytest.fixture
def records(app):
    """A small catalog whose ids and slugs the path values use, and the staff member who owns it."""
    course = make_course(title="MLflow Pipelines in Production")
    institute = course.institute
    area = make_area()
    batch = make_batch(course)
    staff = make_user(institute)
    values = {
        "int": [
            course.id,
            batch.id,
            make_campus(institute, area).id,
            make_instructor(institute).id,
            make_event(institute=institute).id,
            make_enquiry(course).id,
        ],
        "text": [course.slug, institute.slug, make_topic().slug, "ENQ-T00001", "kubernetes"],
    }
    return staff, values


def _form_fields(client, url: str) -> tuple[list[str], str | None]:
    """The field names and CSRF token of the form the page at ``url`` renders (if it answers)."""
    page = client.get(url).get_data(as_text=True)
    names = [name for name in dict.fromkeys(FIELD_RE.findall(page)) if name != "csrf_token"]
    return names, find_csrf_token(page)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_no_generated_input_gives_a_server_error(app, client, auth, records, endpoint, method, signed_in):
    staff, real = records
    if signed_in:
        auth.login(staff)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    adapter = app.url_map.bind("localhost")

    @FUZZ_SETTINGS
    @given(data=st.data())
    def attempt(data):
        values = {name: _path_value(data.draw, conv, real) for name, conv in rule._converters.items()}
        path = adapter.build(endpoint, values, method=method)
        url = f"{path}?{data.draw(query_strings())}"
        if method == "GET":
            response = client.get(url)
            body = None
        else:
            fields, token = _form_fields(client, path)
            if token is None:  # a POST-only action: any page's token is the session's token
                token = _form_fields(client, "/portal/login")[1]
            body = {name: data.draw(ugly_text) for name in fields}
            extra = data.draw(st.dictionaries(text, ugly_text, max_size=2))
            body = {**extra, **body, "csrf_token": token}
            response = client.post(
                url, data=urlencode(body), content_type="application/x-www-form-urlencoded"
            )
        assert response.status_code < 500, f"{method} {url} {body!r} answered {response.status_code}"

    attempt()


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
def test_edge_values_in_every_path_give_no_server_error(app, client, auth, records, signed_in):
    # The edges, every one on every route, whatever the generated examples happen to draw.
    staff, _real = records
    if signed_in:
        auth.login(staff)
    adapter = app.url_map.bind("localhost")
    failures = []
    for endpoint, method in ROUTES:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if not rule.arguments:
            continue
        for index in range(max(len(EDGE_IDS), len(SPECIAL))):
            values = {
                name: EDGE_IDS[index % len(EDGE_IDS)]
                if isinstance(converter, IntegerConverter)
                else SPECIAL[index % len(SPECIAL)] or "-"
                for name, converter in rule._converters.items()
            }
            url = adapter.build(endpoint, values, method=method)
            response = client.open(url, method=method, data={"csrf_token": "x"} if method == "POST" else None)
            if response.status_code >= 500:
                failures.append(f"{method} {url} answered {response.status_code}")
    assert failures == []
