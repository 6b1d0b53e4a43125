"""The two shapes of an admin action's POST, written once.

A *click* (approve, suspend's undo, deactivate, delete …) is a form of nothing but its CSRF
token: what happened is flashed and the admin goes back to the record's page. A *form action*
(rename, merge, suspend with a reason, change of role …) has fields: an invalid form or a
service's refusal shows the page again, 400, with the message beside the field concerned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from catalog.admin.forms import ClickForm
from catalog.forms.fields import show_refusal
from catalog.services.errors import DomainError

FORM_UNREAD = "The form could not be read, so nothing changed; reload the page and try again."
#: What a refusal the page has no words for says.
UNWORDED = "The change could not be made."

#: Words for a service's refusals, by code: each takes the refusal's params.
Messages = Mapping[str, Callable[[dict], str]]


def refusal_text(messages: Messages, refusal: DomainError) -> str:
    """What ``refusal`` says to the admin, in the page's ``messages``."""
    wording = messages.get(refusal.code)
    return wording(refusal.params) if wording is not None else UNWORDED


def click_action(
    change: Callable[[], str], messages: Messages, back: str, done: str | None = None
) -> Response:
    """Run a one-click action after its CSRF check: flash the message ``change`` returns and go
    to ``done`` (else ``back``); an unread form or a refusal is flashed and goes ``back``."""
    if not ClickForm().validate_on_submit():
        flash(FORM_UNREAD, "error")
        return redirect(back)
    try:
        message = change()
    except DomainError as refusal:
        flash(refusal_text(messages, refusal), "error")
        return redirect(back)
    flash(message, "success")
    return redirect(done or back)


def form_action(
    form: FlaskForm,
    write: Callable[[], tuple[str, str]],
    messages: Messages,
    again: Callable[[FlaskForm], ResponseReturnValue],
) -> ResponseReturnValue:
    """Validate ``form`` and make its change: ``write`` returns the message to flash and the
    address to go to. An invalid form, or a refusal shown beside its field, is ``again(form)``."""
    if not form.validate_on_submit():
        return again(form)
    try:
        message, url = write()
    except DomainError as refusal:
        show_refusal(form, refusal.field, refusal_text(messages, refusal))
        return again(form)
    flash(message, "success")
    return redirect(url)
