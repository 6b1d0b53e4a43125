"""The staleness report: syllabi out of date, institutes without upcoming batches, and the
reminder an admin sends an institute about one course (at most once in 30 days)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.dashboard import PER_PAGE
from catalog.admin.forms_staleness import ReminderForm
from catalog.admin.listing import list_page, problem_list
from catalog.extensions import db
from catalog.models import REMINDER_INTERVAL_DAYS, SYLLABUS_STALE_AFTER_DAYS, next_reminder_at
from catalog.models.base import utcnow
from catalog.queries.admin import (
    INSTITUTE_PROBLEMS,
    last_reminders,
    problem_institutes_query,
    stale_courses_query,
)
from catalog.search import page_number
from catalog.security import current_staff
from catalog.services.errors import DomainError
from catalog.services.reminders import send_staleness_reminder
from catalog.templating import format_date
from catalog.timeutil import local_today, to_local

#: What each refusal of the reminder service says to the admin.
REFUSALS = {
    "course-missing": "That course no longer exists.",
    "not-stale": "This course's syllabus was reviewed in the last 12 months; no reminder is needed.",
    "reminded-recently": (
        "The institute was already reminded about this course on {last_on}; "
        f"one reminder per course every {REMINDER_INTERVAL_DAYS} days. The next can go on {{next_on}}."
    ),
    "no-recipient": (
        "The institute has no contact email and no active staff account, so there is no one to remind."
    ),
}


def refusal_message(error: DomainError) -> str:
    """The words of a refused reminder, with its dates shown in Hyderabad's calendar."""
    params = {name: format_date(to_local(value)) for name, value in error.params.items()}
    return REFUSALS.get(error.code, "The reminder could not be sent.").format(**params)


@bp.get("/staleness")
def staleness():
    """Published listings whose syllabus is out of date, with when each institute was last reminded."""
    today = local_today()
    page = list_page(stale_courses_query(today), PER_PAGE)
    return render_template(
        "admin/staleness.html",
        page=page,
        reminded=last_reminders(db.session, [course.id for course in page.items]),
        form=ReminderForm(),
        stale_after_days=SYLLABUS_STALE_AFTER_DAYS,
        interval_days=REMINDER_INTERVAL_DAYS,
        next_reminder_at=next_reminder_at,
        now=utcnow(),
        institute_problems=INSTITUTE_PROBLEMS,
    )


@bp.get("/staleness/institutes")
def staleness_institutes():
    """Institutes with one problem (``?problem=``): no upcoming batch, or waiting for approval."""
    return problem_list(
        "admin/staleness_institutes.html",
        INSTITUTE_PROBLEMS,
        request.args.get("problem", "no-batch"),
        problem_institutes_query,
        "institutes",
        PER_PAGE,
    )


@bp.post("/staleness/courses/<int:course_id>/reminder")
def staleness_remind(course_id: int):
    """Queue the reminder email about one stale course to its institute (the app's CSRF check
    has refused the post already if its token was missing or stale)."""
    back = url_for("admin.staleness", page=page_number(request.args.get("page")))
    try:
        send_staleness_reminder(db.session, course_id, current_staff(), local_today())
    except DomainError as error:
        flash(refusal_message(error), "error")
    else:
        flash("Reminder queued: the institute will get an email asking to review the syllabus.", "success")
    return redirect(back)


nav_entry("admin.staleness", "Staleness", 50)
