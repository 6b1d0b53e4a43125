"""Who may do what: session loading, role checks, ownership checks, security headers."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from catalog.extensions import db, login_manager
from catalog.models import InstituteStatus, Role, User


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
        if request.blueprint == "portal" or request.path.startswith("/enquiries/"):
            # Staff pages and learners' tracking pages hold personal data: never cache them.
            response.headers["Cache-Control"] = "no-store"
        return response


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user a session names, if the session's stamp is still current (see User.get_id)."""
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_stamp != stamp:
        return None
    return user


def staff_required(view):
    """Allow only signed-in, active staff of an approved institute; others get 401/403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role != Role.INSTITUTE or current_user.institute is None:
            abort(403, description="This area is for institute staff.")
        if current_user.institute.status != InstituteStatus.APPROVED:
            flash("Your institute is awaiting approval; the portal opens once an admin approves it.", "info")
            return redirect(url_for("portal.awaiting_approval"))
        return view(*args, **kwargs)

    return wrapped


def current_institute_id() -> int:
    """The institute the signed-in staff member works for."""
    return current_user.institute_id


def get_owned_or_404(model, record_id: int, *options):
    """A record of ``model`` that belongs to the current staff member's institute, or 404.

    Another institute's record answers 404, not 403, so ids reveal nothing.
    """
    record = db.session.scalar(
        select(model)
        .where(model.id == record_id, _institute_column(model) == current_institute_id())
        .options(*options)
    )
    if record is None:
        abort(404)
    return record


def _institute_column(model):
    if hasattr(model, "institute_id"):
        return model.institute_id
    # Batches and modules belong to an institute through their course.
    from catalog.models import Course

    return select(Course.institute_id).where(Course.id == model.course_id).scalar_subquery()
