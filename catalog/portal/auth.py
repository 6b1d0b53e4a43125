"""Signing in and out, passwords, and institute sign-up (``/portal/login`` and friends)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user

from catalog.extensions import db, limiter
from catalog.models import Role, User
from catalog.models.contacts import normalise_email
from catalog.portal.blueprint import bp
from catalog.portal.devices import issue_device_cookie, presented_device
from catalog.portal.forms import (
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    RegistrationForm,
    ResetPasswordForm,
    show_account_refusal,
)
from catalog.queries.accounts import find_reset_token
from catalog.security import current_session_id, log_in, safe_next
from catalog.services import accounts, registrations
from catalog.services.errors import DomainError
from catalog.services.moderation_institutes import sign_in_refused
from catalog.services.sessions import end_session

INCORRECT_LOGIN = "Email or password is incorrect."
INSTITUTE_SUSPENDED = (
    "{name} is suspended, so its staff cannot sign in. The email sent to you gives the reason; "
    "you can sign in again once an admin lifts the suspension."
)
RESET_SENT = (
    "We have sent an email to that address. If it has an account, the email holds a link to reset "
    "its password, which works once, for {hours} hours."
)


#: Only submitted forms count: showing the page is never limited.
POSTS = ["POST"]


def _setting(name: str):
    return lambda: current_app.config[name]


def _submitted_email() -> str:
    # Bounded before parsing, so a huge value never costs time or becomes a huge limit key.
    return normalise_email((request.form.get("email") or "")[:300])


def _account_and_address() -> str:
    return f"account-address:{_submitted_email()}:{get_remote_address()}"


def _account() -> str:
    return f"account:{_submitted_email()}"


def _device() -> str:
    return f"device:{presented_device(_submitted_email())}"


def _known_device() -> bool:
    """True when the request presents a valid device cookie for the account it names."""
    return presented_device(_submitted_email()) is not None


def _unknown_device() -> bool:
    return not _known_device()


def sign_in_limits(view):
    """The limits on a sign-in (or reset) request, counted on every submitted form.

    Counted per account and address together, per address, and per account for browsers
    without a device cookie for the account: a wrong guess from elsewhere never uses up the
    owner's own allowance. A browser with one is held to the device cookie's own limit instead.
    Every attempt counts, not only the failed ones: a count taken after the answer would let a
    burst of simultaneous guesses all pass the check before any of them was counted; the owner
    who signs in often does so from a device the cookie exempts.
    """
    limits = [
        (_setting("LOGIN_LIMITS_PER_ACCOUNT_ADDRESS"), _account_and_address, _known_device),
        (_setting("LOGIN_LIMITS_PER_ADDRESS"), get_remote_address, _known_device),
        (_setting("LOGIN_LIMITS_PER_ACCOUNT"), _account, _known_device),
        (_setting("LOGIN_LIMITS_PER_DEVICE"), _device, _unknown_device),
    ]
    for value, key, exempt in limits:
        view = limiter.limit(value, key_func=key, methods=POSTS, exempt_when=exempt)(view)
    return view


def landing_url(user: User) -> str:
    """Where a user goes after signing in when no page asked for it."""
    if user.role == Role.INSTITUTE:
        return url_for("portal.dashboard")
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limits
def login():
    """Sign in with email and password; the session is renewed, and recorded on the server."""
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_url or landing_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        # Said only after the right password, so it tells a stranger nothing about the account.
        if user is not None and sign_in_refused(user):
            form.form_errors.append(INSTITUTE_SUSPENDED.format(name=user.institute.name))
        elif user is not None:
            # A fresh session: nothing placed in it before sign-in (by anyone) survives.
            session.clear()
            log_in(user, accounts.sign_in(db.session, user, form.password.data, request.user_agent.string))
            flash(f"Signed in as {user.email}.", "success")
            return issue_device_cookie(redirect(next_url or landing_url(user)), user)
        form.form_errors.append(INCORRECT_LOGIN)
    return render_template("portal/auth/login.html", form=form, next_url=next_url)


@bp.post("/logout")
def logout():
    """Sign out (POST only, with a CSRF token, so no link or image can sign anyone out).

    The session ends on the server too: a copy of the cookie opens nothing afterwards.
    """
    token = current_session_id()
    logout_user()
    session.clear()
    if token:
        end_session(db.session, token)
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
            accounts.change_password(
                db.session,
                user,
                form.current_password.data,
                form.new_password.data,
                keep_session=current_session_id(),
            )
        except DomainError as refusal:
            show_account_refusal(form, refusal, form.FIELDS)
        else:
            flash("Your password has been changed. Other devices have been signed out.", "success")
            # The stamp changed, retiring older device cookies: this browser gets a new one.
            return issue_device_cookie(redirect(url_for("portal.password_change")), user)
    return render_template(
        "portal/auth/password_change.html", form=form, portal_nav=current_user.may_use_portal
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@sign_in_limits
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
            received = registrations.register_institute(db.session, form.to_command())
        except DomainError as refusal:
            show_account_refusal(form, refusal, form.FIELDS)
        else:
            # The same words whether or not the email had an account; its holder learns by email.
            flash(
                f"Thank you: we have received the registration of {received.institute_name}. We have "
                f"emailed {received.email} about what happens next.",
                "success",
            )
            return redirect(url_for("portal.login"))
    return render_template("portal/auth/register.html", form=form)
