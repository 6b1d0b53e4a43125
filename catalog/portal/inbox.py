"""The enquiry inbox: the institute's enquiries, one enquiry's page and workflow, CSV export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.forms.fields import show_refusal
from catalog.models import Enquiry
from catalog.models.labels import label
from catalog.portal.blueprint import bp
from catalog.portal.inbox_forms import EnquiryStatusForm, InboxFilterForm
from catalog.queries.enquiries import detail_options, inbox_query, own_courses
from catalog.search import page_number
from catalog.security import current_institute_id, current_staff, get_owned_or_404
from catalog.services.errors import DomainError
from catalog.services.inbox import change_status, export_csv
from catalog.timeutil import local_today

PER_PAGE = 25

REFUSALS = {
    "withdrawn": "The learner withdrew this enquiry; it can no longer be changed.",
    "new-again": "An enquiry cannot be marked new again once it has been handled.",
    "withdraw-by-learner-only": "Only the learner can withdraw an enquiry.",
    "reason-required": "Choose why this enquiry is invalid: wrong number, spam or duplicate.",
    "note-required": "Write a note, or choose a new status.",
}
#: The status form's field for each field of the inbox service's ``StatusChange``.
FORM_FIELDS = {"target": "status", "reason": "reason", "note": "note"}


def refusal_message(error: DomainError) -> str:
    """The sentence staff read for a refusal of the inbox service."""
    params = error.params
    if error.code == "move-not-allowed":
        return (
            f"An enquiry that is {label(params['current']).lower()} cannot be marked "
            f"{label(params['target']).lower()}."
        )
    if error.code == "changed-meanwhile":
        now = f": it is now {label(params['current']).lower()}" if "current" in params else ""
        return f"Someone changed this enquiry meanwhile{now}. Check its history and try again."
    return REFUSALS[error.code]


def _filter_form() -> InboxFilterForm:
    form = InboxFilterForm(request.args, own_courses(db.session, current_institute_id()))
    form.validate()
    return form


@bp.get("/enquiries")
def inbox():
    """The institute's enquiries, newest first, filtered by status, course and date received."""
    form = _filter_form()
    page = db.paginate(
        inbox_query(current_institute_id(), form.filters()),
        page=page_number(request.args.get("page")),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("portal/inbox/list.html", form=form, page=page, args=form.query_args())


@bp.route("/enquiries/<int:enquiry_id>", methods=["GET", "POST"])
def inbox_detail(enquiry_id: int):
    """One enquiry: everything the learner sent, its history, and the status form."""
    enquiry = get_owned_or_404(Enquiry, enquiry_id, *detail_options())
    form = EnquiryStatusForm(enquiry.status)
    if form.validate_on_submit():
        try:
            change_status(db.session, enquiry, current_staff(), form.to_command())
        except DomainError as refusal:
            show_refusal(form, refusal.field, refusal_message(refusal), FORM_FIELDS)
        else:
            flash(f"{enquiry.reference} saved: {label(enquiry.status).lower()}.", "success")
            return redirect(url_for("portal.inbox_detail", enquiry_id=enquiry.id))
    status = 400 if form.is_submitted() else 200
    return render_template("portal/inbox/detail.html", enquiry=enquiry, form=form), status


@bp.get("/enquiries.csv")
def inbox_export():
    """The filtered inbox as a CSV download (withdrawn enquiries without personal data)."""
    form = _filter_form()
    if form.errors:
        abort(400, description="The export filters are not valid; go back to the inbox and correct them.")
    text, _count = export_csv(db.session, current_staff(), current_institute_id(), form.filters())
    filename = f"enquiries-{current_user.institute.slug}-{local_today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
