"""The admin blueprint object, and its one gate: the admin area is for admins alone.

Each view module of this package (a module per resource) adds its routes to :data:`bp`. The
gate runs before every admin request, so no page relies on remembering a decorator.
"""

from __future__ import annotations

from flask import Blueprint, request

from catalog.extensions import csrf
from catalog.security import admin_gate

bp = Blueprint("admin", __name__, url_prefix="/admin")
# The app-wide CSRF check would run before the gate and answer strangers 400 instead of
# sending them to sign in; the gate checks the token itself, once it knows who is asking.
csrf.exempt(bp)


@bp.before_request
def gate():
    """Send anonymous visitors to sign in and answer 403 to every account but an active admin's;
    then refuse any change that does not carry a valid CSRF token."""
    refused = admin_gate()
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    return None


#: The admin area's navigation: (endpoint, label), in the order the menu shows them. Each view
#: module adds its own entry with :func:`nav_entry` when it is imported.
NAV: list[tuple[str, str, int]] = []


def nav_entry(endpoint: str, label: str, position: int) -> None:
    """Add ``endpoint`` to the admin menu at ``position`` (lower comes first)."""
    NAV.append((endpoint, label, position))
    NAV.sort(key=lambda entry: entry[2])


@bp.context_processor
def admin_navigation() -> dict:
    return {"admin_nav": [(endpoint, label) for endpoint, label, _ in NAV]}
