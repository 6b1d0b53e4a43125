"""Forms of the enquiry inbox: the list's GET filter, and an enquiry's status change with a note."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from catalog.models import Course, EnquiryStatus, InvalidReason
from catalog.services.inbox import (
    REASON_LABELS,
    STATUS_LABELS,
    InboxFilters,
    allowed_targets,
    refusal,
)

NOTE_MAX = 2000
#: Received dates outside these are typing mistakes (and beyond what datetimes can hold).
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def _status(value: str | None) -> EnquiryStatus | None:
    try:
        return EnquiryStatus(value) if value else None
    except ValueError:
        return None


def _reason(value: str | None) -> InvalidReason | None:
    try:
        return InvalidReason(value) if value else None
    except ValueError:
        return None


def _check_day(day: date | None) -> None:
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(f"Enter a date between {EARLIEST_DAY.year} and {LATEST_DAY.year}.")


class InboxFilterForm(FlaskForm):
    """Narrow the inbox (and its CSV export) by status, course and the day it was received.

    Read from the query string, so a filtered list can be bookmarked; it changes nothing, so it
    carries no CSRF token.
    """

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            *(SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()),
        ],
        validators=[Optional()],
    )
    course = SelectField("Course", validators=[Optional()])
    received_from = DateField("Received from", validators=[Optional()])
    received_to = DateField("Received to", validators=[Optional()])

    def __init__(self, formdata: Any, courses: Iterable[Course], **kwargs):
        super().__init__(formdata, **kwargs)
        self.course.choices = [
            SelectChoice("", "Any course"),
            *(SelectChoice(str(c.id), c.title) for c in courses),
        ]

    def validate_received_from(self, field: DateField) -> None:
        _check_day(field.data)

    def validate_received_to(self, field: DateField) -> None:
        _check_day(field.data)
        start = self.received_from.data
        if field.data and start and field.data < start:
            raise ValidationError("The end date must be on or after the start date.")

    def filters(self) -> InboxFilters:
        """The filters from every field that holds a valid value (call after ``validate``)."""

        def ok(field) -> bool:
            return not field.errors and bool(field.data)

        return InboxFilters(
            status=_status(self.status.data) if ok(self.status) else None,
            course_id=int(self.course.data) if ok(self.course) else None,
            received_from=self.received_from.data if ok(self.received_from) else None,
            received_to=self.received_to.data if ok(self.received_to) else None,
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string arguments (for page and export links)."""
        filters = self.filters()
        args = {
            "status": filters.status.value if filters.status else None,
            "course": str(filters.course_id) if filters.course_id else None,
            "received_from": filters.received_from.isoformat() if filters.received_from else None,
            "received_to": filters.received_to.isoformat() if filters.received_to else None,
        }
        return {name: value for name, value in args.items() if value}


class EnquiryStatusForm(FlaskForm):
    """Move an enquiry on in the workflow, or keep its status and add a note.

    Only the moves the workflow allows from the enquiry's current status are offered.
    """

    status = RadioField("Status", validate_choice=False)
    reason = RadioField(
        "Reason it is invalid",
        choices=[SelectChoice(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[Optional()],
        validate_choice=False,
        description="Required when you mark the enquiry invalid.",
    )
    note = TextAreaField(
        "Note",
        validators=[Optional(), Length(max=NOTE_MAX, message=f"Keep the note under {NOTE_MAX} characters.")],
        description="For your institute only; the learner never sees it.",
        render_kw={"rows": 3},
    )
    #: The status the page showed, so a change made meanwhile by someone else is noticed.
    seen_status = HiddenField()
    submit = SubmitField("Save")

    def __init__(self, current: EnquiryStatus, **kwargs):
        super().__init__(**kwargs)
        self.current = current
        keep = SelectChoice(current.value, f"Keep as {STATUS_LABELS[current].lower()} (save the note only)")
        self.status.choices = [
            keep,
            *(SelectChoice(s.value, STATUS_LABELS[s]) for s in allowed_targets(current)),
        ]
        if not self.is_submitted():
            self.status.data = current.value
            self.seen_status.data = current.value

    def validate_status(self, field: RadioField) -> None:
        target = _status(field.data)
        if target is None:
            raise ValidationError("Choose a status from the list.")
        message = refusal(self.current, target)
        if message:
            raise ValidationError(message)

    def validate_reason(self, field: RadioField) -> None:
        if field.data and _reason(field.data) is None:
            raise ValidationError("Choose wrong number, spam or duplicate.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        target = self.target
        if (
            valid
            and target == EnquiryStatus.INVALID
            and target != self.current
            and self.invalid_reason is None
        ):
            self.reason.errors.append("Choose why this enquiry is invalid: wrong number, spam or duplicate.")
            valid = False
        if valid and target == self.current and not (self.note.data or "").strip():
            self.note.errors.append("Write a note, or choose a new status.")
            valid = False
        return valid

    @property
    def target(self) -> EnquiryStatus | None:
        return _status(self.status.data)

    @property
    def invalid_reason(self) -> InvalidReason | None:
        return _reason(self.reason.data)

    @property
    def seen(self) -> EnquiryStatus | None:
        return _status(self.seen_status.data)
