"""The enquiry form a learner fills on a course page, and the form that withdraws an enquiry.

The enquiry form parses what was typed, each value once, into the service's
:class:`EnquiryDetails` (``to_command``) and reports what cannot be read; the rules about the
enquiry itself (consent, closed courses, batches) are the service's. Besides the fields a
learner sees, it carries three guards against spam and double sending: a honeypot field hidden
from people, a random submission key, and a stamp that signs that key with the time the form
was rendered.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Length, ValidationError

from catalog.enquiries.messages import REFUSALS
from catalog.forms.base import CatalogForm
from catalog.forms.fields import STAMP_RENEWED, sign_form_stamp, spam_problem
from catalog.models import Batch, ContactMethod, Course
from catalog.models.contacts import parse_email, parse_phone
from catalog.models.labels import choices, label
from catalog.services.enquiries import EnquiryDetails, consent_text, new_submission_key, open_batches
from catalog.templating import format_date

STAMP_SALT = "enquiry-form"
NAME_MAX = 120
MESSAGE_MAX = 2000

PHONE_INVALID = "Enter a valid phone number, e.g. 98765 43210 or +91 98765 43210"
MESSAGE_TOO_LONG = f"Keep your message to {MESSAGE_MAX:,} characters or fewer"
NO_OPEN_BATCH = "No batch is open just now; the institute can tell you when the next one starts."
CONSENT_UNLOADED = (
    "I agree that the institute teaching this course may contact me about it. "
    "My details go to that institute alone and to no one else."
)
BATCH_UNLOADED = "The batch you chose"


def has_letter(text: str) -> bool:
    """True when ``text`` holds a letter or combining mark of any script (Telugu, Hindi, Latin ...)."""
    return any(unicodedata.category(char)[0] in "LM" for char in text)


def batch_label(batch: Batch) -> str:
    """A batch as a learner chooses it: when it starts, on which schedule, where, seats left."""
    place = batch.campus.area.name if batch.campus else ("Online" if batch.is_online else "")
    parts = [f"Starts {format_date(batch.start_date)}", label(batch.schedule)]
    if place:
        parts.append(place)
    parts.append(f"{batch.seats_left} {'seat' if batch.seats_left == 1 else 'seats'} left")
    return " · ".join(parts)


class LearnerForm(CatalogForm):
    """What every enquiry form asks of the learner, with its spam guards: the fields, their
    validators and the honeypot and stamp checks, shared by :class:`EnquiryForm` and the
    shortlist's form (which drops ``batch`` and ``consent``: it asks consent per institute)."""

    name = StringField("Your name", render_kw={"autocomplete": "name"})
    email = EmailField("Email", render_kw={"autocomplete": "email", "spellcheck": "false"})
    phone = TelField(
        "Phone",
        description="Needed if you would like a call or a WhatsApp message. Indian numbers need no +91.",
        render_kw={"autocomplete": "tel"},
    )
    batch = SelectField("Preferred batch", validate_choice=False)
    preferred_contact = RadioField(
        "How should the institute contact you?",
        choices=[SelectChoice(value, text) for value, text in choices(ContactMethod)],
        default=ContactMethod.EMAIL.value,
        invalid_choice_message="Choose email, phone call or WhatsApp",
    )
    message = TextAreaField(
        "Message (optional)",
        description=f"Up to {MESSAGE_MAX:,} characters: what you would like to know.",
        validators=[Length(max=MESSAGE_MAX, message=MESSAGE_TOO_LONG)],
        render_kw={"rows": 5, "maxlength": MESSAGE_MAX},
    )
    consent = BooleanField()
    website = StringField("Leave this empty", render_kw={"tabindex": "-1", "autocomplete": "off"})
    submission_key = HiddenField()
    form_stamp = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each value as parsed by its validator, for ``to_command``.
        self._email = ""
        self._phone = ""
        self._batch_id: int | None = None

    def issue_new_stamp(self) -> None:
        """Give the form a fresh submission key and a stamp signed now."""
        self.submission_key.data = new_submission_key()
        self.form_stamp.data = sign_form_stamp(self.submission_key.data, STAMP_SALT)

    def validate_name(self, field: StringField) -> None:
        value = (field.data or "").strip()
        if not value:
            raise ValidationError("Enter your name")
        if len(value) > NAME_MAX:
            raise ValidationError(f"Keep your name to {NAME_MAX} characters or fewer")
        if not has_letter(value):
            raise ValidationError("Enter your name in letters, in any script")

    def validate_email(self, field: EmailField) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Enter your email address")
        parsed = parse_email(field.data)
        if parsed is None:
            raise ValidationError("Enter a valid email address, e.g. name@example.com")
        self._email = parsed

    def validate_phone(self, field: TelField) -> None:
        if not (field.data or "").strip():
            self._phone = ""
            return
        parsed = parse_phone(field.data)
        if parsed is None:
            raise ValidationError(PHONE_INVALID)
        self._phone = parsed

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then the honeypot and the stamp (which refuse the whole form)."""
        valid = super().validate(extra_validators)
        problem = self._spam_problem()
        if problem:
            self.form_errors.append(problem)
            return False
        return valid

    def _spam_problem(self) -> str | None:
        problem = spam_problem(self.website.data, self.form_stamp.data, self.submission_key.data, STAMP_SALT)
        if problem in STAMP_RENEWED:
            self.issue_new_stamp()
        return problem

    def to_command(self) -> EnquiryDetails:
        """The entries as parsed for the enquiry service.

        After a failed ``validate`` a value that did not parse is left empty (an invalid contact
        choice reads as email), so the service can still report the rules the rest break.
        """
        try:
            contact = ContactMethod(self.preferred_contact.data)
        except ValueError:
            contact = ContactMethod.EMAIL
        return EnquiryDetails(
            name=(self.name.data or "").strip(),
            email=self._email,
            phone=self._phone,
            preferred_contact=contact,
            message=(self.message.data or "").strip(),
            batch_id=self._batch_id,
            consent=self.consent is not None and bool(self.consent.data),
        )


class EnquiryForm(LearnerForm):
    """A learner's enquiry about one course, addressed to that course's institute alone."""

    def __init__(self, course: Course | None, today: date, *args, **kwargs) -> None:
        """The form for ``course``; with ``course=None``, the form as the learner sent it.

        The second is for when the course cannot be loaded (the database is unavailable): it
        keeps everything typed, the chosen batch and the submission key, so sending it again
        later stores the enquiry once, and it reads nothing from the database.
        """
        super().__init__(*args, **kwargs)
        self.course = course
        self.today = today
        self.batch.choices = [SelectChoice("", "No preference")]
        if course is None:
            self.consent.label.text = CONSENT_UNLOADED
            if self.batch.data:
                self.batch.choices.append(SelectChoice(self.batch.data, BATCH_UNLOADED))
        else:
            self.consent.label.text = consent_text(course.institute)
            self.batch.choices += [
                SelectChoice(str(batch.id), batch_label(batch)) for batch in open_batches(course, today)
            ]
            if len(self.batch.choices) == 1:
                self.batch.description = NO_OPEN_BATCH
        if not self.is_submitted():
            self.issue_new_stamp()

    def validate_batch(self, field: SelectField) -> None:
        if not field.data:
            self._batch_id = None
            return
        if not field.data.isdigit():
            raise ValidationError(REFUSALS["batch-unknown"])
        self._batch_id = int(field.data)


class WithdrawForm(CatalogForm):
    """The learner's request to delete their enquiry; the tracking token proves it is theirs."""

    token = HiddenField()
