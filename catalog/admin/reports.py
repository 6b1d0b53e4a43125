"""Learner reports in the admin area (``/admin/reports``): what learners found wrong in listings.

Waiting reports come first; each links to its listing, on the public site and in the admin area,
and an admin resolves or dismisses it with an optional note (audited).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from catalog.admin.actions import FORM_UNREAD
from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms_reports import CloseReportForm, ReportFilterForm
from catalog.admin.listing import list_page
from catalog.extensions import db
from catalog.models import ListingReport
from catalog.models.labels import label
from catalog.queries.reports import find_report, reports_query
from catalog.security import current_staff
from catalog.services.errors import DomainError
from catalog.services.reports import close_report

PER_PAGE = 25
NO_DECISION = "Choose “Mark resolved” or “Dismiss”; nothing changed."

#: Words for the refusals of the report service, by code.
MESSAGES = {
    "report-closed": "Someone already closed this report; it was not changed again.",
    "status-invalid": NO_DECISION,
    "note-too-long": "Keep the note to {limit:,} characters; nothing changed.",
    "record-clash": "Someone else changed this report at the same moment; reload and try again.",
}

nav_entry("admin.reports", "Reports", 25)


def _report_or_404(report_id: int) -> ListingReport:
    report = find_report(db.session, report_id)
    if report is None:
        abort(404, description="There is no learner report with this number.")
    return report


@bp.get("/reports")
def reports():
    """Learner reports, waiting ones first, filtered by status (``?status=new``)."""
    form = ReportFilterForm(request.args)
    form.validate()
    page = list_page(reports_query(form.chosen_status()), PER_PAGE)
    return render_template(
        "admin/reports.html",
        form=form,
        page=page,
        args=form.query_args(),
        close_forms={
            report.id: _close_form(report.id, formdata=None) for report in page.items if report.is_waiting
        },
    )


@bp.post("/reports/<int:report_id>/close")
def report_close(report_id: int):
    """Resolve or dismiss one waiting report (by the button pressed), with an optional note."""
    report = _report_or_404(report_id)
    form = _close_form(report.id)
    status = form.chosen_status()
    if not form.validate_on_submit():
        flash(form.note.errors[0] if form.note.errors else FORM_UNREAD, "error")
    elif status is None:
        flash(NO_DECISION, "error")
    else:
        try:
            close_report(db.session, current_staff(), report, status, form.note.data or "")
        except DomainError as refusal:
            flash(MESSAGES[refusal.code].format(**refusal.params), "error")
        else:
            flash(f"Report {report.id} is {label(status).lower()}.", "success")
    return redirect(url_for("admin.reports", **_back_args()), 303)


def _close_form(report_id: int, **kwargs) -> CloseReportForm:
    # A prefix of its own per report keeps every field id on the list page unique.
    return CloseReportForm(prefix=f"report-{report_id}", **kwargs)


def _back_args() -> dict[str, str]:
    """The list's filter and page the form was sent from, so the admin lands where they were."""
    back = {}
    for name in ("status", "page"):
        value = request.args.get(name, "")
        if value.isascii() and value.replace("-", "").isalnum() and len(value) <= 20:
            back[name] = value
    return back
