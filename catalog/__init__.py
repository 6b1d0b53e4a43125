"""The Hyderabad MLOps course catalog: application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then the environment, then ``config`` (used by tests)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    from catalog.config import engine_options, load_config

    app.config.from_mapping(load_config(app.instance_path))
    if config:
        app.config.from_mapping(config)
    # After the test mapping, so the options fit the database actually used.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config))
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("PROXY_COUNT"):
        # Behind that many trusted proxies, the client's address (and so its rate-limit key),
        # scheme and host are the ones the proxies forwarded.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_compression(app)
    register_logging(app)
    register_extensions(app)
    register_guards(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_static_files(app)
    register_commands(app)
    register_devmode(app)
    return app


def register_compression(app: Flask) -> None:
    """Brotli or gzip, except for signed-in and private pages; first, so it sees the final headers."""
    from catalog.compression import init_compression

    init_compression(app)


def register_logging(app: Flask) -> None:
    """Mask personal data in every log line; plain or JSON lines, each with its request id."""
    from catalog.logs import init_logging

    init_logging(app)


def register_extensions(app: Flask) -> None:
    """Bind the extension objects and the search-index listener to this app."""
    from flask_sqlalchemy.session import Session

    from catalog.extensions import csrf, db, limiter, login_manager, migrate
    from catalog.ratelimits import init_ratelimits
    from catalog.search.index import listen
    from catalog.security import init_security
    from catalog.services.claims import init_claims

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    init_ratelimits(app)
    login_manager.init_app(app)
    init_security(app)
    listen(Session)
    init_claims(app)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys unenforced unless asked, per connection; PostgreSQL always
    # enforces them, and both backends must keep the same rules (ON DELETE CASCADE included).
    # WAL lets pages read while another process writes; the busy timeout (a connect argument,
    # see ``engine_options``) bounds how long a write waits for the lock.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def register_guards(app: Flask) -> None:
    """Refuse or clean what nothing can store before any page runs; the form is cleaned as it
    is parsed, by the app's own request class."""
    from catalog.guards import GuardedRequest, register

    app.request_class = GuardedRequest
    register(app)


def register_blueprints(app: Flask) -> None:
    from catalog.admin import bp as admin_bp
    from catalog.enquiries.views import bp as enquiries_bp
    from catalog.health import bp as health_bp
    from catalog.portal import bp as portal_bp
    from catalog.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(enquiries_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(admin_bp)


def register_errorhandlers(app: Flask) -> None:
    from catalog.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from catalog.templating import register

    register(app)


def register_static_files(app: Flask) -> None:
    """Content-hashed static addresses with long cache lifetimes, and ``/favicon.ico``."""
    from catalog.assets import init_assets

    init_assets(app)


def register_commands(app: Flask) -> None:
    from catalog.cli import register

    register(app)


def register_devmode(app: Flask) -> None:
    """In development only, print each queued outbox email to the terminal."""
    from catalog.devmode import init_devmode

    init_devmode(app)
