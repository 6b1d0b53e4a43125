"""Timeouts bound every wait on the database; when one runs out the page answers 503."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from catalog import create_app
from catalog.config import ConfigError, engine_options, load_config
from catalog.extensions import db as _db
from tests.builders import make_course, make_user
from tests.helpers import Auth

PG_URL = "postgresql+psycopg://catalog@db.internal/catalog"


def settings(url: str, **changes) -> dict:
    return {**load_config("/tmp/instance", {}), "SQLALCHEMY_DATABASE_URI": url, **changes}


def app_like(app, **config):
    """A second app on the test database with ``config`` changed (engine options recomputed)."""
    mapping = {key: value for key, value in app.config.items() if key != "SQLALCHEMY_ENGINE_OPTIONS"}
    return create_app({**mapping, **config})


def test_postgres_connections_time_out_connecting_and_running_statements():
    connect_args = engine_options(settings(PG_URL))["connect_args"]

    assert connect_args["connect_timeout"] == 3
    assert connect_args["options"] == "-c statement_timeout=3000"


def test_postgres_connections_notice_a_vanished_peer_in_seconds():
    connect_args = engine_options(settings(PG_URL))["connect_args"]

    assert connect_args["keepalives"] == 1
    assert connect_args["tcp_user_timeout"] == 3000


def test_waiting_for_a_pooled_connection_is_bounded():
    assert engine_options(settings(PG_URL, DATABASE_POOL_TIMEOUT=2))["pool_timeout"] == 2


def test_pooled_connections_are_checked_before_use_on_both_backends():
    assert engine_options(settings(PG_URL))["pool_pre_ping"] is True
    assert engine_options(settings("sqlite:////tmp/catalog.sqlite3"))["pool_pre_ping"] is True


def test_timeouts_come_from_the_environment():
    config = load_config(
        "/tmp/instance", {"DATABASE_STATEMENT_TIMEOUT_MS": "1500", "SQLITE_BUSY_TIMEOUT_MS": "800"}
    )

    assert config["DATABASE_STATEMENT_TIMEOUT_MS"] == 1500
    assert config["SQLITE_BUSY_TIMEOUT_MS"] == 800


@pytest.mark.parametrize(
    "name", ["DATABASE_CONNECT_TIMEOUT", "DATABASE_STATEMENT_TIMEOUT_MS", "SQLITE_BUSY_TIMEOUT_MS"]
)
def test_a_timeout_that_is_not_a_whole_number_is_refused_with_its_name(name):
    with pytest.raises(ConfigError, match=f"{name} must be a whole number"):
        load_config("/tmp/instance", {name: "soon"})


def test_sqlite_runs_in_wal_mode_with_the_busy_timeout(db, backend_name):
    if backend_name != "sqlite":
        pytest.skip("SQLite pragmas")
    connection = db.session.connection()

    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000


def test_a_statement_that_runs_out_of_time_answers_503(app, db, backend_name, database_url):
    if backend_name != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout")
    slug = make_course().slug
    db.session.rollback()  # the test's own read must not hold the table the lock is waiting for
    client = app_like(app, DATABASE_STATEMENT_TIMEOUT_MS=300).test_client()
    locker = create_engine(database_url, connect_args={"options": "-c lock_timeout=5000"})
    try:
        with locker.connect() as connection:
            connection.execute(text("LOCK TABLE courses IN ACCESS EXCLUSIVE MODE"))
            response = client.get(f"/courses/{slug}")
            connection.rollback()
    finally:
        locker.dispose()

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert client.get(f"/courses/{slug}").status_code == 200


def test_a_database_lost_after_sign_in_was_read_still_answers_503_not_an_error(app, db):
    # The staff member is loaded, then the database goes away in the middle of the page.
    staff = make_user()
    other = app_like(app)
    client = other.test_client()
    Auth(client).login(staff)
    lost = []

    def lose_the_database_at_courses(conn, cursor, statement, *args):
        if lost or "courses" in statement:
            lost.append(statement)
            raise OperationalError(statement, {}, Exception("server closed the connection unexpectedly"))

    with other.app_context():
        event.listen(_db.engine, "before_cursor_execute", lose_the_database_at_courses)
    try:
        response = client.get("/portal/")
    finally:
        with other.app_context():
            event.remove(_db.engine, "before_cursor_execute", lose_the_database_at_courses)

    assert lost, "the page never reached the courses"
    assert response.status_code == 503
    assert "The catalog cannot reach its database just now" in response.get_data(as_text=True)


def test_no_free_pooled_connection_answers_503(app):
    other = app_like(app, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2})
    client = other.test_client()
    with other.app_context():
        held = _db.engine.connect()
    try:
        response = client.get("/")
    finally:
        held.close()

    assert response.status_code == 503
    assert client.get("/").status_code == 200
