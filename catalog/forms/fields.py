"""Fields, filters and validators the record forms share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from wtforms import SelectChoice, SelectMultipleField
from wtforms.fields.core import Label
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, html_params

from catalog.models.labels import choices
from catalog.queries.vocabulary import areas_by_name
from catalog.timeutil import local_today


def strip_text(value: str | None) -> str | None:
    """Filter: trim surrounding white space, and store browsers' CRLF line breaks as LF."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def optional_int(value) -> int | None:
    """Coerce a select value to an int, with the empty "choose…" option as ``None``."""
    if value in (None, "", "None"):
        return None
    return int(value)


def as_choices(pairs) -> list[SelectChoice]:
    """``(value, label)`` pairs as select or checkbox options."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(enum_cls, placeholder: str | None = None) -> list[SelectChoice]:
    """The members of an enum as options labelled by ``models.labels``, optionally after an empty
    "choose…" option."""
    pairs = choices(enum_cls)
    return as_choices([("", placeholder), *pairs] if placeholder else pairs)


def area_choices(session: Session, include_online: bool, placeholder: str) -> list:
    """Areas as options by name, after an empty one; the "Online" pseudo-area only when asked for."""
    areas = areas_by_name(session)
    return as_choices(
        [("", placeholder)] + [(a.id, a.name) for a in areas if include_online or not a.is_online]
    )


class WebAddress:
    """Accept only absolute http:// or https:// addresses (no javascript:, no bare names)."""

    def __init__(self, message: str = "Enter a web address that starts with https:// or http://."):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(self.message)


class NotInFuture:
    """Refuse a date after today (in Hyderabad)."""

    def __init__(self, message: str = "The date cannot be in the future."):
        self.message = message

    def __call__(self, form, field) -> None:
        if isinstance(field.data, date) and field.data > local_today():
            raise ValidationError(self.message)


class GroupLabel(Label):
    """The visible name of a group of checkboxes: a text that the group points at, not a <label>."""

    def __call__(self, text=None, **kwargs):
        kwargs.pop("for_", None)
        kwargs.setdefault("id", f"{self.field_id}-label")
        span = f"<span {html_params(**kwargs)}>{escape(text or self.text)}</span>"
        return Markup(span)  # nosec B704 # html_params escapes the values, escape() the text


class CheckboxGroup:
    """A ``role="group"`` of checkboxes named by the field's label, one per choice."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        kwargs.pop("aria_invalid", None)  # not allowed on a group; the error text is linked instead
        css = " ".join(filter(None, ["checkbox-group", kwargs.pop("class_", ""), kwargs.pop("class", "")]))
        attrs = html_params(role="group", aria_labelledby=f"{field.id}-label", class_=css, **kwargs)
        options = "".join(f'<div class="choice">{option()} {option.label()}</div>' for option in field)
        group = f"<div {attrs}>{options}</div>"
        return Markup(group)  # nosec B704 # html_params and WTForms widgets escape every value


class CheckboxGroupField(SelectMultipleField):
    """Several choices as checkboxes (works without JavaScript, unlike a multiple select)."""

    widget = CheckboxGroup()
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.label = GroupLabel(self.id, self.label.text)


def show_refusal(form, field: str | None, text: str, fields: Mapping[str, str] | None = None) -> None:
    """Put a service's refusal beside the form field it concerns, or at the top of the form.

    ``field`` is the service's (command's) field name; ``fields`` maps it to the form's where the
    two differ. A field that already shows a message of its own keeps just that one.
    """
    name = (fields or {}).get(field, field) if field else None
    if name is None or name not in form:
        form.form_errors.append(text)
    elif not form[name].errors:
        form[name].errors = [*form[name].errors, text]


#: How long a public form (enquiry, learner report) may stay open before it must be sent again.
STAMP_MAX_AGE = 24 * 60 * 60
HONEYPOT_FILLED = "We could not accept this form. Please leave the field “Leave this empty” empty."
TOO_FAST = "That was quicker than anyone can fill in this form. Please check your details and send it again."
STAMP_EXPIRED = "This form is more than a day old. Please check your details and send it again."
STAMP_INVALID = "We could not check this form. Please check your details and send it again."
#: The problems after which the form needs a fresh stamp before it can be sent again.
STAMP_RENEWED = (STAMP_EXPIRED, STAMP_INVALID)


def _stamp_serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign_form_stamp(submission_key: str, salt: str) -> str:
    """The hidden stamp of a public form: its submission key signed with the time it was rendered
    (``salt`` keeps one kind of form's stamps from passing for another's)."""
    return _stamp_serializer(salt).dumps(submission_key)


def spam_problem(
    honeypot: str | None, stamp: str | None, submission_key: str | None, salt: str
) -> str | None:
    """Why a sent public form looks like a robot's, or None: the honeypot field hidden from people
    was filled, the stamp is missing, forged, for another key or over a day old, or the form came
    back sooner than ``ENQUIRY_MIN_SECONDS`` after it was rendered. A problem in
    :data:`STAMP_RENEWED` calls for a fresh stamp."""
    if honeypot:
        return HONEYPOT_FILLED
    try:
        key, signed_at = _stamp_serializer(salt).loads(
            stamp or "", max_age=STAMP_MAX_AGE, return_timestamp=True
        )
    except SignatureExpired:
        return STAMP_EXPIRED
    except BadData:
        return STAMP_INVALID
    if key != submission_key:
        return STAMP_INVALID
    if (datetime.now(UTC) - signed_at).total_seconds() < current_app.config["ENQUIRY_MIN_SECONDS"]:
        return TOO_FAST
    return None
