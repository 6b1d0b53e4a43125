"""Helpers the tests share: emptying the database, reading CSRF tokens, signing in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

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
    if conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            conn.execute(table.delete())
    backend_for(conn).clear(conn)
    bump_version(conn)
    _db.session.commit()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """The CSRF token of the first form on the page at ``url`` (as a browser would read it)."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


class Auth:
    """Signs the test client in as a user, the way Flask-Login's session would hold it."""

    def __init__(self, client):
        self.client = client

    def login(self, user) -> None:
        with self.client.session_transaction() as session:
            session["_user_id"] = user.get_id()
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
