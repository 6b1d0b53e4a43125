"""Account forms: sign in, password change and reset, institute sign-up, and the words for
the account service's refusals.

The password rules live in ``services.accounts.password_problem`` (the services and the CLI
apply the same ones); these forms show its refusal beside the field together with their own
errors, and the account pages put every other refusal of the service beside its field.
None of them says whether an email has an account: a sign-up with a taken one is not refused.
"""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField, TelField, TextAreaField, URLField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from catalog.extensions import db
from catalog.forms.base import CatalogForm
from catalog.forms.fields import WebAddress, show_refusal, strip_text
from catalog.models.contacts import parse_email, parse_phone
from catalog.queries.vocabulary import areas_by_name
from catalog.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem
from catalog.services.errors import DomainError
from catalog.services.registrations import Registration

EMAIL_HINT = "Enter an email address like name@example.in."
WEBSITE_HINT = "Enter a web address that starts with http:// or https://, like https://example.in."

#: What people read for each refusal of the account service (the CLI words a few its own way).
ACCOUNT_MESSAGES = {
    "password-too-short": "Use at least {min} characters.",
    "password-too-long": "Use at most {max} characters.",
    "password-is-email": "Choose a password that is not your email address.",
    "current-password-wrong": "Your current password is not correct.",
    "email-invalid": EMAIL_HINT,
    "area-unknown": "Choose the area of your campus.",
    "registration-not-saved": "The registration could not be saved; please try again.",
}


def account_message(error: DomainError) -> str:
    """The sentence for a refusal of the account service."""
    return ACCOUNT_MESSAGES[error.code].format(**error.params)


def show_account_refusal(form: CatalogForm, error: DomainError, fields: dict[str, str]) -> None:
    """Put the refusal's message beside the form field that ``fields`` names for the service's
    field, or at the top of the form when it concerns the whole change."""
    show_refusal(form, error.field, account_message(error), fields)


class EmailAddress:
    """The field holds a syntactically valid email address (no DNS look-up); it is rewritten in
    its stored form."""

    def __init__(self, message: str = EMAIL_HINT):
        self.message = message

    def __call__(self, form, field) -> None:
        address = parse_email(field.data)
        if address is None:
            raise ValidationError(self.message)
        field.data = address


class IndianPhone:
    """The field holds a valid phone number (India by default); it is rewritten in E.164."""

    message = "Enter a valid phone number, like +91 98765 43210 or 040 2345 6789."

    def __call__(self, form, field) -> None:
        number = parse_phone(field.data)
        if number is None:
            raise ValidationError(self.message)
        field.data = number


def _max(length: int) -> Length:
    return Length(max=length, message=f"Use at most {length} characters.")


def _new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(
        label,
        validators=[InputRequired("Enter a new password.")],
        description=f"At least {MIN_PASSWORD_LENGTH} characters; a few unrelated words are easy to remember.",
        render_kw={"autocomplete": "new-password", "maxlength": MAX_PASSWORD_LENGTH},
    )


def _confirm_field(label: str = "New password again") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired("Enter the new password a second time."),
            EqualTo("new_password", message="The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": MAX_PASSWORD_LENGTH},
    )


class NewPasswordForm(CatalogForm):
    """A new password and its confirmation, checked against the account's email address."""

    #: The form field of each field the account service names in a refusal.
    FIELDS = {"password": "new_password"}

    new_password = _new_password_field()
    confirm = _confirm_field()

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def _email_for_check(self) -> str:
        return self.account_email

    def validate_new_password(self, field) -> None:
        problem = password_problem(field.data or "", self._email_for_check())
        if problem:
            raise ValidationError(account_message(problem))


class LoginForm(CatalogForm):
    """Email and password of a staff member or admin."""

    email = EmailField(
        "Email",
        filters=[strip_text],
        validators=[InputRequired("Enter your email address."), _max(254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), _max(MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(NewPasswordForm):
    """The current password, then a new one twice."""

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), _max(MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password_field()
    confirm = _confirm_field()


class ForgotPasswordForm(CatalogForm):
    """The email address of the account whose password is forgotten."""

    email = EmailField(
        "Email",
        filters=[strip_text],
        validators=[InputRequired("Enter your email address."), _max(254), EmailAddress()],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )


class ResetPasswordForm(NewPasswordForm):
    """A new password chosen through a reset link."""


class RegistrationForm(NewPasswordForm):
    """An institute's sign-up: the institute, its first campus and its first staff account."""

    institute_name = StringField(
        "Institute name",
        filters=[strip_text],
        validators=[InputRequired("Enter the institute's name."), _max(160)],
        render_kw={"autocomplete": "organization"},
    )
    website = URLField(
        "Website",
        filters=[strip_text],
        validators=[InputRequired("Enter the institute's website."), _max(300), WebAddress(WEBSITE_HINT)],
        render_kw={"placeholder": "https://", "autocomplete": "url", "spellcheck": "false"},
    )
    contact_email = EmailField(
        "Contact email",
        filters=[strip_text],
        validators=[InputRequired("Enter an email address for enquiries."), _max(254), EmailAddress()],
        description="Learners' enquiries are sent here.",
        render_kw={"spellcheck": "false"},
    )
    phone = TelField(
        "Contact phone",
        filters=[strip_text],
        validators=[InputRequired("Enter a phone number for enquiries."), _max(40), IndianPhone()],
        render_kw={"autocomplete": "tel"},
    )
    area = SelectField("Area", validators=[InputRequired("Choose the area of your campus.")])
    address = TextAreaField(
        "Campus address",
        validators=[InputRequired("Enter the campus address."), _max(300)],
        render_kw={"rows": 3, "autocomplete": "street-address"},
    )
    description = TextAreaField(
        "About the institute",
        validators=[InputRequired("Describe the institute in a few sentences."), _max(5000)],
        description="What you teach and to whom; shown on your institute page once approved.",
        render_kw={"rows": 5},
    )
    name = StringField(
        "Your name",
        filters=[strip_text],
        validators=[InputRequired("Enter your name."), _max(160)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "Your email",
        filters=[strip_text],
        validators=[InputRequired("Enter your email address."), _max(254), EmailAddress()],
        description="You sign in with this address.",
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    new_password = _new_password_field("Password")
    confirm = _confirm_field("Password again")

    #: The form field of each field of the service's ``Registration``.
    FIELDS = {"staff_email": "email", "password": "new_password", "area_slug": "area"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = areas_by_name(db.session, online_last=True)
        self.area.choices = [("", "Choose an area"), *((a.slug, a.name) for a in areas)]

    def _email_for_check(self) -> str:
        return self.email.data or ""

    def to_command(self) -> Registration:
        """The sign-up as the account service takes it (call after ``validate``)."""
        return Registration(
            institute_name=self.institute_name.data,
            website=self.website.data,
            contact_email=self.contact_email.data,
            phone=self.phone.data,
            area_slug=self.area.data,
            address=self.address.data,
            description=self.description.data,
            staff_name=self.name.data,
            staff_email=self.email.data,
            password=self.new_password.data,
        )
