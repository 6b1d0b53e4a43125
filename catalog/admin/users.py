"""The admins' accounts (``/admin/users``): find one, create one, deactivate or reactivate it,
change its role, send it a password reset.

A new account gets no password from the admin: its owner receives a reset link and chooses
one. An admin cannot deactivate or change the role of their own account.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for

from catalog.admin.actions import Messages, click_action, form_action, refusal_text
from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms import ClickForm
from catalog.admin.forms_users import NewUserForm, RoleForm, UserFilterForm
from catalog.admin.listing import list_page
from catalog.extensions import db
from catalog.forms.fields import show_refusal
from catalog.models import Institute, User
from catalog.models.labels import label as role_label
from catalog.queries.accounts import admin_users_query, institute_choices
from catalog.security import current_staff
from catalog.services import admin_accounts
from catalog.services.errors import DomainError

PER_PAGE = 25

#: Words for the refusals of the account services, by code.
MESSAGES: Messages = {
    "email-invalid": lambda p: "Enter an email address like name@example.in.",
    "email-taken": lambda p: f"An account with {p['email']} already exists.",
    "institute-required": lambda p: "Choose the institute this staff member works for.",
    "institute-not-allowed": lambda p: "Admins belong to no institute: choose “No institute”.",
    "own-account": lambda p: (
        "You cannot deactivate or change the role of your own account; ask another admin."
    ),
    "account-inactive": lambda p: (
        "This account is deactivated, so no reset link was sent; reactivate it first."
    ),
    "record-clash": lambda p: "Someone else changed this account at the same moment; reload and try again.",
}

nav_entry("admin.user_list", "Users", 40)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description="There is no account with this number.")
    return user


def _institute(institute_id: int | None) -> Institute | None:
    return db.session.get(Institute, institute_id) if institute_id else None


def _role_form(user: User, formdata=None) -> RoleForm:
    form = RoleForm(formdata=formdata, role=user.role.value, institute=str(user.institute_id or ""))
    form.set_institutes(institute_choices(db.session))
    return form


def _detail(user: User, role_form: RoleForm | None = None, status: int = 200):
    return (
        render_template(
            "admin/user_detail.html",
            user=user,
            action_form=ClickForm(),
            role_form=role_form or _role_form(user),
            is_self=user.id == current_staff().id,
        ),
        status,
    )


@bp.get("/users")
def user_list():
    """Every account, found by email and filtered by role and whether it is active."""
    form = UserFilterForm(request.args)
    form.validate()
    page = list_page(admin_users_query(form.filters()), PER_PAGE)
    return render_template("admin/users.html", form=form, page=page, args=form.query_args())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    """Create an account; its owner gets an email with a link to set the password."""
    form = NewUserForm()
    form.set_institutes(institute_choices(db.session))
    if form.validate_on_submit():
        try:
            user = admin_accounts.invite_user(
                db.session,
                current_staff(),
                form.email.data,
                form.chosen_role(),
                _institute(form.chosen_institute_id()),
            )
        except DomainError as refusal:
            show_refusal(form, refusal.field, refusal_text(MESSAGES, refusal))
        else:
            flash(f"Account {user.email} created; a link to set its password is on its way.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_new.html", form=form), status


@bp.get("/users/<int:user_id>")
def user_detail(user_id: int):
    """One account: its role, institute, state and the actions open to it."""
    return _detail(_user_or_404(user_id))


def _act(user_id: int, change: Callable[[User], str]):
    """Run one click action on the account; flash what happened, back on its page."""
    user = _user_or_404(user_id)
    return click_action(lambda: change(user), MESSAGES, url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int):
    """Close the account: it can no longer sign in and every session of it ends."""
    return _switch_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int):
    """Open a deactivated account again."""
    return _switch_active(user_id, True)


#: What switching an account off or on says, done and already so: (done, already).
SWITCH_WORDS = {
    False: ("{email} is deactivated; {ended} session(s) ended.", "{email} was already deactivated."),
    True: ("{email} is active again.", "{email} was already active."),
}


def _switch_active(user_id: int, active: bool):
    def switch(user: User) -> str:
        if active:
            changed, ended = admin_accounts.reactivate_user(db.session, user, by=current_staff()), 0
        else:
            ended = admin_accounts.deactivate_user(db.session, user, by=current_staff())
            changed = ended is not None
        done, already = SWITCH_WORDS[active]
        return (done if changed else already).format(email=user.email, ended=ended)

    return _act(user_id, switch)


@bp.post("/users/<int:user_id>/password-reset")
def user_password_reset(user_id: int):
    """Email the account a link to choose a new password (the old one keeps working until then)."""

    def send_reset(user: User) -> str:
        admin_accounts.send_password_reset(db.session, user)
        return f"A password reset link is on its way to {user.email}."

    return _act(user_id, send_reset)


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int):
    """Change the account's role (and institute); every session of it ends."""
    user = _user_or_404(user_id)
    form = _role_form(user, request.form)

    def change() -> tuple[str, str]:
        changed = admin_accounts.change_role(
            db.session, user, form.chosen_role(), _institute(form.chosen_institute_id()), by=current_staff()
        )
        label = role_label(user.role).lower()
        message = f"{user.email} is now {label}." if changed else f"{user.email} already had this role."
        return message, url_for("admin.user_detail", user_id=user.id)

    return form_action(form, change, MESSAGES, lambda form: _detail(user, form, 400))
