"""The about and contact pages: what the catalog promises, and how to reach the team.

The contact address comes from ``CONTACT_EMAIL``; the syllabus age after which a listing reads
"may be out of date" from the course model, so the pages say what the code does.
"""

from __future__ import annotations

from flask import current_app, render_template

from catalog.models import SYLLABUS_STALE_AFTER_DAYS
from catalog.public.blueprint import bp


@bp.get("/about")
def about():
    """What the catalog is, what it promises learners and institutes, and how listings are checked."""
    return render_template("public/about.html", stale_after_days=SYLLABUS_STALE_AFTER_DAYS)


@bp.get("/contact")
def contact():
    """How learners and institutes reach the team, list an institute, or report a listing."""
    return render_template(
        "public/contact.html",
        contact_email=current_app.config["CONTACT_EMAIL"],
        privacy_email=current_app.config["PRIVACY_CONTACT_EMAIL"],
    )
