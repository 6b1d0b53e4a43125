"""Forms of the admins' institute pages: the list's GET filter, and the POST of each action.

The filter parses the query string into :class:`InstituteFilters`; a value it cannot read is
dropped (and shown beside its field) rather than refused, so a hand-edited URL still lists.
"""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from catalog.forms.base import CatalogForm
from catalog.models import InstituteStatus
from catalog.models.labels import choices
from catalog.queries.institutes import InstituteFilters
from catalog.services.moderation_institutes import REASON_MAX

NAME_MAX = 160
VERIFIED_CHOICES = {"yes": True, "no": False}


class InstituteFilterForm(CatalogForm):
    """Narrow the list by part of the name, status and the verified mark (it changes nothing,
    so it is read from the query string without a CSRF token)."""

    class Meta:
        csrf = False

    name = StringField(
        "Name", validators=[Optional(), Length(max=NAME_MAX, message=f"Use at most {NAME_MAX} characters.")]
    )
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status"), *(SelectChoice(v, t) for v, t in choices(InstituteStatus))],
        validators=[Optional()],
    )
    verified = SelectField(
        "Verified",
        choices=[
            SelectChoice("", "Either"),
            SelectChoice("yes", "Verified"),
            SelectChoice("no", "Not verified"),
        ],
        validators=[Optional()],
    )

    def filters(self) -> InstituteFilters:
        """The filters from every field holding a valid value (call after ``validate``)."""

        def value(field):
            return field.data if field.data and not field.errors else None

        status = value(self.status)
        verified = value(self.verified)
        return InstituteFilters(
            name=(value(self.name) or "").strip(),
            status=InstituteStatus(status) if status else None,
            verified=VERIFIED_CHOICES[verified] if verified else None,
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string arguments (for the page links)."""
        filters = self.filters()
        args = {
            "name": filters.name,
            "status": filters.status.value if filters.status else "",
            "verified": {True: "yes", False: "no", None: ""}[filters.verified],
        }
        return {key: text for key, text in args.items() if text}


class SuspendForm(CatalogForm):
    """Suspend an institute; the reason reaches its staff by email and stays in the audit log."""

    reason = TextAreaField(
        "Reason for the suspension",
        validators=[
            DataRequired(message="Give the reason: it is sent to the institute's staff."),
            Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters."),
        ],
        description="Sent to the institute's staff and kept in the audit log.",
        render_kw={"rows": 3},
    )
    submit = SubmitField("Suspend the institute")
