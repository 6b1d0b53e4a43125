"""Liveness and readiness: /healthz touches nothing; /readyz names each check and what is wrong."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from catalog import create_app
from catalog.extensions import db as _db
from tests.faults.network import unreachable_database_url
from tests.servers import free_port


@pytest.fixture
def unreachable_client(database_url, tmp_path):
    """A client of an app whose database (of this run's backend) cannot be reached."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": unreachable_database_url(database_url, tmp_path),
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    return app.test_client()


def client_with(app, **config):
    """A client of a second app on the test database, with ``config`` changed."""
    other = create_app({**app.config, **config})
    return other.test_client()


def test_healthz_reports_ok(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_healthz_answers_while_the_database_is_unreachable(unreachable_client):
    response = unreachable_client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_lists_every_check_as_ok(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "search": "ok"},
    }


def test_readyz_is_never_cached(client):
    assert client.get("/readyz").headers["Cache-Control"] == "no-store"


def test_readyz_names_the_database_when_it_is_unreachable(unreachable_client):
    response = unreachable_client.get("/readyz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unreachable"


def readyz_at_revision(client, db, revision: str):
    """/readyz's answer while the database records ``revision`` as its own, and the code's head."""
    head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
    db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        db.session.commit()
    return response, head


def test_readyz_says_which_revision_is_behind(client, db):
    response, head = readyz_at_revision(client, db, "0001")

    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == f"behind: database at 0001, code at {head}"


def test_readyz_says_the_database_is_ahead_of_unknown_revisions(client, db):
    response, head = readyz_at_revision(client, db, "9999")

    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == f"ahead: database at 9999, code at {head}"


def test_readyz_names_redis_when_it_is_unreachable(app):
    client = client_with(app, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["redis"] == "unreachable"
    assert checks["database"] == "ok"


def test_readyz_checks_redis_when_configured(app):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("needs TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/3)")
    client = client_with(app, REDIS_URL=redis_url)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == "ok"


def test_readyz_fails_the_database_check_when_a_table_is_missing(client, db):
    db.session.execute(text("ALTER TABLE institutes RENAME TO institutes_away"))
    db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        _db.session.rollback()
        db.session.execute(text("ALTER TABLE institutes_away RENAME TO institutes"))
        db.session.commit()

    assert response.status_code == 503
    # SQLite calls a missing table an OperationalError, PostgreSQL a ProgrammingError.
    assert response.get_json()["checks"]["database"] in ("unreachable", "failing")
