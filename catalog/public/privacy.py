"""The privacy notice: what the catalog keeps about whom, why, for how long, and how to erase it.

The retention period and the contact address come from the settings, and the statuses after
which the period runs from the retention service, so the page says what the code does.
"""

from __future__ import annotations

from flask import current_app, render_template

from catalog.public.blueprint import bp
from catalog.services.retention import FINAL_STATUSES


@bp.get("/privacy")
def privacy():
    """What we collect, why, who sees it, how long we keep it, and how a learner sees and deletes it."""
    return render_template(
        "public/privacy.html",
        retention_days=current_app.config["PERSONAL_DATA_RETENTION_DAYS"],
        contact_email=current_app.config["PRIVACY_CONTACT_EMAIL"],
        final_statuses=FINAL_STATUSES,
    )
