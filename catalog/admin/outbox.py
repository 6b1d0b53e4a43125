"""The outbox in the admin area (``/admin/outbox``): every email, its delivery, and resending.

Admins see each message's status, attempts and the server's last answer, read its body, and
queue a sent or failed message again; ``send-outbox`` does the sending.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from catalog.admin.actions import FORM_UNREAD
from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms_outbox import OutboxFilterForm, ResendForm
from catalog.admin.listing import list_page
from catalog.extensions import db
from catalog.models import OutboxMessage
from catalog.queries.outbox import find_message, messages_query
from catalog.security import current_staff
from catalog.services.errors import DomainError
from catalog.services.outbox import resend_message

PER_PAGE = 25

#: Words for the refusals of the outbox service, by code.
MESSAGES = {
    "already-queued": "This message is already waiting to be sent; it was not queued twice.",
    "record-clash": "Someone else changed this message at the same moment; reload and try again.",
}

nav_entry("admin.outbox", "Outbox", 70)


def _message_or_404(message_id: int) -> OutboxMessage:
    message = find_message(db.session, message_id)
    if message is None:
        abort(404, description="There is no outbox message with this number.")
    return message


@bp.get("/outbox")
def outbox():
    """Every email the catalog wrote, newest first, filtered by status (``?status=failed``)."""
    form = OutboxFilterForm(request.args)
    form.validate()
    page = list_page(messages_query(form.chosen_status()), PER_PAGE)
    return render_template("admin/outbox.html", form=form, page=page, args=form.query_args())


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    """One message: its delivery so far and the text that is (or was) sent."""
    return render_template(
        "admin/outbox_message.html", message=_message_or_404(message_id), resend_form=ResendForm()
    )


@bp.post("/outbox/<int:message_id>/resend")
def outbox_resend(message_id: int):
    """Queue a sent or failed message again, with a fresh count of attempts."""
    message = _message_or_404(message_id)
    if not ResendForm().validate_on_submit():
        flash(FORM_UNREAD, "error")
    else:
        try:
            resend_message(db.session, current_staff(), message)
        except DomainError as refusal:
            flash(MESSAGES[refusal.code], "error")
        else:
            flash(f"“{message.subject}” to {message.to_email} is queued again.", "success")
    return redirect(url_for("admin.outbox_message", message_id=message_id))
