"""The audit log's filter: who, which kind of record, which record, and between which days.

Read from the query string, so a filtered log (and its CSV export) can be bookmarked; it changes
nothing, so it carries no CSRF token.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from catalog.forms.base import CatalogForm
from catalog.forms.fields import as_choices, strip_text
from catalog.queries.admin import AuditFilters

#: Dates outside these are typing mistakes (and beyond what the database's timestamps hold).
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
#: Record ids beyond this are typing mistakes (and beyond a database integer).
LARGEST_ID = 2**31 - 1


def _check_day(day: date | None) -> None:
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(f"Enter a date between {EARLIEST_DAY.year} and {LATEST_DAY.year}.")


class AuditFilterForm(CatalogForm):
    """Narrow the audit log by who made the change, the record, and the day it was made."""

    class Meta:
        csrf = False

    who = StringField(
        "Who (email)",
        filters=[strip_text],
        validators=[Optional(), Length(max=254, message="An email address is at most 254 characters.")],
    )
    record_type = SelectField("Record type", validators=[Optional()])
    record_id = IntegerField(
        "Record id",
        validators=[
            Optional(),
            NumberRange(min=1, max=LARGEST_ID, message="Enter a record number, such as 42."),
        ],
    )
    changed_from = DateField("Changed from", validators=[Optional()])
    changed_to = DateField("Changed to", validators=[Optional()])

    def __init__(self, formdata: Any, record_types: Iterable[str], **kwargs):
        super().__init__(formdata, **kwargs)
        self.record_type.choices = as_choices([("", "Any type"), *((name, name) for name in record_types)])

    def validate_changed_from(self, field: DateField) -> None:
        _check_day(field.data)

    def validate_changed_to(self, field: DateField) -> None:
        _check_day(field.data)
        start = self.changed_from.data
        if field.data and start and field.data < start:
            raise ValidationError("The end date must be on or after the start date.")

    def filters(self) -> AuditFilters:
        """The filters from every field that holds a valid value (call after ``validate``)."""

        def ok(field) -> bool:
            return not field.errors and field.data not in (None, "")

        return AuditFilters(
            who=self.who.data if ok(self.who) else None,
            record_type=self.record_type.data if ok(self.record_type) else None,
            record_id=self.record_id.data if ok(self.record_id) else None,
            changed_from=self.changed_from.data if ok(self.changed_from) else None,
            changed_to=self.changed_to.data if ok(self.changed_to) else None,
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string arguments (for page and export links)."""
        filters = self.filters()
        args = {
            "who": filters.who,
            "record_type": filters.record_type,
            "record_id": str(filters.record_id) if filters.record_id is not None else None,
            "changed_from": filters.changed_from.isoformat() if filters.changed_from else None,
            "changed_to": filters.changed_to.isoformat() if filters.changed_to else None,
        }
        return {name: value for name, value in args.items() if value}
