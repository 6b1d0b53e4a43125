"""Styled error pages, or JSON errors for clients that ask for JSON."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.globals import request_ctx
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    NotFound,
    SecurityError,
    TooManyRequests,
)

from catalog.extensions import db, limiter, login_manager

#: Errors that mean the database is unavailable just now (down, silent, locked, out of time or
#: of pooled connections), not that the request or the code is wrong: they answer 503.
DATABASE_UNAVAILABLE = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
)
#: What a 503 for database trouble tells clients to wait before trying again.
DATABASE_RETRY_AFTER_SECONDS = 30
#: The header of every 503 for database trouble, saying how long that is.
DATABASE_RETRY_AFTER = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}


def wants_json() -> bool:
    """True when the client prefers JSON to HTML (API clients)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _render(error: HTTPException):
    if wants_json():
        return jsonify(
            error={"status": error.code, "title": error.name, "detail": error.description}
        ), error.code
    if error.code == 404:
        # A page that says why it is missing ("There is no such course.") keeps its own words.
        said = error.description if error.description != NotFound.description else None
        return render_template("errors/not_found.html", said=said), 404
    if error.code == 500:
        return render_template("errors/server_error.html"), 500
    return render_template("errors/error.html", error=error), error.code


def retry_after_seconds(error: TooManyRequests) -> int:
    """Seconds until the breached rate limit lets the client in again (at least 1)."""
    limit = limiter.current_limit
    if limit is not None and limit.breached:
        return max(1, int(limit.reset_at - time.time()))
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, datetime):
        retry_after = (retry_after - datetime.now(UTC)).total_seconds()
    if isinstance(retry_after, int | float):
        return max(1, math.ceil(retry_after))
    return 60


def wait_in_words(seconds: int) -> str:
    """A wait as people say it: "about 1 minute", "about 15 minutes", "about 3 hours"."""
    minutes = max(1, round(seconds / 60))
    if minutes < 120:
        return f"about {minutes} minute" if minutes == 1 else f"about {minutes} minutes"
    return f"about {round(minutes / 60)} hours"


def _too_many_requests(error: TooManyRequests):
    seconds = retry_after_seconds(error)
    wait = wait_in_words(seconds)
    if wants_json():
        response = jsonify(
            error={
                "status": 429,
                "title": "Too Many Requests",
                "detail": f"Too many requests. Please try again in {wait}.",
                "retry_after": seconds,
            }
        )
    else:
        response = render_template("errors/too_many_requests.html", wait=wait)
    return response, 429, {"Retry-After": str(seconds)}


def database_unavailable(error: Exception):
    """Answer 503 with ``Retry-After`` for database trouble, once the session is rolled back.

    The page is rendered without asking the database anything: who is signed in cannot be
    known while it is away, so the page shows as it does to a visitor.
    """
    current_app.logger.warning("Database unavailable on %s: %s", request.path, type(error).__name__)
    release_session()
    if wants_json():
        body = jsonify(
            error={
                "status": 503,
                "title": "Service Unavailable",
                "detail": "The catalog cannot reach its database just now. Please try again shortly.",
                "retry_after": DATABASE_RETRY_AFTER_SECONDS,
            }
        )
        return body, 503, DATABASE_RETRY_AFTER
    return render_template("errors/unavailable.html"), 503, DATABASE_RETRY_AFTER


def release_session() -> None:
    """Roll back after database trouble and stop templates asking it who is signed in."""
    try:
        db.session.rollback()
    except DATABASE_UNAVAILABLE:
        # The connection is gone: rolling back cannot reach it; dropping the session releases it.
        db.session.remove()
    # A user loaded before the trouble is expired by the rollback: reading it would ask again.
    g._login_user = login_manager.anonymous_user()


def _untrusted_host(error: SecurityError):
    # A Host outside TRUSTED_HOSTS leaves the request without a URL adapter, which the page's
    # links need; they are paths, so one bound to the site's own address builds them.
    context = request_ctx._get_current_object()
    if context.url_adapter is None:
        site = urlsplit(current_app.config["SITE_URL"])
        context.url_adapter = current_app.url_map.bind(site.netloc, url_scheme=site.scheme)
    return _render(SecurityError("This site does not answer to the host name in the request."))


def register(app: Flask) -> None:
    """Answer every HTTP error with a page (or JSON body) of its own."""

    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(SecurityError, _untrusted_host)
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        # The fault may be the database's: the page shows as it does to a visitor, asking it nothing.
        release_session()
        return _render(InternalServerError())
