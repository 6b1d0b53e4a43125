"""Conveniences of ``make run`` for a newcomer, in development only (never in production or tests).

- Every outbox email is printed to the terminal when the transaction that queued it commits, so
  the tracking link of an enquiry or a password-reset link can be followed without a mail server.
- ``flask --app catalog demo-staff`` (run by ``make run``) creates, or resets, the staff account
  ``demo-staff@example.com`` of the seed institute with the most courses, with a new random
  password, and prints the sign-in.

"Development" is ``CATALOG_ENV=development`` (the default, and what ``make run`` sets) on an app
that is not testing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import click
from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalog.models import Institute, OutboxMessage, Role, User

#: The demo staff account's address (example.com: reserved for examples, never delivered).
DEMO_STAFF_EMAIL = "demo-staff@example.com"
_EXTENSION = "catalog.devmode"
_QUEUED = "catalog.devmode.queued"


class NotDevelopment(RuntimeError):
    """Raised when a development convenience is asked for outside development."""


def is_development(app: Flask) -> bool:
    """True when the app runs for development: ``CATALOG_ENV=development`` and not testing."""
    return app.config.get("CATALOG_ENV") == "development" and not app.testing


def init_devmode(app: Flask) -> None:
    """In development, print each outbox email as it is committed; elsewhere do nothing."""
    if not is_development(app):
        return
    app.extensions[_EXTENSION] = True
    if not event.contains(FlaskSession, "after_flush", _collect_queued):
        event.listen(FlaskSession, "after_flush", _collect_queued)
        event.listen(FlaskSession, "after_commit", _print_queued)
        event.listen(FlaskSession, "after_rollback", _forget_queued)


def _echoing() -> bool:
    # The listeners belong to the session class, shared by every app of the process: only an
    # app that turned development mode on prints.
    return has_app_context() and bool(current_app.extensions.get(_EXTENSION))


def _collect_queued(session: Session, _flush_context) -> None:
    if not _echoing():
        return
    queued = session.info.setdefault(_QUEUED, [])
    # Plain values now: after the commit the rows are expired, and no SQL may run there.
    for message in session.new:
        if isinstance(message, OutboxMessage):
            queued.append((message.kind, message.to_email, message.subject, message.body))


def _print_queued(session: Session) -> None:
    for kind, to, subject, body in session.info.pop(_QUEUED, []):
        click.echo(format_email(kind, to, subject, body))


def _forget_queued(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def format_email(kind: str, to: str, subject: str, body: str) -> str:
    """How a queued email reads in the terminal."""
    rule = "-" * 72
    heading = f"Outbox ({kind}), not sent: development mode"
    return f"{rule}\n{heading}\nTo: {to}\nSubject: {subject}\n\n{body.rstrip()}\n{rule}"


@dataclass(frozen=True)
class DemoSignIn:
    """The demo staff account's address, its new password, and its institute."""

    email: str
    password: str
    institute: Institute
    created: bool


def reset_demo_staff(session: Session, app: Flask) -> DemoSignIn:
    """Create the demo staff account, or give it a new random password (and reopen it); it
    belongs to the approved institute with the most published courses.

    Raises :class:`NotDevelopment` outside development, and ``LookupError`` when no approved
    institute exists (the catalog is not seeded).
    """
    from catalog.queries.accounts import find_user_by_email
    from catalog.queries.institutes import institutes_with_counts
    from catalog.services import accounts, admin_accounts
    from catalog.services.audit import record_change
    from catalog.services.transactions import one_write

    if not is_development(app):
        raise NotDevelopment("The demo staff sign-in exists in development only (CATALOG_ENV=development).")
    busiest = institutes_with_counts(session, limit=1)
    if not busiest:
        raise LookupError("No approved institute: seed the catalog first (flask --app catalog seed).")
    institute = busiest[0].institute
    password = secrets.token_urlsafe(12)
    user: User | None = find_user_by_email(session, DEMO_STAFF_EMAIL)
    if user is None:
        admin_accounts.create_user(session, DEMO_STAFF_EMAIL, password, Role.INSTITUTE, institute)
        return DemoSignIn(DEMO_STAFF_EMAIL, password, institute, created=True)
    admin_accounts.reactivate_user(session, user)
    with one_write(session):
        user.role, user.institute = Role.INSTITUTE, institute
        accounts.set_password(session, user, password)
        record_change(
            session, None, "password-reset", user, summary="Demo staff sign-in reset (development)."
        )
    return DemoSignIn(user.email, password, institute, created=False)
