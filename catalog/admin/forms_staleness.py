"""The staleness report's one form: the button that sends a course's institute a reminder."""

from __future__ import annotations

from wtforms import SubmitField

from catalog.forms.base import CatalogForm


class ReminderForm(CatalogForm):
    """ "Send a reminder" about one course: nothing to fill in, the CSRF token guards the click."""

    submit = SubmitField("Send a reminder")
