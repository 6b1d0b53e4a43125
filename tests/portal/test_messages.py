"""The portal's words for the listing services' codes: every code has them, and values read well."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

from catalog.forms.catalog import InstructorForm
from catalog.forms.messages import MESSAGES, message, show_on
from catalog.services.errors import DomainError

SERVICES = Path(__file__).resolve().parents[2] / "catalog" / "services"
LISTING_SERVICES = (
    "courses",
    "batches",
    "events",
    "institutes",
    "campuses",
    "instructors",
    "transactions",
    "errors",
)


def codes_in(module: str) -> set[str]:
    """The hyphenated words of a service module: its outcome and refusal codes."""
    tree = ast.parse((SERVICES / f"{module}.py").read_text())
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[a-z]+(-[a-z]+)+", node.value)
    }


def test_every_code_of_the_listing_services_has_words_in_the_portal():
    codes = set().union(*(codes_in(module) for module in LISTING_SERVICES))
    assert codes and codes <= set(MESSAGES)


def test_a_campus_in_use_names_the_first_three_start_dates():
    days = tuple(date(2026, 12, day) for day in (3, 10, 17, 24))
    text, category = message("campus-in-use", start_dates=days)
    assert text.startswith("Batches starting 3 Dec 2026, 10 Dec 2026, 17 Dec 2026 meet at this campus.")
    assert category == "error"


def test_an_instructor_teaching_many_courses_names_five_and_others():
    titles = tuple(f"Course {n}" for n in range(1, 8))
    text, _category = message("instructor-teaches", name="Ravi", titles=titles)
    assert "assigned to “Course 1”, “Course 2”, “Course 3”, “Course 4”, “Course 5” and others." in text


def test_a_refusal_goes_beside_the_field_of_its_name(app):
    with app.test_request_context():
        form = InstructorForm(meta={"csrf": False})
        show_on(form, DomainError("instructor-name-taken", field="name", name="Ravi"))
    assert form.name.errors == ["You already have an instructor named Ravi."]


def test_a_refusal_of_no_field_of_the_form_goes_to_its_top(app):
    with app.test_request_context():
        form = InstructorForm(meta={"csrf": False})
        show_on(form, DomainError("record-clash", detail="duplicate key"))
    assert form.form_errors == [
        "Someone saved a record with the same name at the same moment. Check the list and try again."
    ]
