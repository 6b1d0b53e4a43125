"""Health checks for load balancers and orchestrators: liveness and readiness.

``/healthz`` says the process is up and answers without touching anything else, so a database
outage never gets healthy workers restarted. ``/readyz`` says whether this process can serve:
it reads a real table, compares the database's migration revision with the code's, pings Redis
when one is configured, and builds (or reuses) the search snapshot. Each check is reported by
name; any failure makes the answer 503, naming what is wrong.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from functools import cache

import redis
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy import select

from catalog.errors import DATABASE_UNAVAILABLE
from catalog.extensions import db, limiter
from catalog.models import Institute
from catalog.search.facet_index import facet_index
from catalog.timeutil import local_today

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

#: Failures that mean a service cannot be reached (rather than answering wrongly).
UNREACHABLE = (*DATABASE_UNAVAILABLE, redis.ConnectionError, redis.TimeoutError, OSError)
#: How long /readyz waits for Redis before calling it unreachable.
REDIS_TIMEOUT_SECONDS = 1.0
OK = "ok"
#: Checks that read the database, so mean nothing while it cannot be read.
NEEDS_DATABASE = ("migrations", "search")
NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Liveness: the process is up and answering requests."""
    return {"status": "ok"}, 200, NO_STORE


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Readiness: every check by name, 200 when all are ``ok``, else 503."""
    checks: dict[str, str] = {}
    for name, check in _checks().items():
        if name in NEEDS_DATABASE and checks["database"] != OK:
            # Each would wait out the same timeout again, only to fail the same way.
            checks[name] = "not checked: no database"
        else:
            checks[name] = _run(name, check)
    ready = all(outcome == OK for outcome in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return body, 200 if ready else 503, NO_STORE


def _checks() -> dict[str, Callable[[], str]]:
    checks = {"database": database_check, "migrations": migrations_check}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = redis_check
    checks["search"] = search_check
    return checks


def _run(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as error:
        # The answer is public: it names the failing part, the log keeps the details.
        log.warning("Readiness check %s failed: %s: %s", name, type(error).__name__, error)
        with contextlib.suppress(*DATABASE_UNAVAILABLE):
            db.session.rollback()
        return "unreachable" if isinstance(error, UNREACHABLE) else "failing"


def database_check() -> str:
    """A read of a real table, so a database that accepts connections but lost its schema fails."""
    db.session.execute(select(Institute.id).limit(1)).all()
    db.session.rollback()
    return OK


@cache
def _script(directory: str) -> ScriptDirectory:
    return ScriptDirectory(directory)


def migrations_check() -> str:
    """``ok`` when the database is at the code's head revision; else where each one is.

    A database at a revision the code does not know (migrated by newer code) reads "ahead".
    """
    script = _script(current_app.extensions["migrate"].directory)
    code = tuple(sorted(script.get_heads()))
    with db.engine.connect() as connection:
        database = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    if database == code:
        return OK
    known = {revision.revision for revision in script.walk_revisions()}
    state = "ahead" if set(database) - known else "behind"
    return f"{state}: database at {', '.join(database) or 'no revision'}, code at {', '.join(code)}"


def redis_check() -> str:
    """A PING to the Redis the rate limits share, with a short timeout."""
    client = redis.Redis.from_url(
        current_app.config["REDIS_URL"],
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK


def search_check() -> str:
    """The search snapshot (facet index) can be had for today: built, or current in memory."""
    facet_index(db.session, local_today())
    db.session.rollback()
    return OK
