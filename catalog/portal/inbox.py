"""The enquiry inbox: the institute's enquiries, one enquiry's page and workflow, CSV export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from catalog.extensions import db
from catalog.models import Enquiry
from catalog.portal import bp
from catalog.portal.inbox_forms import EnquiryStatusForm, InboxFilterForm
from catalog.security import current_institute_id, get_owned_or_404, staff_required
from catalog.services.enquiries import CONTACT_LABELS
from catalog.services.inbox import (
    REASON_LABELS,
    STATUS_LABELS,
    TransitionRefused,
    change_status,
    detail_options,
    export_csv,
    inbox_query,
    own_courses,
)
from catalog.timeutil import local_today

PER_PAGE = 25


def _filter_form() -> InboxFilterForm:
    form = InboxFilterForm(request.args, own_courses(db.session, current_institute_id()))
    form.validate()
    return form


@bp.get("/enquiries")
@login_required
@staff_required
def inbox():
    """The institute's enquiries, newest first, filtered by status, course and date received."""
    form = _filter_form()
    page = db.paginate(
        inbox_query(current_institute_id(), form.filters()),
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "portal/inbox/list.html",
        form=form,
        page=page,
        args=form.query_args(),
        status_labels=STATUS_LABELS,
        reason_labels=REASON_LABELS,
        contact_labels=CONTACT_LABELS,
    )


@bp.route("/enquiries/<int:enquiry_id>", methods=["GET", "POST"])
@login_required
@staff_required
def inbox_detail(enquiry_id: int):
    """One enquiry: everything the learner sent, its history, and the status form."""
    enquiry = get_owned_or_404(Enquiry, enquiry_id, *detail_options())
    form = EnquiryStatusForm(enquiry.status)
    if form.validate_on_submit():
        try:
            change_status(
                db.session,
                enquiry,
                current_user._get_current_object(),
                form.target,
                reason=form.invalid_reason,
                note=form.note.data or "",
                seen_status=form.seen,
            )
        except TransitionRefused as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"{enquiry.reference} saved: {STATUS_LABELS[enquiry.status].lower()}.", "success")
            return redirect(url_for("portal.inbox_detail", enquiry_id=enquiry.id))
    return render_template(
        "portal/inbox/detail.html",
        enquiry=enquiry,
        form=form,
        status_labels=STATUS_LABELS,
        reason_labels=REASON_LABELS,
        contact_labels=CONTACT_LABELS,
    ), (400 if form.is_submitted() else 200)


@bp.get("/enquiries.csv")
@login_required
@staff_required
def inbox_export():
    """The filtered inbox as a CSV download (withdrawn enquiries without personal data)."""
    form = _filter_form()
    if form.errors:
        abort(400, description="The export filters are not valid; go back to the inbox and correct them.")
    text, _count = export_csv(
        db.session, current_user._get_current_object(), current_institute_id(), form.filters()
    )
    filename = f"enquiries-{current_user.institute.slug}-{local_today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
