"""The search index the migrations build: frozen in the revisions, and what the backends write."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import text

from catalog.search.postgres_fts import course_search
from catalog.search.sqlite_fts import FTS_COLUMNS

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    return names


def test_revisions_import_no_live_catalog_code():
    revisions = sorted((MIGRATIONS / "versions").glob("*.py"))
    assert revisions
    for revision in revisions:
        ours = {name for name in imported_modules(revision) if name.split(".")[0] == "catalog"}
        assert ours == set(), revision.name


def test_migrated_index_has_the_columns_the_backend_writes(db, backend_name):
    conn = db.session.connection()
    if backend_name == "sqlite":
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(course_fts)"))]
        assert columns == list(FTS_COLUMNS)
    else:
        rows = conn.execute(
            text("SELECT column_name FROM information_schema.columns WHERE table_name = 'course_search'")
        )
        assert {row[0] for row in rows} == set(course_search.c.keys())
