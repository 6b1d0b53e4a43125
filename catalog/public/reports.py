""" "Report a problem with this listing": a learner tells the catalog a course or institute page is
wrong (no account needed). The report goes to the admins' queue and the listing's history; the
page never shows other people's reports. Sending is limited per address
(``REPORT_LIMITS_PER_ADDRESS``, shared by course and institute reports).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from catalog.extensions import db, limiter
from catalog.forms.fields import show_refusal
from catalog.models import Course, Institute
from catalog.public.blueprint import bp
from catalog.public.report_forms import ReportForm
from catalog.queries.courses import published_course
from catalog.queries.institutes import approved_institute
from catalog.services import reports as service
from catalog.services.errors import DomainError

#: Words for the report service's refusals, by code.
REFUSALS = {
    "details-too-long": "Keep what you found to {limit:,} characters or fewer",
    "details-required": "Tell us what is wrong, since you chose “Something else”",
    "email-invalid": "Enter a valid email address, e.g. name@example.com, or leave it empty",
    "record-clash": "Your report could not be stored just now. Please send it again.",
}
THANKS = "Thank you: your report reached the catalog's admins, who check every listing reported."


def _address_limits() -> str:
    return current_app.config["REPORT_LIMITS_PER_ADDRESS"]


report_limit = limiter.shared_limit(_address_limits, scope="listing-report", methods=["POST"])


def refusal_message(refusal: DomainError) -> str:
    """The learner's words for a refusal of the report service."""
    return REFUSALS[refusal.code].format(**refusal.params)


@bp.route("/courses/<slug>/report", methods=["GET", "POST"])
@report_limit
def report_course(slug: str):
    """Report a problem with a published course listing."""
    course = published_course(db.session, slug)
    if course is None:
        abort(404, description="No course has that address.")
    return _report(course, url_for("public.course_detail", slug=course.slug))


@bp.route("/institutes/<slug>/report", methods=["GET", "POST"])
@report_limit
def report_institute(slug: str):
    """Report a problem with an approved institute's page."""
    institute = approved_institute(db.session, slug)
    if institute is None:
        abort(404, description="No institute has that address.")
    return _report(institute, url_for("public.institute_detail", slug=institute.slug))


def _report(listing: Course | Institute, listing_url: str):
    form = ReportForm()
    valid = form.validate_on_submit()
    if request.method == "POST" and not form.form_errors:
        # The service's rules beside the form's own, so one send reports everything.
        problems = service.report_problems(form.to_command())
        if form.reason.errors:
            # No reason was read, so "other" needs no words yet: the missing reason says enough.
            problems = [problem for problem in problems if problem.code != "details-required"]
        for problem in problems:
            show_refusal(form, problem.field, refusal_message(problem))
        valid = valid and not problems
    if valid:
        try:
            service.submit_report(db.session, listing, form.to_command())
        except DomainError as refusal:
            show_refusal(form, refusal.field, refusal_message(refusal))
        else:
            flash(THANKS, "success")
            return redirect(listing_url, 303)
    page = render_template("public/report.html", form=form, listing=listing, listing_url=listing_url)
    return page, 400 if request.method == "POST" else 200
