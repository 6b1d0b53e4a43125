"""Device cookies, as OWASP's "Slow Down Online Guessing Attacks with Device Cookies" describes.

A browser that signs in successfully gets a long-lived cookie, signed with ``SECRET_KEY``,
naming the account, its current password stamp and a random nonce. A sign-in for that account
presenting the cookie is exempt from the limits per address and per account (it has a limit of
its own, per nonce), so strangers guessing wrong can never lock the owner out of a device they
have used before. A new password changes the stamp, which retires every older cookie.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from catalog.extensions import db
from catalog.models import User
from catalog.models.contacts import normalise_email
from catalog.queries.accounts import find_user_by_email

DEVICE_COOKIE = "catalog_device"
_SALT = "catalog.device-cookie"
_PRESENTED = "catalog_device_nonce"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _max_age() -> int:
    return current_app.config["LOGIN_DEVICE_COOKIE_DAYS"] * 24 * 3600


def issue_device_cookie(response: Response, user: User) -> Response:
    """Give the browser a fresh device cookie for ``user`` (after a successful sign-in)."""
    value = _serializer().dumps(
        {"email": user.email, "stamp": user.session_stamp, "nonce": secrets.token_urlsafe(16)}
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=_max_age(),
        path="/portal/",
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _read_device_cookie(email: str) -> str | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or not email:
        return None
    try:
        data = _serializer().loads(raw, max_age=_max_age())
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("email") != normalise_email(email):
        return None
    # Only a cookie this site signed gets this far, so the look-up tells a stranger nothing.
    user = find_user_by_email(db.session, email)
    if user is None or not user.active or data.get("stamp") != user.session_stamp:
        return None
    nonce = data.get("nonce")
    return nonce if isinstance(nonce, str) and nonce else None


def presented_device(email: str) -> str | None:
    """The nonce of a valid device cookie this request presents for the account ``email``."""
    if _PRESENTED not in g:
        setattr(g, _PRESENTED, _read_device_cookie(email))
    return g.get(_PRESENTED)
