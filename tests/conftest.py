"""Fixtures: an app on a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).

Every test that uses ``app`` runs once per backend. The schema is built once per backend and
worker by the real migrations; after each test every table is emptied, so tests start clean.
"""

from __future__ import annotations

import os
import threading

import pytest
from flask import g, request_started
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from catalog import create_app
from catalog.cli import _no_statement_timeout
from catalog.config import normalise_database_url
from catalog.extensions import db as _db
from catalog.extensions import limiter
from tests.chromium import CHROMIUM, launch
from tests.helpers import Auth, empty_all_tables

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Cheap argon2 parameters in tests (production keeps the library's defaults).

    Hundreds of tests create users; at the default cost each hash takes tens of milliseconds.
    """
    from argon2 import PasswordHasher

    from catalog.services import passwords

    original = passwords._hasher, passwords._DUMMY_HASH
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    passwords._DUMMY_HASH = passwords._hasher.hash("not a real password")
    yield
    passwords._hasher, passwords._DUMMY_HASH = original


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole session, shared by every test's app.

    Each test builds a new app, and with it a new Jinja environment; without this cache every
    test compiled each template it rendered again, a third of the suite's time. Jinja checks
    each template's source checksum, so an edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _SharedTemplateCode()


@pytest.fixture(scope="session", autouse=True)
def shared_url_builders():
    """URL builders compiled once per rule for the whole session, not once per test's app.

    Werkzeug compiles two small functions per URL rule (``Rule._compile_builder``) each time an
    app registers its routes: a fifth of a typical test's time, for the same ~110 rules every
    test. A builder depends only on its rule's text, host, defaults and parts (it reads the
    converters through the rule it is bound to), so one compiled for an equal rule serves.
    Without that method (another Werkzeug) the tests run as they are, only slower.
    """
    original = getattr(Rule, "_compile_builder", None)
    if original is None:
        yield
        return
    compiled: dict[tuple, object] = {}

    def compile_once(rule: Rule, append_unknown: bool = True):
        defaults = tuple(sorted((rule.defaults or {}).items(), key=repr))
        key = (
            rule.rule,
            rule.host,
            rule.subdomain,
            rule.merge_slashes,
            repr(defaults),
            tuple(rule._trace),
            append_unknown,
        )
        if key not in compiled:
            compiled[key] = original(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_once
    yield
    Rule._compile_builder = original


def _postgres_url(worker_id: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip(
            "PostgreSQL tests need TEST_DATABASE_URL (CI sets it; e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    base = normalise_database_url(base)
    name = f"{make_url(base).database}_{worker_id}"
    # Connect to the maintenance database, so the named one need not exist.
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not usable: {error}")
    finally:
        admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _worker_id(config) -> str:
    """``gw0``, ``gw1`` … under pytest-xdist, ``master`` without it (so the suite runs either way)."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "master"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database URL with the schema migrated to the latest revision."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'catalog.sqlite3'}"
    else:
        url = _postgres_url(_worker_id(request.config))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


def _fresh_request_globals(sender, **extra) -> None:
    # The test's app context stays pushed, so each request reuses it; empty ``g`` as a new
    # request's context would be (Flask-Login's cached user, Flask-WTF's CSRF token).
    for name in list(vars(g)):
        delattr(g, name)


@pytest.fixture
def app(database_url, tmp_path):
    """The application on an empty, migrated database, inside an app context."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SECRET_KEY": "test-secret",
            "DATA_DIR": os.path.join(os.path.dirname(__file__), "..", "data"),
            "RATELIMIT_STORAGE_URI": "memory://",
            "ENQUIRY_MIN_SECONDS": 0,
            "SMTP_HOST": None,
        }
    )
    app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    request_started.connect(_fresh_request_globals, app)
    with app.app_context():
        engine = _share_engine(app, database_url)
        limiter.reset()
        yield app
        _db.session.rollback()
        empty_all_tables()
        _db.session.remove()
        if event.contains(engine, "connect", _no_statement_timeout):
            # A bulk command ran: its connections carry no statement timeout; the next test's must.
            event.remove(engine, "connect", _no_statement_timeout)
            engine.dispose()


#: One engine per database for the whole session, shared by every test's app.
_ENGINES: dict[str, Engine] = {}


def _share_engine(app, database_url: str) -> Engine:
    """Give ``app`` the session's engine for ``database_url`` in place of its own.

    SQLAlchemy caches each statement's compiled SQL per engine, so with a new engine per test
    every test compiled every statement it ran afresh (a fifth of its time), and opened new
    connections. The app's own engine, with the app's connect listeners, becomes the shared one
    the first time.
    """
    own = _db.engine
    shared = _ENGINES.setdefault(database_url, own)
    if own is not shared:
        own.dispose()
        _db._app_engines[app][None] = shared
    return shared


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy extension, bound to the test app."""
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def backend_name(app) -> str:
    """``sqlite`` or ``postgresql``: the backend this run of the test uses."""
    return _db.engine.dialect.name


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port in a thread, for browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright, one per test session."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
