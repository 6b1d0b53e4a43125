"""The admins' institutes (``/admin/institutes``): find one, see its staff and courses, and
approve, verify, suspend or reinstate it.

Every action is a POST of its own small form (:mod:`catalog.admin.actions`); the services of
:mod:`catalog.services.moderation_institutes` make the change, its audit entry and its emails
in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request, url_for

from catalog.admin.actions import Messages, click_action, form_action
from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms import ClickForm
from catalog.admin.forms_institutes import InstituteFilterForm, SuspendForm
from catalog.admin.listing import list_page
from catalog.extensions import db
from catalog.models import Institute, InstituteStatus
from catalog.queries.institutes import admin_institute, admin_institutes_query, institute_staff
from catalog.security import current_staff
from catalog.services import moderation_institutes
from catalog.services.errors import DomainError

PER_PAGE = 25

#: Words for the refusals of the institute services, by code.
MESSAGES: Messages = {
    "reason-required": lambda p: "Give the reason: it is sent to the institute's staff.",
    "reason-too-long": lambda p: f"Keep the reason under {p['max']} characters.",
    "institute-not-approved": lambda p: (
        f"Only an approved institute can be suspended; this one is {p['status']}."
    ),
    "institute-suspended": lambda p: "This institute is suspended: reinstate it instead of approving it.",
    "institute-not-suspended": lambda p: (
        f"Only a suspended institute can be reinstated; this one is {p['status']}."
    ),
}

nav_entry("admin.institute_list", "Institutes", 30)


def _institute_or_404(institute_id: int) -> Institute:
    institute = admin_institute(db.session, institute_id)
    if institute is None:
        abort(404, description="There is no institute with this number.")
    return institute


def _detail(institute: Institute, suspend_form: SuspendForm | None = None, status: int = 200):
    return (
        render_template(
            "admin/institute_detail.html",
            institute=institute,
            staff=institute_staff(db.session, institute.id),
            action_form=ClickForm(),
            suspend_form=suspend_form or SuspendForm(formdata=None),
        ),
        status,
    )


@bp.get("/institutes")
def institute_list():
    """Every institute, whatever its status, found by name and filtered by status and mark."""
    form = InstituteFilterForm(request.args)
    form.validate()
    page = list_page(admin_institutes_query(form.filters()), PER_PAGE)
    return render_template("admin/institutes.html", form=form, page=page, args=form.query_args())


@bp.get("/institutes/<int:institute_id>")
def institute_detail(institute_id: int):
    """One institute: its status, its staff, its courses and the actions open to it."""
    return _detail(_institute_or_404(institute_id))


def _act(institute_id: int, change: Callable[[Institute], str]):
    """Run one click action on the institute; flash what happened, back on its page."""
    institute = _institute_or_404(institute_id)
    back = url_for("admin.institute_detail", institute_id=institute.id)
    return click_action(lambda: change(institute), MESSAGES, back)


@bp.post("/institutes/<int:institute_id>/approve")
def institute_approve(institute_id: int):
    """Approve a pending institute: its portal opens and its staff are told by email."""

    def approve(institute: Institute) -> str:
        if institute.status == InstituteStatus.SUSPENDED:
            raise DomainError("institute-suspended")
        if moderation_institutes.approve_institute(db.session, institute, by=current_staff()) is None:
            return f"{institute.name} was already approved."
        return f"{institute.name} is approved; its staff have been emailed."

    return _act(institute_id, approve)


@bp.post("/institutes/<int:institute_id>/verify")
def institute_verify(institute_id: int):
    """Give the institute the verified mark."""
    return _set_verified(institute_id, True)


@bp.post("/institutes/<int:institute_id>/unverify")
def institute_unverify(institute_id: int):
    """Take the verified mark away."""
    return _set_verified(institute_id, False)


def _set_verified(institute_id: int, verified: bool):
    def mark(institute: Institute) -> str:
        moderation_institutes.set_verified(db.session, institute, verified, by=current_staff())
        return f"{institute.name} is verified." if verified else f"{institute.name} is no longer verified."

    return _act(institute_id, mark)


@bp.post("/institutes/<int:institute_id>/suspend")
def institute_suspend(institute_id: int):
    """Suspend the institute with a reason: out of search, staff signed out and refused sign-in."""
    institute = _institute_or_404(institute_id)
    form = SuspendForm()

    def suspend() -> tuple[str, str]:
        ended = moderation_institutes.suspend_institute(
            db.session, institute, form.reason.data, by=current_staff()
        )
        message = (
            f"{institute.name} is suspended: its courses left search, {ended} staff session(s) ended, "
            "and its staff have been emailed the reason."
        )
        return message, url_for("admin.institute_detail", institute_id=institute.id)

    return form_action(form, suspend, MESSAGES, lambda form: _detail(institute, form, 400))


@bp.post("/institutes/<int:institute_id>/reinstate")
def institute_reinstate(institute_id: int):
    """Lift the suspension: courses back in search, staff may sign in again."""

    def reinstate(institute: Institute) -> str:
        moderation_institutes.reinstate_institute(db.session, institute, by=current_staff())
        return f"{institute.name} is reinstated; its staff have been emailed."

    return _act(institute_id, reinstate)
