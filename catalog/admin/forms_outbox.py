"""Forms of the admin outbox: the list's status filter, and the click that queues a message again."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, SubmitField
from wtforms.validators import Optional

from catalog.forms.base import CatalogForm
from catalog.models import OutboxStatus
from catalog.models.labels import choices


class OutboxFilterForm(CatalogForm):
    """Narrow the outbox to one status (read from the query string, without a CSRF token: it
    changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            *(SelectChoice(value, text) for value, text in choices(OutboxStatus)),
        ],
        validators=[Optional()],
    )

    def chosen_status(self) -> OutboxStatus | None:
        """The valid status chosen, or None for every message (call after ``validate``)."""
        if self.status.errors or not self.status.data:
            return None
        return OutboxStatus(self.status.data)

    def query_args(self) -> dict[str, str]:
        """The valid filter as query-string arguments (for the page links)."""
        status = self.chosen_status()
        return {"status": status.value} if status else {}


class ResendForm(CatalogForm):
    """Queue a sent or failed message again: nothing but the admin's click and the CSRF token."""

    submit = SubmitField("Resend")
