"""Forms of the enquiry inbox: the list's GET filter, and an enquiry's status change with a note.

Both parse what was sent into the inbox's plain values (``InboxFilters``, ``StatusChange``);
whether a change is allowed is for the inbox service to say.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from catalog.forms.base import CatalogForm
from catalog.models import Course, EnquiryStatus, InvalidReason
from catalog.models.labels import choices, label
from catalog.queries.enquiries import InboxFilters
from catalog.services.inbox import StatusChange, allowed_targets

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


class InboxFilterForm(CatalogForm):
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
            *(SelectChoice(value, text) for value, text in choices(EnquiryStatus)),
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
            # Optional() lets a blank value (" ") through without the choices check: blank is none.
            data = field.data.strip() if isinstance(field.data, str) else field.data
            return not field.errors and bool(data)

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


class EnquiryStatusForm(CatalogForm):
    """Move an enquiry on in the workflow, or keep its status and add a note.

    Only the moves the workflow allows from the enquiry's current status are offered.
    """

    status = RadioField("Status", validate_choice=False)
    reason = RadioField(
        "Reason it is invalid",
        choices=[SelectChoice(value, text) for value, text in choices(InvalidReason)],
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
        keep = SelectChoice(current.value, f"Keep as {label(current).lower()} (save the note only)")
        self.status.choices = [
            keep,
            *(SelectChoice(s.value, label(s)) for s in allowed_targets(current)),
        ]
        if not self.is_submitted():
            self.status.data = current.value
            self.seen_status.data = current.value

    def validate_status(self, field: RadioField) -> None:
        if _status(field.data) is None:
            raise ValidationError("Choose a status from the list.")

    def validate_reason(self, field: RadioField) -> None:
        if field.data and _reason(field.data) is None:
            raise ValidationError("Choose wrong number, spam or duplicate.")

    def to_command(self) -> StatusChange:
        """The change as parsed for the inbox service (call after ``validate``)."""
        return StatusChange(
            target=_status(self.status.data),
            reason=_reason(self.reason.data),
            note=self.note.data or "",
            seen_status=_status(self.seen_status.data),
        )
