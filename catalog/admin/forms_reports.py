"""Forms of the admin's learner reports: the list's status filter, and closing one report."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from catalog.forms.base import CatalogForm
from catalog.forms.fields import strip_text
from catalog.models import REPORT_NOTE_MAX, ReportStatus
from catalog.models.labels import choices


class ReportFilterForm(CatalogForm):
    """Narrow the reports to one status (read from the query string, without a CSRF token: it
    changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            *(SelectChoice(value, text) for value, text in choices(ReportStatus)),
        ],
        validators=[Optional()],
    )

    def chosen_status(self) -> ReportStatus | None:
        """The valid status chosen, or None for every report (call after ``validate``)."""
        if self.status.errors or not self.status.data:
            return None
        return ReportStatus(self.status.data)

    def query_args(self) -> dict[str, str]:
        """The valid filter as query-string arguments (for the page links)."""
        status = self.chosen_status()
        return {"status": status.value} if status else {}


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
