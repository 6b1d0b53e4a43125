"""The portal blueprint object, and its one gate: who may open which portal page.

Each view module of this package adds its routes to :data:`bp`. The gate runs before every
portal request, so no page relies on remembering a decorator.
"""

from __future__ import annotations

from flask import Blueprint, request

from catalog.security import signed_in_gate, staff_gate

bp = Blueprint("portal", __name__, url_prefix="/portal")

#: Pages anyone may open: signing in and out, signing up, and resetting a forgotten password.
OPEN_ENDPOINTS = frozenset(
    {"portal.login", "portal.logout", "portal.register", "portal.password_forgot", "portal.password_reset"}
)
#: Pages for any signed-in account, whatever its role or its institute's status.
ACCOUNT_ENDPOINTS = frozenset({"portal.password_change", "portal.awaiting_approval"})


@bp.before_request
def gate():
    """Send anonymous visitors to sign in, answer 403 to accounts that are not institute staff,
    and show staff of an institute not (or no longer) approved the awaiting-approval page;
    every other portal page is for staff of an approved institute alone."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.endpoint in ACCOUNT_ENDPOINTS:
        return signed_in_gate()
    return staff_gate()
