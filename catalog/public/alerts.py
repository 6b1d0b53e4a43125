""" "Tell me about new batches": email alerts on a search, a topic or a course.

The form (``templates/_macros/alerts.html``) is a plain POST to ``/alerts``; the answer is the
same "check your email" page whether or not the address already had the alert. The private
pages (confirm, unsubscribe, the address's alerts) are opened by signed links from the emails
and are never cached, indexed or passed on as a referrer. Subscribing is limited per client
address (``ALERT_LIMITS_PER_ADDRESS``) and per email address (``ALERT_LIMITS_PER_EMAIL``).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import TooManyRequests
from wtforms import EmailField, HiddenField

from catalog.extensions import csrf, db, limiter
from catalog.forms.base import CatalogForm
from catalog.forms.fields import show_refusal
from catalog.models import AlertKind, Course, Topic
from catalog.models.contacts import normalise_email
from catalog.public.blueprint import bp
from catalog.queries.courses import published_course
from catalog.ratelimits import take_from_limits
from catalog.search import SearchParams
from catalog.services import alerts as service
from catalog.services.errors import DomainError
from catalog.services.retention import ALERT_KEEP_DAYS

#: The longest stored search a form may carry (its query string).
CRITERIA_MAX = 2000
FORM_PREFIX = "alert"
REFUSALS = {
    "email-invalid": "Enter a valid email address, e.g. name@example.com",
    "alert-unknown-criteria": "This alert can no longer be set up: the page it was on has changed. "
    "Go back, reload the page and try again.",
    "record-clash": "Your alert could not be stored just now. Please send it again.",
}
NOT_FOUND = "This alert link is not valid. Open the latest email about your alert, or set it up again."
#: The headers of every page opened by an alert's private link.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


# The privacy notice says how long an unconfirmed or unsubscribed alert is kept.
bp.add_app_template_global(ALERT_KEEP_DAYS, "alert_keep_days")


def _address_limits() -> str:
    return current_app.config["ALERT_LIMITS_PER_ADDRESS"]


def _email_limits() -> str:
    return current_app.config["ALERT_LIMITS_PER_EMAIL"]


class AlertForm(CatalogForm):
    """An address and what it follows (hidden: the kind and its criteria as the page knows them)."""

    email = EmailField(
        "Your email",
        description="We email you once to confirm; then at most once a day, only when something is new.",
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    kind = HiddenField()
    criteria = HiddenField()


@bp.app_template_global()
def alert_form_for(kind: str, target: SearchParams | Topic | Course) -> AlertForm:
    """A fresh alert form for a search (its params), a topic or a course, for pages embedding it."""
    if isinstance(target, SearchParams):
        criteria = urlencode(service.search_criteria(MultiDict(target.to_args()))["args"], doseq=True)
    else:
        criteria = target.slug
    return AlertForm(formdata=None, prefix=FORM_PREFIX, kind=kind, criteria=criteria)


def _request_of(form: AlertForm) -> service.AlertRequest | None:
    """The subscribe the form asks for, or None when its hidden part is not one we made."""
    raw = form.criteria.data or ""
    if len(raw) > CRITERIA_MAX:
        return None
    email = form.email.data or ""
    if form.kind.data == AlertKind.SEARCH:
        criteria = service.search_criteria(MultiDict(parse_qsl(raw)))
        return service.AlertRequest(email, AlertKind.SEARCH, criteria)
    if form.kind.data == AlertKind.TOPIC:
        return service.AlertRequest(email, AlertKind.TOPIC, {"topic": raw})
    if form.kind.data == AlertKind.COURSE:
        course = published_course(db.session, raw)
        return (
            None if course is None else service.AlertRequest(email, AlertKind.COURSE, {"course": course.id})
        )
    return None


@bp.post("/alerts")
@limiter.limit(_address_limits, methods=["POST"])
def alert_subscribe():
    """Ask for an alert: queue its confirmation email, then say to check the inbox."""
    form = AlertForm(prefix=FORM_PREFIX)
    alert_request = _request_of(form) if form.validate_on_submit() else None
    if alert_request is None and not form.errors and not form.form_errors:
        show_refusal(form, None, REFUSALS["alert-unknown-criteria"])
    if alert_request is not None:
        email = normalise_email(alert_request.email)
        # Counted per address asked for, so nobody floods a stranger's inbox with confirmations.
        wait = take_from_limits(_email_limits(), "alert-email", email) if "@" in email else None
        if wait is not None:
            raise TooManyRequests(retry_after=wait)
        try:
            service.subscribe(db.session, alert_request)
        except DomainError as refusal:
            show_refusal(form, refusal.field, REFUSALS[refusal.code])
        else:
            return redirect(url_for("public.alert_sent"), 303)
    back = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else None
    return render_template("public/alerts/subscribe.html", form=form, back=back), 400


@bp.get("/alerts/sent")
def alert_sent():
    """The same answer for every subscribe: the confirmation is in the inbox (if the address is new)."""
    return render_template("public/alerts/sent.html")


def _private(page: str, status: int = 200):
    return page, status, PRIVATE_HEADERS


def _alert_or_404(token: str, purpose: str):
    alert = service.alert_for_token(db.session, token, purpose)
    if alert is None:
        abort(404, description=NOT_FOUND)
    return alert


@bp.get("/alerts/confirm/<token>")
def alert_confirm(token: str):
    """The confirmation link: starts the alert (opening it twice changes nothing)."""
    alert = _alert_or_404(token, service.CONFIRM)
    started = service.confirm(db.session, alert)
    return _private(
        render_template(
            "public/alerts/confirmed.html",
            alert=alert,
            started=started,
            following=service.describe(db.session, alert),
            manage_token=service.link_token(alert, service.MANAGE),
        )
    )


@bp.get("/alerts/unsubscribe/<token>")
def alert_unsubscribe(token: str):
    """The unsubscribe link opened in a browser: one button (a GET changes nothing, so mail
    scanners that open links do not unsubscribe anyone)."""
    alert = _alert_or_404(token, service.UNSUBSCRIBE)
    return _private(_unsubscribe_page(alert, token, done=False))


@bp.post("/alerts/unsubscribe/<token>")
# RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the link of
# the List-Unsubscribe header, and they cannot carry a CSRF token. Exempting this one route is
# safe: the token in the address is the secret, so a forged POST without it unsubscribes nobody.
@csrf.exempt
def alert_unsubscribe_post(token: str):
    """Stop the alert (the button of the pages, and mail clients' one-click POST); idempotent."""
    alert = _alert_or_404(token, service.UNSUBSCRIBE)
    service.unsubscribe(db.session, alert)
    return _private(_unsubscribe_page(alert, token, done=True))


def _unsubscribe_page(alert, token: str, done: bool) -> str:
    return render_template(
        "public/alerts/unsubscribe.html",
        alert=alert,
        token=token,
        done=done,
        following=service.describe(db.session, alert),
        manage_token=service.link_token(alert, service.MANAGE),
    )


@bp.get("/alerts/<token>")
def alert_list(token: str):
    """The private page of an address: every alert it has, each with its unsubscribe button."""
    alert = _alert_or_404(token, service.MANAGE)
    alerts = service.alerts_of_address(db.session, alert.email)
    rows = [
        (other, service.describe(db.session, other), service.link_token(other, service.UNSUBSCRIBE))
        for other in alerts
    ]
    return _private(render_template("public/alerts/list.html", email=alert.email, rows=rows))
