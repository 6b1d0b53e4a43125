"""Forms for an institute's records: profile, campus, instructor, batch and event.

One form class per record, shared by the institute portal and the admin area. Choices that
depend on the database (areas, an institute's campuses) are filled by ``load_choices``. The
course and event forms live in :mod:`catalog.forms.courses` and :mod:`catalog.forms.events`
and are re-exported here, so every record form is imported from this module.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from catalog.forms.base import CatalogForm
from catalog.forms.courses import CourseForm, ModuleForm, course_form_data
from catalog.forms.events import EventForm
from catalog.forms.fields import WebAddress, area_choices, as_choices, enum_choices, optional_int, strip_text
from catalog.models import Mode, Schedule
from catalog.models.contacts import format_phone, parse_phone
from catalog.queries.portal import campuses_of
from catalog.services.batches import BatchChanges
from catalog.services.campuses import CampusChanges
from catalog.services.institutes import InstituteChanges, distinct_names
from catalog.services.instructors import InstructorChanges
from catalog.timeutil import local_today

__all__ = [
    "ActionForm",
    "BatchForm",
    "CampusForm",
    "CourseForm",
    "EventForm",
    "InstituteForm",
    "InstructorForm",
    "ModuleForm",
    "course_form_data",
]

MAX_PARTNERS = 40


class ActionForm(CatalogForm):
    """A form with nothing but its CSRF token, behind buttons such as Delete, Archive and Close."""


class InstituteForm(CatalogForm):
    """The public profile of an institute. Slug, status and the verified mark are set by admins."""

    name = StringField(
        "Institute name",
        filters=[strip_text],
        validators=[DataRequired("Enter the institute's name."), Length(max=160)],
    )
    description = TextAreaField(
        "About the institute",
        filters=[strip_text],
        validators=[Optional(), Length(max=5000, message="Keep the description to 5000 characters.")],
        render_kw={"rows": 6},
    )
    website = URLField(
        "Website",
        filters=[strip_text],
        validators=[Optional(), Length(max=300), WebAddress()],
        render_kw={"placeholder": "https://"},
    )
    email = EmailField(
        "Contact email",
        filters=[strip_text],
        validators=[Optional(), Length(max=254), Email("Enter an email address like name@example.in.")],
    )
    phone = TelField(
        "Contact phone",
        filters=[strip_text],
        validators=[Optional(), Length(max=40)],
        description="With the area code, e.g. 040 2373 4418 or +91 98765 43210.",
    )
    founded_year = IntegerField("Founded in", validators=[Optional()])
    partners = TextAreaField(
        "Industry partners",
        validators=[Optional()],
        description="One partner per line.",
        render_kw={"rows": 5},
    )

    @staticmethod
    def data_of(institute) -> dict:
        """Form data for an institute: the stored E.164 phone as people read it, partners one per line."""
        fields = ("name", "description", "website", "email", "founded_year")
        data = {name: getattr(institute, name) for name in fields}
        data["phone"] = format_phone(institute.phone)
        data["partners"] = "\n".join(partner.name for partner in institute.partners)
        return data

    def validate_phone(self, field) -> None:
        if field.data and parse_phone(field.data) is None:
            raise ValidationError("Enter a phone number with its area code, e.g. 040 2373 4418.")

    def validate_founded_year(self, field) -> None:
        if field.data is not None and not 1900 <= field.data <= local_today().year:
            raise ValidationError(f"Enter a year between 1900 and {local_today().year}.")

    def validate_partners(self, field) -> None:
        names = self.partner_names()
        if any(len(name) > 160 for name in names):
            raise ValidationError("Keep each partner's name to 160 characters.")
        if len(names) > MAX_PARTNERS:
            raise ValidationError(f"List at most {MAX_PARTNERS} partners.")

    def partner_names(self) -> list[str]:
        """The partners entered, one per line, without blanks or repeats (ignoring case)."""
        return distinct_names((self.partners.data or "").splitlines())

    def to_command(self) -> InstituteChanges:
        """The validated entries as profile changes (the phone in E.164)."""
        return InstituteChanges(
            name=self.name.data,
            description=self.description.data or "",
            website=self.website.data or None,
            email=self.email.data or None,
            phone=parse_phone(self.phone.data) if self.phone.data else None,
            founded_year=self.founded_year.data,
            partners=tuple(self.partner_names()),
        )


class CampusForm(CatalogForm):
    """A place where an institute teaches: an area of Hyderabad and a street address."""

    area = SelectField("Area", coerce=optional_int, validators=[InputRequired("Choose the area.")])
    address = StringField(
        "Address",
        filters=[strip_text],
        validators=[DataRequired("Enter the campus address."), Length(max=300)],
    )

    def load_choices(self, session: Session) -> None:
        """Fill the area list (a campus cannot be "Online")."""
        self.area.choices = area_choices(session, include_online=False, placeholder="Choose an area…")

    def to_command(self) -> CampusChanges:
        """The validated entries as campus changes."""
        return CampusChanges(area=self.area.data, address=self.address.data)


class InstructorForm(CatalogForm):
    """A teacher; learners see their experience, since good instructors are scarce."""

    name = StringField(
        "Name",
        filters=[strip_text],
        validators=[DataRequired("Enter the instructor's name."), Length(max=160)],
    )
    bio = TextAreaField(
        "Short biography",
        filters=[strip_text],
        validators=[Optional(), Length(max=2000, message="Keep the biography to 2000 characters.")],
        render_kw={"rows": 5},
    )
    years_experience = IntegerField(
        "Years of experience",
        validators=[
            InputRequired("Enter the years of experience (0 to 60)."),
            NumberRange(0, 60, "Enter the years of experience as a number from 0 to 60."),
        ],
    )
    industry_background = StringField(
        "Industry background",
        filters=[strip_text],
        validators=[Optional(), Length(max=200)],
        description="For example: payments platform SRE, healthcare data engineering.",
    )

    def to_command(self) -> InstructorChanges:
        """The validated entries as instructor changes."""
        return InstructorChanges(
            name=self.name.data,
            years_experience=self.years_experience.data,
            bio=self.bio.data or "",
            industry_background=self.industry_background.data or "",
        )


class BatchForm(CatalogForm):
    """An intake of a course. The rules between its fields (a start in the past, a campus for a
    classroom batch, seats left) are the batch service's, shown beside these fields."""

    start_date = DateField("Start date", validators=[InputRequired("Enter the start date.")])
    schedule = SelectField(
        "Schedule",
        choices=enum_choices(Schedule, "Choose a schedule…"),
        validators=[DataRequired("Choose a schedule.")],
    )
    mode = SelectField(
        "Mode", choices=enum_choices(Mode, "Choose a mode…"), validators=[DataRequired("Choose a mode.")]
    )
    campus = SelectField(
        "Campus",
        coerce=optional_int,
        validators=[Optional()],
        description="Needed for classroom and hybrid batches.",
    )
    seats_total = IntegerField(
        "Seats in total",
        validators=[
            InputRequired("Enter the number of seats."),
            NumberRange(1, 10_000, "Enter a number of seats from 1 to 10000."),
        ],
    )
    seats_left = IntegerField(
        "Seats left",
        validators=[Optional(), NumberRange(min=0, message="Seats left cannot be negative.")],
        description="Leave empty when every seat is still free. At 0 the batch shows as full.",
    )

    @staticmethod
    def data_of(batch) -> dict:
        """Form data for an existing batch."""
        return {
            "start_date": batch.start_date,
            "schedule": batch.schedule.value,
            "mode": batch.mode.value,
            "campus": batch.campus_id,
            "seats_total": batch.seats_total,
            "seats_left": batch.seats_left,
        }

    def load_choices(self, session: Session, institute_id: int) -> None:
        """Fill the campus list with the institute's own campuses."""
        self.campus.choices = as_choices(
            [("", "No campus (online)")]
            + [(c.id, f"{c.area.name}: {c.address}") for c in campuses_of(session, institute_id)]
        )

    def to_command(self) -> BatchChanges:
        """The validated entries as batch changes."""
        return BatchChanges(
            start_date=self.start_date.data,
            schedule=Schedule(self.schedule.data),
            mode=Mode(self.mode.data),
            seats_total=self.seats_total.data,
            seats_left=self.seats_left.data,
            campus=self.campus.data,
        )
