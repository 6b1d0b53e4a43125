"""The form a learner fills to report a problem with a course or institute listing.

It parses what was typed into the service's :class:`ReportDetails` (``to_command``); the rules
about the report (a reason "other" needs words, the length of the details) are the service's.
Like the enquiry form it carries a honeypot field hidden from people and a stamp signing a
random key with the time the form was rendered (:func:`catalog.forms.fields.spam_problem`).
"""

from __future__ import annotations

from wtforms import EmailField, HiddenField, RadioField, StringField, TextAreaField

from catalog.forms.base import CatalogForm
from catalog.forms.fields import STAMP_RENEWED, enum_choices, sign_form_stamp, spam_problem
from catalog.models import REPORT_DETAILS_MAX, ReportReason
from catalog.services.enquiries import new_submission_key
from catalog.services.reports import ReportDetails

STAMP_SALT = "listing-report-form"


class ReportForm(CatalogForm):
    """A learner's report that a listing is wrong: why, in their words, and optionally an email."""

    reason = RadioField(
        "What is wrong with this listing",
        choices=enum_choices(ReportReason),
        invalid_choice_message="Choose what is wrong with this listing",
    )
    details = TextAreaField(
        "What did you find? (needed for “Something else”)",
        description=f"Up to {REPORT_DETAILS_MAX:,} characters. Please leave out personal details.",
        render_kw={"rows": 5, "maxlength": REPORT_DETAILS_MAX},
    )
    email = EmailField(
        "Your email (optional)",
        description="Only if we may ask you about this report. It is never shown to the institute.",
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    website = StringField("Leave this empty", render_kw={"tabindex": "-1", "autocomplete": "off"})
    submission_key = HiddenField()
    form_stamp = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.issue_new_stamp()

    def issue_new_stamp(self) -> None:
        """Give the form a fresh key and a stamp signed now."""
        self.submission_key.data = new_submission_key()
        self.form_stamp.data = sign_form_stamp(self.submission_key.data, STAMP_SALT)

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then the honeypot and the stamp (which refuse the whole form)."""
        valid = super().validate(extra_validators)
        problem = spam_problem(self.website.data, self.form_stamp.data, self.submission_key.data, STAMP_SALT)
        if problem in STAMP_RENEWED:
            self.issue_new_stamp()
        if problem:
            self.form_errors.append(problem)
            return False
        return valid

    def to_command(self) -> ReportDetails:
        """The entries as the report service takes them (an unreadable reason reads as "other")."""
        try:
            reason = ReportReason(self.reason.data)
        except ValueError:
            reason = ReportReason.OTHER
        details = self.details.data or ""
        return ReportDetails(reason=reason, details=details, email=(self.email.data or "").strip())
