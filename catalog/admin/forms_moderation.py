"""The moderation queue's small forms: approve a listing, send it back with a reason."""

from __future__ import annotations

from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from catalog.forms.base import CatalogForm
from catalog.services.moderation import REASON_MAX


class VersionedForm(CatalogForm):
    """A decision about a listing as it stood when the admin looked at it."""

    version = HiddenField()

    @property
    def seen_version(self) -> int:
        """The version the page showed (0, which no listing has, when the field was tampered with)."""
        value = (self.version.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else 0


class ApproveCourseForm(VersionedForm):
    """Publish a pending listing, as it stood at the version the admin looked at."""

    submit = SubmitField("Approve and publish")


class RejectCourseForm(VersionedForm):
    """Send a pending listing back to its institute; the reason is emailed and shown in its portal."""

    reason = TextAreaField(
        "Reason (sent to the institute)",
        validators=[
            DataRequired("Give the reason, so the institute knows what to change."),
            Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters."),
        ],
    )
    submit = SubmitField("Send back")


class ApproveInstituteForm(CatalogForm):
    """Approve a registered institute, opening the portal to its staff."""

    submit = SubmitField("Approve institute")
