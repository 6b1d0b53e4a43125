"""Styled error pages, or JSON errors for clients that ask for JSON."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError


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


def register(app: Flask) -> None:
    """Answer every HTTP error with a page (or JSON body) of its own."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from catalog.extensions import db

        app.logger.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return _render(InternalServerError())
