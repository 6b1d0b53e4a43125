"""Who may do what: session loading, role checks, ownership checks, security headers."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from catalog.extensions import db, login_manager
from catalog.models import Role, User
from catalog.models.base import utcnow
from catalog.queries.accounts import find_live_session
from catalog.queries.portal import owned
from catalog.services.sessions import note_session_seen

#: Where Flask-Login keeps, in the signed cookie session, what its user loader is given: here
#: the id of the server-side session the browser signed in with, not the account's id.
SESSION_ID_KEY = "_user_id"

#: Browser features no page of the catalog uses, switched off for every page and frame.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/portal/...``, ``/courses?q=...``), None for
    anything else, so a ``next`` parameter can never send the browser to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return None
    return target


def init_security(app: Flask) -> None:
    """Configure the login manager and add security headers to every response."""
    login_manager.login_view = "portal.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config["CATALOG_ENV"] == "production":
            # Production is served over HTTPS only; browsers then refuse plain HTTP for two years.
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if request.blueprint == "portal" or request.path.startswith("/enquiries/"):
            # Staff pages and learners' tracking pages hold personal data: never cache them.
            response.headers["Cache-Control"] = "no-store"
        return response


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of the server-side session the cookie names, while that session is live
    (not ended, idle or too old; see ``queries.accounts.find_live_session``)."""
    config = current_app.config
    now = utcnow()
    record = find_live_session(
        db.session,
        session_id,
        now,
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        lifetime=timedelta(hours=config["SESSION_LIFETIME_HOURS"]),
    )
    if record is None:
        return None
    note_session_seen(db.session, record, now)
    return record.user


def log_in(user: User, session_id: str) -> None:
    """Sign this browser in as ``user`` through the server-side session ``session_id`` (from
    ``accounts.sign_in``): the cookie session keeps the session's id, and :func:`load_user`
    finds the account through it on every later request."""
    login_user(user)
    # The account record does not know which of its sessions this is (``User.get_id``).
    session[SESSION_ID_KEY] = session_id


def current_session_id() -> str | None:
    """The id of the server-side session this browser is signed in with (None when it is not)."""
    return session.get(SESSION_ID_KEY)


def signed_in_gate() -> Response | None:
    """None for a signed-in account; the way to the sign-in page (with ``next``) for anyone else."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def staff_gate() -> Response | None:
    """None for signed-in, active staff of an approved institute; for anyone else the answer
    that turns them away: sign-in, 403, or the awaiting-approval page."""
    refused = signed_in_gate()
    if refused is not None:
        return refused
    if current_user.role != Role.INSTITUTE or current_user.institute is None:
        abort(403, description="This area is for institute staff.")
    if not current_user.may_use_portal:
        flash("Your institute is awaiting approval; the portal opens once an admin approves it.", "info")
        return redirect(url_for("portal.awaiting_approval"))
    return None


def admin_gate() -> Response | None:
    """None for a signed-in admin; the way to sign in for anyone else, 403 for other accounts."""
    refused = signed_in_gate()
    if refused is not None:
        return refused
    if not current_user.is_admin:
        abort(403, description="This area is for the catalog's admins.")
    return None


def current_institute_id() -> int:
    """The institute the signed-in staff member works for."""
    return current_user.institute_id


def current_staff() -> User:
    """The signed-in staff member as a user record (not Flask-Login's proxy), for services."""
    return current_user._get_current_object()


def get_owned_or_404(model, record_id: int, *options):
    """A record of ``model`` that belongs to the current staff member's institute, or 404.

    Another institute's record answers 404, not 403, so ids reveal nothing.
    """
    record = owned(db.session, model, record_id, current_institute_id(), *options)
    if record is None:
        abort(404)
    return record
