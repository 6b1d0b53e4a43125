"""Signing in and out, passwords, and institute sign-up (``/portal/login`` and friends)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from catalog.extensions import db, limiter
from catalog.models import Role, User
from catalog.models.contacts import normalise_email
from catalog.portal.blueprint import bp
from catalog.portal.forms import (
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    RegistrationForm,
    ResetPasswordForm,
    show_account_refusal,
)
from catalog.queries.accounts import find_reset_token
from catalog.services import accounts
from catalog.services.errors import DomainError

INCORRECT_LOGIN = "Email or password is incorrect."
RESET_SENT = (
    "If that address has an account, we have sent a link to reset its password. "
    "The link works once, for {hours} hours."
)


def _limits_per_address() -> str:
    return current_app.config["LOGIN_LIMITS_PER_ADDRESS"]


def _limits_per_email() -> str:
    return current_app.config["LOGIN_LIMITS_PER_EMAIL"]


def _submitted_email() -> str:
    """The rate-limit key of the account a sign-in or reset request is about."""
    return "email:" + normalise_email(request.form.get("email"))


def _not_signed_in(response: Response) -> bool:
    """Count failed sign-ins only, so a staff member who signs in often is never locked out."""
    return response.status_code != 302


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/portal/...``), None for anything else."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return None
    return target


def landing_url(user: User) -> str:
    """Where a user goes after signing in when no page asked for it."""
    if user.role == Role.INSTITUTE:
        return url_for("portal.dashboard")
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limits_per_address, methods=["POST"], deduct_when=_not_signed_in)
@limiter.limit(_limits_per_email, key_func=_submitted_email, methods=["POST"], deduct_when=_not_signed_in)
def login():
    """Sign in with email and password; the session is renewed."""
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_url or landing_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            # A fresh session: nothing placed in it before sign-in (by anyone) survives.
            session.clear()
            login_user(user)
            accounts.record_login(db.session, user, form.password.data)
            flash(f"Signed in as {user.email}.", "success")
            return redirect(next_url or landing_url(user))
        form.form_errors.append(INCORRECT_LOGIN)
    return render_template("portal/auth/login.html", form=form, next_url=next_url)


@bp.post("/logout")
def logout():
    """Sign out (POST only, with a CSRF token, so no link or image can sign anyone out)."""
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("public.home"))


@bp.get("/awaiting-approval")
def awaiting_approval():
    """What staff of an institute that is not (or no longer) approved see instead of the portal."""
    if current_user.may_use_portal:
        return redirect(url_for("portal.dashboard"))
    return render_template("portal/auth/awaiting_approval.html", institute=current_user.institute)


@bp.route("/password", methods=["GET", "POST"])
def password_change():
    """Change one's own password; every other session of the account ends."""
    user: User = current_user._get_current_object()
    form = PasswordChangeForm(account_email=user.email)
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session, user, form.current_password.data, form.new_password.data)
        except DomainError as refusal:
            show_account_refusal(form, refusal, form.FIELDS)
        else:
            # The stamp changed: carry this session over to it.
            login_user(user)
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("portal.password_change"))
    return render_template(
        "portal/auth/password_change.html", form=form, portal_nav=current_user.may_use_portal
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limits_per_address, methods=["POST"])
@limiter.limit(_limits_per_email, key_func=_submitted_email, methods=["POST"])
def password_forgot():
    """Ask for a reset link; the answer never says whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(db.session, form.email.data)
        flash(RESET_SENT.format(hours=current_app.config["PASSWORD_RESET_HOURS"]), "success")
        return redirect(url_for("portal.login"))
    return render_template("portal/auth/password_forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def password_reset(token: str):
    """Choose a new password through an emailed link; the link works once."""
    record = find_reset_token(db.session, token)
    if record is None:
        return render_template("portal/auth/password_reset_invalid.html"), 410
    form = ResetPasswordForm(account_email=record.user.email)
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(db.session, token, form.new_password.data)
        except DomainError as refusal:
            show_account_refusal(form, refusal, form.FIELDS)
        else:
            if user is None:
                return render_template("portal/auth/password_reset_invalid.html"), 410
            flash("Your password has been changed. Sign in with the new password.", "success")
            return redirect(url_for("portal.login"))
    return render_template("portal/auth/password_reset.html", form=form, token=token)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """An institute signs up; it and its first staff account wait for an admin's approval."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_institute(db.session, form.to_command())
        except DomainError as refusal:
            show_account_refusal(form, refusal, form.FIELDS)
        else:
            flash(
                f"Thank you: we have received the registration of {user.institute.name}. An admin will "
                f"review it and we will email {user.email}. You can sign in meanwhile to see its status.",
                "success",
            )
            return redirect(url_for("portal.login"))
    return render_template("portal/auth/register.html", form=form)
