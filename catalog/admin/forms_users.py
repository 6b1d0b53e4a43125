"""Forms of the admins' account pages: the list's GET filter, a new account, a role change and
the POST of each one-click action."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from catalog.forms.base import CatalogForm
from catalog.models import Role
from catalog.models.labels import choices
from catalog.queries.accounts import UserFilters

EMAIL_MAX = 254
ACTIVE_CHOICES = {"yes": True, "no": False}


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in choices(Role)]


def _institute_field() -> SelectField:
    return SelectField(
        "Institute", validators=[Optional()], description="Required for institute staff; admins have none."
    )


class _InstituteChoice:
    """A form with an institute to choose for staff accounts."""

    def set_institutes(self, institutes: Iterable[tuple[int, str]]) -> None:
        self.institute.choices = [
            SelectChoice("", "No institute"),
            *(SelectChoice(str(i), name) for i, name in institutes),
        ]

    def chosen_role(self) -> Role:
        return Role(self.role.data)

    def chosen_institute_id(self) -> int | None:
        # Optional() lets a blank choice (" ") past the choices check: blank is no institute.
        chosen = (self.institute.data or "").strip()
        return int(chosen) if chosen else None


class UserFilterForm(CatalogForm):
    """Narrow the list by part of the email, role and whether the account is active (read from
    the query string without a CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    email = StringField(
        "Email",
        validators=[Optional(), Length(max=EMAIL_MAX, message=f"Use at most {EMAIL_MAX} characters.")],
    )
    role = SelectField(
        "Role", choices=[SelectChoice("", "Any role"), *role_choices()], validators=[Optional()]
    )
    active = SelectField(
        "Active",
        choices=[
            SelectChoice("", "Either"),
            SelectChoice("yes", "Active"),
            SelectChoice("no", "Deactivated"),
        ],
        validators=[Optional()],
    )

    def filters(self) -> UserFilters:
        """The filters from every field holding a valid value (call after ``validate``)."""

        def value(field):
            return field.data if field.data and not field.errors else None

        role = value(self.role)
        active = value(self.active)
        return UserFilters(
            email=(value(self.email) or "").strip(),
            role=Role(role) if role else None,
            active=ACTIVE_CHOICES[active] if active else None,
        )

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string arguments (for the page links)."""
        filters = self.filters()
        args = {
            "email": filters.email,
            "role": filters.role.value if filters.role else "",
            "active": {True: "yes", False: "no", None: ""}[filters.active],
        }
        return {key: text for key, text in args.items() if text}


class NewUserForm(_InstituteChoice, CatalogForm):
    """A new account; its owner sets the password through the emailed link."""

    email = EmailField(
        "Email",
        validators=[
            DataRequired(message="Enter the email address of the account."),
            Length(max=EMAIL_MAX, message=f"Use at most {EMAIL_MAX} characters."),
        ],
    )
    role = SelectField("Role", choices=role_choices(), default=Role.INSTITUTE.value)
    institute = _institute_field()
    submit = SubmitField("Create the account")


class RoleForm(_InstituteChoice, CatalogForm):
    """Change an account's role (and, for staff, their institute); its sessions end."""

    role = SelectField("Role", choices=role_choices())
    institute = _institute_field()
    submit = SubmitField("Change the role")
