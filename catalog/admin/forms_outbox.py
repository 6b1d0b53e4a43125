"""Forms of the admin outbox: the list's status filter, and the click that queues a message again."""

from __future__ import annotations

from wtforms import SubmitField

from catalog.admin.forms import StatusFilterForm
from catalog.forms.base import CatalogForm
from catalog.models import OutboxStatus


class OutboxFilterForm(StatusFilterForm):
    """Narrow the outbox to one status of its messages."""

    status_type = OutboxStatus


class ResendForm(CatalogForm):
    """Queue a sent or failed message again: nothing but the admin's click and the CSRF token."""

    submit = SubmitField("Resend")
