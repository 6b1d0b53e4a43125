"""The instructor service: names unique within an institute, and who may be deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.models import Instructor
from catalog.services.errors import DomainError
from catalog.services.instructors import InstructorChanges, apply_instructor, delete_instructor
from tests.builders import make_course, make_institute, make_instructor


@pytest.fixture
def institute(db):
    return make_institute()


def test_instructor_add_and_edit(db, institute):
    changes = InstructorChanges("Lakshmi Iyer", 12, bio="Ran ML.", industry_background="Payments SRE")
    person = apply_instructor(db.session, None, institute, changes).record
    assert (person.institute_id, person.years_experience) == (institute.id, 12)
    apply_instructor(db.session, None, institute, InstructorChanges("Lakshmi Iyer", 13), person)
    db.session.expire_all()
    assert person.years_experience == 13


def test_duplicate_instructor_name_is_refused(db, institute):
    make_instructor(institute, name="Ravi Kumar")
    with pytest.raises(DomainError) as refused:
        apply_instructor(db.session, None, institute, InstructorChanges("Ravi Kumar", 5))
    assert (refused.value.code, refused.value.field, refused.value.params) == (
        "instructor-name-taken",
        "name",
        {"name": "Ravi Kumar"},
    )


def test_the_same_name_may_teach_at_another_institute(db, institute):
    make_instructor(make_institute(), name="Ravi Kumar")
    assert apply_instructor(db.session, None, institute, InstructorChanges("Ravi Kumar", 5)).record.id


def test_instructor_teaching_a_course_cannot_be_deleted_and_the_refusal_names_the_courses(db, institute):
    person = make_instructor(institute, name="Ravi Kumar")
    make_course(institute=institute, title="GitOps for ML", instructors=[person])
    with pytest.raises(DomainError) as refused:
        delete_instructor(db.session, None, person)
    assert (refused.value.code, refused.value.params) == (
        "instructor-teaches",
        {"name": "Ravi Kumar", "titles": ("GitOps for ML",)},
    )
    assert db.session.get(Instructor, person.id) is not None


def test_unassigned_instructor_is_deleted(db, institute):
    person = make_instructor(institute)
    delete_instructor(db.session, None, person)
    assert db.session.scalar(select(func.count(Instructor.id))) == 0
