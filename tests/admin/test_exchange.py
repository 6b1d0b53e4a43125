"""Import and export in the admin area: downloads in both formats, the upload with its size
limit, the check-only report of problems, and an import audited as the admin."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from catalog.extensions import db as _db
from catalog.models import AuditEntry, Course, CourseStatus, Role
from tests.builders import make_user
from tests.helpers import EXAMPLE_CATALOG, catalog_file, csrf_token, example_catalog


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN)
    auth.login(user)
    return user


def upload(client, data: bytes, name: str = "catalog.json", button: str = "submit"):
    token = csrf_token(client, "/admin/import")
    form = {"csrf_token": token, button: "y", "file": (io.BytesIO(data), name)}
    return client.post("/admin/import", data=form, content_type="multipart/form-data")


def test_the_export_page_is_in_the_admin_menu_and_offers_both_formats(client, admin):
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/export"' in html
    page = client.get("/admin/export").get_data(as_text=True)
    assert 'value="json"' in page and 'value="csv"' in page


def test_the_catalog_downloads_as_json_and_as_a_zip(client, admin):
    upload(client, EXAMPLE_CATALOG.read_bytes())
    response = client.get("/admin/export/download?format=json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert 'filename="catalog-' in response.headers["Content-Disposition"]
    assert json.loads(response.data)["courses"][0]["slug"] == "example-model-serving-workshop"
    archive = client.get("/admin/export/download?format=csv")
    assert archive.mimetype == "application/zip" and archive.data.startswith(b"PK")


def test_an_unknown_export_format_is_refused_beside_the_field(client, admin):
    response = client.get("/admin/export/download?format=xml")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_a_check_lists_every_problem_with_file_place_field_and_reason(client, admin):
    document = example_catalog()
    document["courses"][0]["fee_inr"] = -5
    document["courses"][0]["topics"] = ["quantum-mlops"]
    response = upload(client, catalog_file(document), button="check")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not imported: 2 problems" in html
    for text in ("catalog.json", "courses[0]", "<code>fee_inr</code>", "must be at least 0, not -5"):
        assert text in html
    assert "unknown topic &#39;quantum-mlops&#39;" in html
    assert _db.session.scalar(select(func.count(Course.id))) == 0


def test_a_check_of_a_valid_file_says_what_it_would_do_and_writes_nothing(client, admin):
    html = upload(client, EXAMPLE_CATALOG.read_bytes(), button="check").get_data(as_text=True)
    assert "Checked: the file can be imported" in html and "would create 12" in html
    assert _db.session.scalar(select(func.count(Course.id))) == 0


def test_an_import_reports_counts_and_moderation_and_is_audited_as_the_admin(client, admin):
    document = example_catalog()
    document["courses"][0]["summary"] = "Serving with a job guarantee."
    response = upload(client, catalog_file(document))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Imported" in html and "created 12" in html
    assert "Sent to moderation" in html and "summary: “job guarantee”" in html
    assert _db.session.scalar(select(Course.status)) == CourseStatus.PENDING
    users = set(_db.session.scalars(select(AuditEntry.user_id)))
    assert users == {admin.id}


def test_a_csv_archive_uploads_as_well(client, admin):
    response = upload(client, EXAMPLE_CATALOG.with_suffix(".zip").read_bytes(), "catalog.zip")
    assert response.status_code == 200
    assert _db.session.scalar(select(func.count(Course.id))) == 1


def test_a_file_over_the_limit_is_refused_beside_the_file_field(app, client, admin):
    app.config["IMPORT_MAX_BYTES"] = 1000
    response = upload(client, b" " * 5000 + catalog_file(example_catalog()))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="file-error"' in html and "larger than the 1 KB an upload may have" in html


def test_a_body_far_over_the_limit_is_refused_unread_with_the_message_beside_the_field(app, client, admin):
    app.config["IMPORT_MAX_BYTES"] = 1000
    response = upload(client, b" " * 200_000)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'id="file-error"' in html and "larger than the 1 KB an upload may have" in html


def test_a_body_over_the_limit_from_a_stranger_is_sent_to_sign_in(app, client):
    app.config["IMPORT_MAX_BYTES"] = 1000
    data = {"file": (io.BytesIO(b" " * 200_000), "catalog.json")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302


def test_an_import_without_a_file_asks_for_one(client, admin):
    response = client.post(
        "/admin/import", data={"csrf_token": csrf_token(client, "/admin/import"), "submit": "y"}
    )
    assert response.status_code == 400
    assert "Choose the file to import." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe not text", "is not UTF-8 text"),
        (b"{not json", "is not JSON"),
        (b"PK\x03\x04garbage", "is not a zip archive the import can read"),
    ],
)
def test_a_file_that_is_not_a_catalog_gets_a_message_not_an_error_page(client, admin, data, message):
    response = upload(client, data, button="check")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_other_pages_still_refuse_file_parts(client, admin):
    token = csrf_token(client, "/admin/users/new")
    data = {"csrf_token": token, "email": (io.BytesIO(b"x"), "x.txt")}
    response = client.post("/admin/users/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "is a file, and this page takes no files" in response.get_data(as_text=True)


def test_the_import_page_takes_a_file_in_its_file_field_only(client, admin):
    token = csrf_token(client, "/admin/import")
    data = {"csrf_token": token, "submit": "y", "other": (io.BytesIO(b"x"), "x.json")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "takes a file in another field" in response.get_data(as_text=True)
