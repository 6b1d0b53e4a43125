"""The shortlist's enquiry form: the learner's details once, the courses to ask about, and one
consent box per institute, naming it.

It asks what the single enquiry form asks, with the same fields, validators and spam guards
(:class:`LearnerForm`), but no batch: a learner who wants one says so in the message. Its
consent boxes are made for the institutes of the courses listed, so each form class is built
for its page by :func:`shortlist_enquiry_form`.
"""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import BooleanField, SelectChoice
from wtforms.validators import ValidationError

from catalog.enquiries.forms import LearnerForm
from catalog.forms.fields import CheckboxGroupField
from catalog.models import Course
from catalog.services.enquiries import closed_refusal, institutes_of, shortlist_consent_text

NOT_LISTED = "Choose among the courses listed here"


def consent_field_name(institute_id: int) -> str:
    """The name of the consent box of one institute."""
    return f"consent_{institute_id}"


def open_courses(courses: Sequence[Course]) -> list[Course]:
    """The courses of ``courses`` that take enquiries now."""
    return [course for course in courses if closed_refusal(course) is None]


class ShortlistEnquiryForm(LearnerForm):
    """One send that asks each chosen course's institute separately; see the module's text."""

    batch = None
    consent = None
    courses = CheckboxGroupField("Courses to ask about", coerce=int, validate_choice=False)

    def __init__(self, listed: Sequence[Course], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.listed = list(listed)
        self.open = open_courses(self.listed)
        self.institutes = institutes_of(self.open)
        self.courses.choices = [SelectChoice(course.id, course.title) for course in self.listed]
        if not self.is_submitted():
            self.courses.data = [course.id for course in self.open]
            self.issue_new_stamp()

    def validate_courses(self, field: CheckboxGroupField) -> None:
        listed = {course.id for course in self.listed}
        if any(course_id not in listed for course_id in field.data or []):
            raise ValidationError(NOT_LISTED)

    def consent_field(self, institute_id: int) -> BooleanField:
        """The consent box of one institute on this form."""
        return self[consent_field_name(institute_id)]

    def chosen_courses(self) -> list[Course]:
        """The listed courses the learner ticked, in the order listed (unknown ids left out)."""
        chosen = set(self.courses.data or [])
        return [course for course in self.listed if course.id in chosen]

    def consented(self) -> set[int]:
        """The ids of the institutes whose consent box is ticked."""
        return {institute.id for institute in self.institutes if self.consent_field(institute.id).data}


def shortlist_enquiry_form(listed: Sequence[Course], **kwargs) -> ShortlistEnquiryForm:
    """The shortlist's form for these courses, with a consent box for each institute of the open
    ones, labelled with that institute's consent sentence."""
    consents = {
        consent_field_name(institute.id): BooleanField(shortlist_consent_text(institute))
        for institute in institutes_of(open_courses(listed))
    }
    form_class = type("ShortlistEnquiryForm", (ShortlistEnquiryForm,), consents)
    return form_class(listed, **kwargs)
