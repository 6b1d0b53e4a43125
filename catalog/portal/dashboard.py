"""Portal home: what needs the staff's attention today."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from catalog.extensions import db
from catalog.models import SYLLABUS_STALE_AFTER_DAYS
from catalog.portal.blueprint import bp
from catalog.queries.portal import (
    course_status_counts,
    new_enquiries,
    new_enquiry_count,
    scheduled_batches,
    stale_syllabi,
)
from catalog.security import current_institute_id
from catalog.timeutil import local_today

#: How many new enquiries and upcoming batches the dashboard lists.
DASHBOARD_ROWS = 10


@bp.get("/")
def dashboard():
    """New enquiries, courses by status, upcoming batches and stale syllabi of this institute."""
    institute_id = current_institute_id()
    today = local_today()
    return render_template(
        "portal/dashboard.html",
        institute=current_user.institute,
        status_counts=course_status_counts(db.session, institute_id),
        new_enquiries=new_enquiries(db.session, institute_id, DASHBOARD_ROWS),
        new_count=new_enquiry_count(db.session, institute_id),
        batches=scheduled_batches(db.session, institute_id, today, DASHBOARD_ROWS),
        stale=stale_syllabi(db.session, institute_id, today),
        stale_after_days=SYLLABUS_STALE_AFTER_DAYS,
        today=today,
    )
