"""Response compression (Brotli or gzip, as the client accepts), except where BREACH could bite.

BREACH: when a compressed body holds a secret next to text an attacker can put in the page
(the search words, a query parameter), the compressed size leaks, guess by guess, how much of
a guess matches the secret. The secrets our pages hold are the CSRF token (the same on every
page of a session) and, on private pages, personal data and tracking links. So nothing is
compressed for a signed-in browser (its CSRF token guards staff and admin actions) or on a
private page (``no-store`` or ``private``: the portal with its sign-in and sign-up forms, a
learner's tracking pages). A visitor's public pages are compressed, forms and all: their CSRF
token guards only what anyone may send from their own browser anyway (an enquiry, a report, a
shortlist), and signing in starts a new session with a new token, so a token guessed before
sign-in opens nothing after it. SECURITY.md says the same.
"""

from __future__ import annotations

from flask import Flask, request, session
from werkzeug.wrappers import Response

from catalog.extensions import compress
from catalog.security import SESSION_ID_KEY

#: Brotli first (smaller), then gzip, for whole responses and for streamed files alike.
ALGORITHMS = ["br", "gzip"]


def holds_a_secret(response: Response) -> bool:
    """True when the body may carry a secret an attacker could probe by reflecting input."""
    if request.endpoint == "static":
        return False
    return (
        bool(response.cache_control.no_store)
        or bool(response.cache_control.private)
        # Read from the cookie, not the database: any browser that claims a signed-in session.
        or SESSION_ID_KEY in session
    )


def _compress_unless_secret(response: Response) -> Response:
    if holds_a_secret(response):
        return response
    return compress.after_request(response)


def init_compression(app: Flask) -> None:
    """Compress what may be compressed. Call it before any other ``after_request`` is added:
    Flask runs them last-added first, so this one then sees every header the others set."""
    app.config.setdefault("COMPRESS_ALGORITHM", ALGORITHMS)
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ALGORITHMS)
    app.config.setdefault("COMPRESS_REGISTER", False)
    compress.init_app(app)
    app.after_request(_compress_unless_secret)
