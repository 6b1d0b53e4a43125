"""Input nothing can store is refused before any page runs, and nothing of it is kept.

In the address, the query string, a field's name, a file part or bytes that are not UTF-8 it
is a clear 400; in a field's value of an HTML form the form is shown again, the character
removed and a message beside the field, and nothing is saved."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from catalog.models import Course, Enquiry, Institute, OutboxMessage
from tests.builders import TEST_PASSWORD, make_course, make_institute, make_user
from tests.helpers import csrf_token, enquiry_form

#: One of each kind the guard refuses: NUL, other C0, ESC, DEL, C1 (NEL and the last one).
CONTROLS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"]


def description(response) -> str:
    """The error page's explanation (the ``lede`` paragraph)."""
    match = re.search(r'<p class="lede">([^<]*)</p>', response.get_data(as_text=True))
    assert match, "the error page has no description"
    return match.group(1).replace("&#34;", '"')


def enquiries(db) -> int:
    return db.session.scalar(select(func.count(Enquiry.id)))


def removed(char: str) -> str:
    """The message beside a field the guard removed ``char`` from."""
    return (
        f"This holds a character that cannot be stored (U+{ord(char):04X}, a control character); "
        "we removed it — check the text and send again."
    )


def field_error(response, field_id: str) -> str | None:
    """The message the form macro shows beside the field ``field_id``, or None."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return match.group(1) if match else None


def shown_value(response, name: str) -> str | None:
    """The value the re-rendered form's text input ``name`` holds, or None."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def post_staff_form(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


@pytest.mark.parametrize("char", CONTROLS)
def test_control_character_in_a_query_value_is_refused_naming_the_parameter(client, char):
    response = client.get("/courses", query_string={"q": f"mlflow{char}"})
    assert response.status_code == 400
    assert "query parameter “q” holds a character that cannot be stored" in description(response)
    assert f"U+{ord(char):04X}" in description(response)


def test_control_character_in_a_query_parameter_name_is_refused(client):
    response = client.get("/courses?mo%00de=online")
    assert response.status_code == 400
    assert "query parameter “mo?de”" in description(response)


def test_line_break_in_a_query_value_is_refused(client):
    assert client.get("/courses", query_string={"q": "ml\nops"}).status_code == 400


def test_nul_in_a_path_segment_is_refused(client):
    response = client.get("/courses/kubernetes%00")
    assert response.status_code == 400
    assert "The address holds a character that cannot be stored, U+0000" in description(response)


def test_bytes_that_are_not_utf8_in_a_path_are_refused(client):
    response = client.get("/institutes/%ff%fe")
    assert response.status_code == 400
    assert "The address holds bytes that are not UTF-8 text" in description(response)


def test_bytes_that_are_not_utf8_in_a_query_value_are_refused(client):
    response = client.get("/courses?q=%ed%a0%80")  # an encoded lone surrogate
    assert response.status_code == 400
    assert "query parameter “q” holds bytes that are not UTF-8 text" in description(response)


