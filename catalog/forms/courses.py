"""The course form: every field of a listing, with its ordered syllabus modules as rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from catalog.forms.base import CatalogForm
from catalog.forms.fields import CheckboxGroupField, NotInFuture, as_choices, enum_choices, strip_text
from catalog.models import LANGUAGES, Course, CourseFormat, Level, Mode
from catalog.queries.portal import campuses_of, instructors_of
from catalog.queries.vocabulary import tools_by_name, topics_by_name
from catalog.services.course_changes import CourseChanges, ModuleRow
from catalog.services.slugs import is_slug
from catalog.timeutil import local_today

BLANK_MODULE_ROWS = 3
PLACEMENT_FIELDS = ("placement_rate", "placement_year", "placement_cohort_size")


class ModuleForm(Form):
    """One row of the syllabus. A row left entirely empty is ignored; "remove" drops the row."""

    title = StringField("Module title", filters=[strip_text], validators=[Optional(), Length(max=200)])
    hours = IntegerField(
        "Hours", validators=[Optional(), NumberRange(0, 1000, "Enter the hours as a number from 0 to 1000.")]
    )
    outline = TextAreaField(
        "Outline", filters=[strip_text], validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )
    remove = BooleanField("Remove this module")

    @property
    def is_blank(self) -> bool:
        """True for a row with nothing typed in it."""
        typed_hours = bool(self.hours.raw_data and self.hours.raw_data[0])
        return not (self.title.data or self.outline.data or typed_hours)

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data or self.is_blank:
            return True
        if not super().validate(extra_validators):
            return False
        if not self.title.data:
            self.title.errors = ["Give the module a title, or clear the row."]
            return False
        return True


class CourseForm(CatalogForm):
    """A course listing. "Save draft" keeps it private; "Publish" sends it to the catalog."""

    version = HiddenField()
    title = StringField(
        "Title", filters=[strip_text], validators=[DataRequired("Enter the course title."), Length(max=200)]
    )
    slug = StringField(
        "Web address",
        filters=[strip_text, lambda value: value.lower() if isinstance(value, str) else value],
        validators=[Optional(), Length(max=200)],
        description="The last part of the course's address: lower-case letters, digits and hyphens. "
        "It cannot change once the course has been published.",
    )
    summary = TextAreaField(
        "Summary",
        filters=[strip_text],
        validators=[
            DataRequired("Enter a short summary."),
            Length(max=300, message="Keep the summary to 300 characters or fewer."),
        ],
        description="One or two sentences shown in search results (at most 300 characters).",
        render_kw={"rows": 3, "maxlength": 300},
    )
    description = TextAreaField(
        "Description",
        filters=[strip_text],
        validators=[Optional(), Length(max=20_000, message="Keep the description to 20000 characters.")],
        description="Markdown: blank lines between paragraphs, **bold**, lists with “- ”, links.",
        render_kw={"rows": 10},
    )
    format = SelectField(
        "Format",
        choices=enum_choices(CourseFormat, "Choose a format…"),
        validators=[DataRequired("Choose a format.")],
    )
    level = SelectField(
        "Level", choices=enum_choices(Level, "Choose a level…"), validators=[DataRequired("Choose a level.")]
    )
    mode = SelectField(
        "Mode", choices=enum_choices(Mode, "Choose a mode…"), validators=[DataRequired("Choose a mode.")]
    )
    duration_days = IntegerField(
        "Duration (days)",
        validators=[
            InputRequired("Enter the duration in days."),
            NumberRange(1, 1000, "Enter a duration from 1 to 1000 days."),
        ],
        description="From first to last session: 90 for three months.",
    )
    total_hours = IntegerField(
        "Teaching hours",
        validators=[
            InputRequired("Enter the total hours of teaching."),
            NumberRange(1, 5000, "Enter the total hours as a number from 1 to 5000."),
        ],
    )
    fee_inr = IntegerField(
        "Fee (₹)",
        description="Including taxes; 0 for a free course.",
        validators=[
            InputRequired("Enter the fee in rupees (0 for a free course)."),
            NumberRange(min=0, message="The fee cannot be negative."),
            NumberRange(max=10_000_000, message="Enter a fee of at most 10000000 rupees."),
        ],
    )
    emi_available = BooleanField("EMI (monthly instalments) available")
    languages = CheckboxGroupField(
        "Languages of instruction",
        choices=as_choices((name, name) for name in LANGUAGES),
        validators=[DataRequired("Choose at least one language.")],
    )
    certification_name = StringField(
        "Certificate name", filters=[strip_text], validators=[Optional(), Length(max=200)]
    )
    certification_issuer = StringField(
        "Certificate issued by",
        filters=[strip_text],
        validators=[Optional(), Length(max=200)],
        description="Give both the certificate and its issuer, or leave both empty.",
    )
    refund_policy = TextAreaField(
        "Refund policy",
        filters=[strip_text],
        validators=[
            DataRequired("State the refund policy: learners see it before they enquire."),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
    )
    placement_support = BooleanField("Placement support offered")
    placement_rate = IntegerField(
        "Placement rate (%)",
        validators=[Optional(), NumberRange(0, 100, "Enter the rate as a percentage from 0 to 100.")],
    )
    placement_year = IntegerField("Placement year", validators=[Optional()])
    placement_cohort_size = IntegerField(
        "Cohort size",
        validators=[
            Optional(),
            NumberRange(1, 100_000, "Enter the cohort size as a number from 1 to 100000."),
        ],
        description="A placement figure is shown only with its year and cohort size: give all three or none.",
    )
    prerequisites = TextAreaField(
        "Prerequisites",
        filters=[strip_text],
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 3},
    )
    topics = CheckboxGroupField("Topics", coerce=int, validators=[Optional()])
    tools = CheckboxGroupField("Tools", coerce=int, validators=[Optional()])
    campuses = CheckboxGroupField("Taught at campuses", coerce=int, validators=[Optional()])
    instructors = CheckboxGroupField("Instructors", coerce=int, validators=[Optional()])
    syllabus_reviewed_on = DateField(
        "Syllabus last reviewed on",
        validators=[Optional(), NotInFuture("The review date cannot be in the future.")],
        description="Learners see this date. Tools change fast: review the syllabus at least twice a year.",
    )
    modules = FieldList(FormField(ModuleForm), min_entries=0, max_entries=60)
    save_draft = SubmitField("Save draft")
    publish = SubmitField("Publish")

    def load_choices(self, session: Session, institute_id: int) -> None:
        """Fill the vocabulary and the institute's own campuses and instructors."""
        self.topics.choices = as_choices((t.id, t.name) for t in topics_by_name(session))
        self.tools.choices = as_choices((t.id, t.name) for t in tools_by_name(session))
        self.campuses.choices = as_choices(
            (c.id, f"{c.area.name}: {c.address}") for c in campuses_of(session, institute_id)
        )
        self.instructors.choices = as_choices(
            (person.id, person.name) for person in instructors_of(session, institute_id)
        )

    def add_blank_modules(self, count: int = BLANK_MODULE_ROWS) -> None:
        """Append empty rows until the last ``count`` rows are blank, for new modules."""
        trailing = 0
        for entry in reversed(self.modules.entries):
            if not entry.form.is_blank:
                break
            trailing += 1
        for _ in range(max(0, count - trailing)):
            self.modules.append_entry()

    def module_rows(self) -> tuple[ModuleRow, ...]:
        """The modules to keep, in row order: rows neither blank nor marked for removal."""
        return tuple(
            ModuleRow(title=row.title.data, hours=row.hours.data or 0, outline=row.outline.data or "")
            for row in (entry.form for entry in self.modules)
            if not row.remove.data and not row.is_blank
        )

    def to_command(self) -> CourseChanges:
        """The validated entries as course changes; "Publish" asks for the catalog."""
        version = self.version.data or ""
        return CourseChanges(
            title=self.title.data,
            summary=self.summary.data,
            description=self.description.data or "",
            format=CourseFormat(self.format.data),
            level=Level(self.level.data),
            mode=Mode(self.mode.data),
            duration_days=self.duration_days.data,
            total_hours=self.total_hours.data,
            fee_inr=self.fee_inr.data,
            emi_available=bool(self.emi_available.data),
            languages=tuple(self.languages.data),
            certification_name=self.certification_name.data or None,
            certification_issuer=self.certification_issuer.data or None,
            refund_policy=self.refund_policy.data,
            placement_support=bool(self.placement_support.data),
            placement_rate=self.placement_rate.data,
            placement_year=self.placement_year.data,
            placement_cohort_size=self.placement_cohort_size.data,
            prerequisites=self.prerequisites.data or "",
            syllabus_reviewed_on=self.syllabus_reviewed_on.data,
            topics=tuple(self.topics.data or ()),
            tools=tuple(self.tools.data or ()),
            campuses=tuple(self.campuses.data or ()),
            instructors=tuple(self.instructors.data or ()),
            modules=self.module_rows(),
            slug=self.slug.data or None,
            publish=bool(self.publish.data),
            version=int(version) if version.isdigit() else None,
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self._check_certification() and valid
        valid = self._check_placement() and valid
        for position, entry in enumerate(self.modules, 1):
            for name, messages in entry.form.errors.items():
                label = entry.form[name].label.text
                self.form_errors.extend(f"Module row {position}, {label}: {m}" for m in messages)
        return valid

    def validate_slug(self, field) -> None:
        if field.data and not is_slug(field.data):
            raise ValidationError(
                "Use only lower-case letters, digits and single hyphens, e.g. mlops-bootcamp."
            )

    def validate_placement_year(self, field) -> None:
        if field.data is not None and not 2000 <= field.data <= local_today().year:
            raise ValidationError(f"Enter a year from 2000 to {local_today().year}.")

    def _check_certification(self) -> bool:
        if bool(self.certification_name.data) == bool(self.certification_issuer.data):
            return True
        missing = self.certification_issuer if self.certification_name.data else self.certification_name
        missing.errors.append("Give both the certificate name and its issuer, or leave both empty.")
        return False

    def _check_placement(self) -> bool:
        fields = [self[name] for name in PLACEMENT_FIELDS]
        given = [field for field in fields if field.data is not None or field.errors]
        if not given:
            return True
        if not self.placement_support.data:
            self.placement_support.errors.append(
                "Tick placement support to give placement figures, or clear the figures."
            )
            return False
        missing = [field for field in fields if field not in given]
        for field in missing:
            field.errors.append(
                "Give the placement rate, its year and the cohort size together, or none of them."
            )
        return not missing


def course_form_data(course: Course) -> dict[str, Any]:
    """Form data for an existing course, modules in their order."""
    data = {
        name: getattr(course, name)
        for name in (
            "version", "title", "slug", "summary", "description", "duration_days", "total_hours", "fee_inr",
            "emi_available", "certification_name", "certification_issuer", "refund_policy",
            "placement_support", "placement_rate", "placement_year", "placement_cohort_size",
            "prerequisites", "syllabus_reviewed_on",
        )
    }  # fmt: skip
    data.update(
        format=course.format.value,
        level=course.level.value,
        mode=course.mode.value,
        languages=course.language_names,
        topics=[topic.id for topic in course.topics],
        tools=[tool.id for tool in course.tools],
        campuses=[campus.id for campus in course.campuses],
        instructors=[person.id for person in course.instructors],
        modules=[{"title": m.title, "hours": m.hours, "outline": m.outline} for m in course.modules],
    )
    return data
