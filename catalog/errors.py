"""Styled error pages, or JSON errors for clients that ask for JSON."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, TooManyRequests

from catalog.extensions import limiter


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


def register(app: Flask) -> None:
    """Answer every HTTP error with a page (or JSON body) of its own."""

    app.register_error_handler(429, _too_many_requests)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from catalog.extensions import db

        app.logger.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return _render(InternalServerError())