def test_json_client_is_told_in_a_json_body(client):
    response = client.get("/courses?q=%00", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400
    assert "cannot be stored" in response.get_json()["error"]["detail"]


def test_text_in_any_script_passes(client):
    assert client.get("/courses", query_string={"q": "కుబెర్నెటీస్ मशीन 機械 🚀"}).status_code == 200


@pytest.mark.parametrize("char", CONTROLS)
def test_control_character_in_an_enquiry_field_is_shown_beside_it_removed_and_nothing_is_stored(
    client, db, char
):
    course = make_course()
    data = {**enquiry_form(client, course), "name": f"Asha{char}Rao"}
    response = client.post(f"/courses/{course.slug}/enquire", data=data)
    assert response.status_code == 400
    assert field_error(response, "name") == removed(char)
    assert shown_value(response, "name") == "AshaRao"
    assert enquiries(db) == 0


def test_control_characters_in_two_enquiry_fields_are_shown_beside_each(client, db):
    course = make_course()
    data = {**enquiry_form(client, course), "name": "Asha\x00Rao", "message": "Weekend\x1b batch?"}
    response = client.post(f"/courses/{course.slug}/enquire", data=data)
    assert field_error(response, "name") == removed("\x00")
    assert field_error(response, "message") == removed("\x1b")
    assert "Weekend batch?" in response.get_data(as_text=True)
    assert enquiries(db) == 0


def test_control_character_in_a_field_no_form_has_stores_nothing(client, db):
    course = make_course()
    data = {**enquiry_form(client, course), "nickname": "Ash\x00"}
    response = client.post(f"/courses/{course.slug}/enquire", data=data)
    assert response.status_code == 400
    assert "The form sent a value that cannot be stored" in response.get_data(as_text=True)
    assert enquiries(db) == 0


def test_control_character_in_a_field_name_is_refused_and_nothing_is_stored(client, db):
    course = make_course()
    data = {**enquiry_form(client, course), "nick\x00name": "Asha"}
    response = client.post(f"/courses/{course.slug}/enquire", data=data)
    assert response.status_code == 400
    assert "The field “nick?name” holds a character that cannot be stored, U+0000" in description(response)
    assert enquiries(db) == 0


def test_json_client_posting_a_control_character_in_a_field_is_refused_with_400(client, db):
    course = make_course()
    data = {**enquiry_form(client, course), "name": "Asha\x00Rao"}
    response = client.post(
        f"/courses/{course.slug}/enquire", data=data, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert (
        "The field “name” holds a character that cannot be stored" in response.get_json()["error"]["detail"]
    )
    assert enquiries(db) == 0


def test_line_breaks_and_tabs_in_a_message_are_kept(client, db):
    course = make_course()
    data = {**enquiry_form(client, course), "message": "Weekend batch?\r\nIn\tTelugu too?"}
    assert client.post(f"/courses/{course.slug}/enquire", data=data).status_code == 303
    message = db.session.scalars(select(Enquiry.message)).one()
    assert "\n" in message and "In\tTelugu" in message


def test_bytes_that_are_not_utf8_in_a_form_body_are_refused_and_nothing_is_stored(client, db):
    course = make_course()
    body = "&".join(f"{name}={value}" for name, value in enquiry_form(client, course).items())
    response = client.post(
        f"/courses/{course.slug}/enquire",
        data=(body + "&message=%c3%28").encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "The field “message” holds bytes that are not UTF-8 text" in description(response)
    assert enquiries(db) == 0


def test_a_file_part_where_text_is_expected_is_refused_and_nothing_is_stored(client, db):
    course = make_course()
    data = {**enquiry_form(client, course), "message": (io.BytesIO(b"hello"), "message.txt")}
    response = client.post(f"/courses/{course.slug}/enquire", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "The field “message” is a file, and this page takes no files" in description(response)
    assert enquiries(db) == 0


def test_control_character_in_the_institute_profile_is_shown_beside_the_field(client, db, auth):
    # PostgreSQL refuses NUL in text with an error of its own; it must never be asked.
    user = make_user()
    auth.login(user)
    data = {"name": "Deccan\x00 MLOps Academy", "description": "Evening MLOps.", "founded_year": "2016"}
    response = post_staff_form(client, "/portal/profile", data)
    assert response.status_code == 200
    assert field_error(response, "name") == removed("\x00")
    assert shown_value(response, "name") == "Deccan MLOps Academy"
    names = db.session.scalars(select(Institute.name).where(Institute.id == user.institute_id))
    assert names.one() != "Deccan MLOps Academy"


def test_control_character_in_a_course_module_row_is_shown_beside_it_and_nothing_is_stored(client, db, auth):
    auth.login(make_user())
    data = {
        "title": "Kubernetes for ML Engineers",
        "summary": "Serve and scale models on Kubernetes.",
        "description": "Hands-on Kubernetes for model serving.",
        "format": "bootcamp",
        "level": "intermediate",
        "mode": "online",
        "duration_days": "90",
        "total_hours": "120",
        "fee_inr": "85000",
        "languages": ["English"],
        "refund_policy": "Full refund within 7 days of the start.",
        "modules-0-title": "Con\x85tainers",
        "modules-0-hours": "10",
        "publish": "Publish",
    }
    response = post_staff_form(client, "/portal/courses/new", data)
    assert response.status_code in (200, 400)
    assert field_error(response, "modules-0-title") == removed("\x85")
    assert shown_value(response, "modules-0-title") == "Containers"
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_control_character_in_the_sign_in_email_is_shown_beside_it_and_does_not_sign_in(client, db):
    make_user(email="staff@example.in")
    data = {"email": "staff\x7f@example.in", "password": TEST_PASSWORD}
    response = post_staff_form(client, "/portal/login", data)
    assert response.status_code in (200, 400)
    assert field_error(response, "email") == removed("\x7f")
    assert shown_value(response, "email") == "staff@example.in"
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_record_number_beyond_any_id_is_not_found_without_asking_the_database(client):
    response = client.get("/portal/enquiries/99999999999999999999999")
    assert response.status_code == 404
    assert "No record has that number." in description(response)


def test_a_line_break_in_a_stored_name_leaves_email_subjects_one_line(client, db):
    # Form fields may hold line breaks (multi-line text); a mail header may not.
    course = make_course(institute=make_institute(name="Deccan\r\nMLOps Academy"))
    response = client.post(f"/courses/{course.slug}/enquire", data=enquiry_form(client, course))
    assert response.status_code == 303
    subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert any(subject.endswith("to Deccan MLOps Academy") for subject in subjects)
    assert not any("\n" in subject or "\r" in subject for subject in subjects)
