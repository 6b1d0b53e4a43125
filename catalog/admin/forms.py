"""Forms several admin pages share: the status filter at the top of a list, and the form of a
one-click action."""

from __future__ import annotations

import enum
from typing import Any, ClassVar

from wtforms import SelectChoice, SelectField, SubmitField
from wtforms.validators import Optional

from catalog.forms.base import CatalogForm
from catalog.models.labels import choices


class StatusFilterForm(CatalogForm):
    """Narrow a list to one status of :attr:`status_type` (read from the query string, without a
    CSRF token: it changes nothing). A list's own form names the status type it filters by."""

    status_type: ClassVar[type[enum.StrEnum]]

    class Meta:
        csrf = False

    status = SelectField("Status", validators=[Optional()])

    def __init__(self, formdata: Any = None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.status.choices = [
            SelectChoice("", "Any status"),
            *(SelectChoice(value, text) for value, text in choices(self.status_type)),
        ]

    def chosen_status(self) -> Any:
        """The valid status chosen, or None for every record (call after ``validate``)."""
        if self.status.errors or not self.status.data:
            return None
        return self.status_type(self.status.data)

    def query_args(self) -> dict[str, str]:
        """The valid filter as query-string arguments (for the page links)."""
        status = self.chosen_status()
        return {"status": status.value} if status else {}


class ClickForm(CatalogForm):
    """An action that needs nothing but the admin's click (and the CSRF token): approve, verify,
    reinstate, deactivate, reactivate, send a reset, delete a term."""

    submit = SubmitField("Confirm")
