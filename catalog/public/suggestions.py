"""``/search/suggestions?q=<text typed so far>``: the search box's autocomplete, as JSON.

The answer is ``{"query": "<text as read>", "suggestions": [{"label", "kind", "url"}, …]}``.
Text of fewer than two letters or digits answers an empty list; a missing ``q`` or text longer
than ``MAX_PREFIX_CHARS`` answers 400 with the site's JSON error body (text holding control
characters never gets here: ``guards`` refuses it with 400, as JSON to the script, which asks
for JSON). Suggestions are the same for everyone, so a visitor's answer may be kept by any
cache for a minute; a signed-in browser's is never stored, since an answer to it can carry its
refreshed session cookie.
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.public.blueprint import bp
from catalog.search import MAX_PREFIX_CHARS, autocomplete

#: How long a visitor's answer may be reused, by the browser or a shared cache.
PUBLIC_CACHE_CONTROL = "public, max-age=60"
MISSING = "Give the text typed so far as the q parameter."
TOO_LONG = f"The text is too long for suggestions (at most {MAX_PREFIX_CHARS} characters)."


def _bad_request(detail: str):
    body = {"error": {"status": 400, "title": "Bad Request", "detail": detail}}
    return jsonify(body), 400, {"Cache-Control": "no-store"}


def _problem(typed: str | None) -> str | None:
    """Why ``typed`` cannot be read, or None when it can."""
    if typed is None:
        return MISSING
    if len(typed.strip()) > MAX_PREFIX_CHARS:
        return TOO_LONG
    return None


@bp.get("/search/suggestions")
def search_suggestions():
    """Topics, tools, institutes and courses that complete the text typed so far."""
    typed = request.args.get("q")
    problem = _problem(typed)
    if problem is not None:
        return _bad_request(problem)
    query = typed.strip()
    found = autocomplete(db.session, query)
    response = jsonify(
        query=query,
        suggestions=[
            {"label": s.label, "kind": s.kind, "url": url_for(s.endpoint, **s.url_args)} for s in found
        ],
    )
    response.headers["Cache-Control"] = (
        "private, no-store" if current_user.is_authenticated else PUBLIC_CACHE_CONTROL
    )
    return response
