"""Helpers the tests share: emptying the database, reading CSRF tokens, filling in the enquiry
form, signing in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text

from catalog.extensions import db as _db
from catalog.models import Base
from catalog.search.facet_index import bump_version
from catalog.search.index import backend_for


def empty_all_tables() -> None:
    """Delete every catalog row and the search index, as between tests."""
    conn = _db.session.connection()
    # search_state keeps its row (as a migrated database has it); its version moves on, so no
    # process reuses a facet index built from the previous test's catalog.
    tables = [t for t in Base.metadata.sorted_tables if t.name != "search_state"]
    # DELETE, children first, not TRUNCATE: a test leaves a few rows in a few tables, and
    # PostgreSQL's TRUNCATE of every table (new files for each table and index) cost 0.2 s.
    for table in reversed(tables):
        conn.execute(table.delete())
    if conn.dialect.name == "postgresql":
        # Ids start at 1 again, as TRUNCATE … RESTART IDENTITY did (and SQLite does by itself).
        conn.execute(
            text(
                "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false) "
                "FROM pg_sequences WHERE last_value IS NOT NULL"
            )
        )
    backend_for(conn).clear(conn)
    bump_version(conn)
    _db.session.commit()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
#: The hidden fields of the enquiry form: CSRF token, submission key and form stamp.
ENQUIRY_HIDDEN_RE = re.compile(r'name="(csrf_token|submission_key|form_stamp)" type="hidden" value="([^"]*)"')
#: What a learner types into the enquiry form: a valid answer to every field.
LEARNER_ANSWERS = {
    "name": "Asha Rao",
    "email": "asha@example.in",
    "phone": "98765 43210",
    "batch": "",
    "preferred_contact": "email",
    "message": "Is the weekend batch taught in Telugu too?",
    "consent": "y",
}


def find_csrf_token(html: str) -> str | None:
    """The CSRF token of the first form in the page ``html``, or None when it has none."""
    match = CSRF_RE.search(html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match.group(1) if match else None


def csrf_token(client, url: str) -> str:
    """The CSRF token of the first form on the page at ``url`` (as a browser would read it)."""
    token = find_csrf_token(client.get(url).get_data(as_text=True))
    assert token, f"no CSRF token on {url}"
    return token


def enquiry_hidden_fields(html: str) -> dict[str, str]:
    """The hidden fields of the enquiry form in the page ``html``, as a browser sends them back."""
    return dict(ENQUIRY_HIDDEN_RE.findall(html))


def filled_enquiry(html: str, **answers: str) -> dict[str, str]:
    """The enquiry form in the page ``html`` filled in: its hidden fields and the learner's
    valid answers, changed by ``answers`` (any client's page: the test client's or a server's)."""
    return {**enquiry_hidden_fields(html), **LEARNER_ANSWERS, **answers}


def enquiry_form(client, course, **request) -> dict[str, str]:
    """Open ``course``'s enquiry form with the test client (``request`` goes to the GET, e.g.
    ``headers``) and fill it in with valid answers."""
    page = client.get(f"/courses/{course.slug}/enquire", **request).get_data(as_text=True)
    return filled_enquiry(page)


class Auth:
    """Signs the test client in as a user: a real server-side session, its id in the cookie
    session where Flask-Login keeps it."""

    def __init__(self, client):
        self.client = client

    def login(self, user) -> None:
        from catalog.services.sessions import start_session

        token = start_session(_db.session, user, "test client")
        with self.client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True

    def logout(self) -> None:
        with self.client.session_transaction() as session:
            session.clear()


@contextmanager
def count_queries(db) -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (to show a page's cost is fixed)."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def search_titles(db, q: str = "", **filters) -> list[str]:
    """Titles of the first page of the course search for ``q`` and ``filters``."""
    from catalog.search import SearchParams, search_courses

    params = SearchParams(q=q, filters={name: tuple(values) for name, values in filters.items()})
    return [hit.title.text for hit in search_courses(db.session, params).hits]


def indexed_course_ids(db) -> set[int]:
    """Ids of the courses that have a row in the full-text index (visible or not)."""
    from sqlalchemy import select

    backend = backend_for(db.session)
    return set(db.session.scalars(select(backend.index.c[backend.id_column])))


def course_changes(**overrides):
    """A valid ``CourseChanges`` (published when saved, unless ``publish=False``), any field overridden."""
    from catalog.models import CourseFormat, Level, Mode
    from catalog.services.course_changes import CourseChanges, ModuleRow

    values = {
        "title": "Kubernetes for ML Engineers",
        "summary": "Serve and scale models on Kubernetes.",
        "description": "Hands-on **Kubernetes** for model serving.",
        "format": CourseFormat.BOOTCAMP,
        "level": Level.INTERMEDIATE,
        "mode": Mode.ONLINE,
        "duration_days": 90,
        "total_hours": 120,
        "fee_inr": 85_000,
        "refund_policy": "Full refund within 7 days of the start.",
        "languages": ("English",),
        "modules": (ModuleRow("Containers", 10),),
        "publish": True,
    }
    return CourseChanges(**{**values, **overrides})


def course_edit_payload(course, **overrides) -> dict:
    """The course's edit form as the browser sends it unchanged ("Publish" pressed), plus
    ``overrides``; an override of None leaves that field out."""
    from datetime import date

    from catalog.forms.courses import course_form_data

    data: dict = {}
    for name, value in course_form_data(course).items():
        if name == "modules":
            for index, row in enumerate(value):
                data.update({f"modules-{index}-{key}": str(cell) for key, cell in row.items()})
        elif isinstance(value, bool):
            if value:
                data[name] = "y"
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = "" if value is None else str(value)
    data["publish"] = "Publish"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def changes_of_course(course, **overrides):
    """The ``CourseChanges`` that would save ``course`` as it is (at its version), plus ``overrides``."""
    from catalog.services.course_changes import CourseChanges, ModuleRow

    values = {
        name: getattr(course, name)
        for name in (
            "title", "slug", "summary", "description", "format", "level", "mode", "duration_days",
            "total_hours", "fee_inr", "emi_available", "certification_name", "certification_issuer",
            "refund_policy", "placement_support", "placement_rate", "placement_year",
            "placement_cohort_size", "prerequisites", "syllabus_reviewed_on", "version",
        )
    }  # fmt: skip
    values.update(
        languages=tuple(course.language_names),
        topics=tuple(t.id for t in course.topics),
        tools=tuple(t.id for t in course.tools),
        campuses=tuple(c.id for c in course.campuses),
        instructors=tuple(p.id for p in course.instructors),
        modules=tuple(ModuleRow(m.title, m.hours, m.outline) for m in course.modules),
        publish=True,
    )
    return CourseChanges(**{**values, **overrides})


def run_search(db, args: dict | None = None, **kwargs):
    """The search that query-string ``args`` describe, as the search page would run it."""
    from werkzeug.datastructures import MultiDict

    from catalog.search import SearchParams, search_courses

    return search_courses(db.session, SearchParams.from_args(MultiDict(args or {})), **kwargs)


def hit_titles(result) -> list[str]:
    """The titles of a search result's hits, in order."""
    return [hit.title.text for hit in result.hits]


#: The small valid catalog file of ``data/examples/`` (the same catalog as CSV: ``.zip``).
EXAMPLE_CATALOG = Path(__file__).resolve().parents[1] / "data" / "examples" / "example-catalog.json"


def example_catalog() -> dict:
    """The example catalog file as a document a test may change."""
    return json.loads(EXAMPLE_CATALOG.read_text(encoding="utf-8"))


def catalog_file(document: dict) -> bytes:
    """A document as the bytes of an exchange file (JSON)."""
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
