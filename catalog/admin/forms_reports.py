"""Forms of the admin's learner reports: the list's status filter, and closing one report."""

from __future__ import annotations

from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from catalog.admin.forms import StatusFilterForm
from catalog.forms.base import CatalogForm
from catalog.forms.fields import strip_text
from catalog.models import REPORT_NOTE_MAX, ReportStatus


class ReportFilterForm(StatusFilterForm):
    """Narrow the learner reports to one status."""

    status_type = ReportStatus


class CloseReportForm(CatalogForm):
    """Resolve or dismiss one waiting report, with an optional note for the audit log."""

    note = TextAreaField(
        "Note (optional)",
        filters=[strip_text],
        validators=[Length(max=REPORT_NOTE_MAX, message=f"Keep the note to {REPORT_NOTE_MAX:,} characters")],
        render_kw={"rows": 2, "maxlength": REPORT_NOTE_MAX},
    )
    resolve = SubmitField("Mark resolved")
    dismiss = SubmitField("Dismiss")

    def chosen_status(self) -> ReportStatus | None:
        """Resolved or dismissed, by the button pressed; None when neither was."""
        if self.resolve.data:
            return ReportStatus.RESOLVED
        if self.dismiss.data:
            return ReportStatus.DISMISSED
        return None
