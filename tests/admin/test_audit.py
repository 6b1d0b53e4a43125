"""The audit log page and its CSV export: filters, readable before/after values, 50 a page,
formula-safe cells."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from catalog.models import AuditEntry, Role
from tests.builders import make_user
from tests.helpers import count_queries


@pytest.fixture
def admin(auth):
    user = make_user(role=Role.ADMIN, email="admin@catalog.in")
    auth.login(user)
    return user


def audit(db, user=None, **values) -> AuditEntry:
    fields = {"action": "update", "record_type": "Course", "record_id": 1, "summary": "", "changes": {}}
    entry = AuditEntry(user_id=user.id if user else None, **{**fields, **values})
    db.session.add(entry)
    db.session.commit()
    return entry


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_log_shows_who_what_and_each_change_before_and_after(client, db, admin):
    changes = {"fee_inr": [40000, 45000], "topics": [[], ["mlflow"]]}
    audit(db, admin, summary="Saved Kubeflow Basics", changes=changes)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "admin@catalog.in" in html
    assert "Saved Kubeflow Basics" in html
    assert "<dt>fee inr</dt>" in html
    assert "<del>40000</del> → <ins>45000</ins>" in html
    assert "<del>—</del> → <ins>mlflow</ins>" in html


def test_a_long_value_is_cut_short_on_the_page_and_whole_in_the_csv(client, db, admin):
    audit(db, admin, changes={"description": ["", "x" * 500]})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "x" * 200 + "…" in html
    assert "x" * 201 not in html
    assert "x" * 500 in read_csv(client.get("/admin/audit.csv"))[1][7]


def test_an_entry_changing_many_fields_shows_them_folded(client, db, admin):
    audit(db, admin, changes={f"field_{n}": [None, n] for n in range(6)})
    assert "<summary>6 fields</summary>" in client.get("/admin/audit").get_data(as_text=True)


def test_the_log_filters_by_who(client, db, admin):
    audit(db, admin, summary="by the admin")
    audit(db, make_user(email="staff@madhapur.in"), summary="by the staff")
    html = client.get("/admin/audit?who=madhapur").get_data(as_text=True)
    assert "by the staff" in html
    assert "by the admin" not in html


def test_the_log_filters_by_record_type_and_record(client, db, admin):
    audit(db, admin, record_type="Batch", record_id=4, summary="batch four")
    audit(db, admin, record_type="Batch", record_id=5, summary="batch five")
    audit(db, admin, record_type="Course", record_id=4, summary="course four")
    html = client.get("/admin/audit?record_type=Batch&record_id=4").get_data(as_text=True)
    assert "batch four" in html
    assert "batch five" not in html
    assert "course four" not in html


def test_the_log_filters_by_date_range(client, db, admin):
    audit(db, admin, summary="last year", created_at=datetime(2025, 6, 1, 6, tzinfo=UTC))
    audit(db, admin, summary="this year", created_at=datetime(2026, 6, 1, 6, tzinfo=UTC))
    html = client.get("/admin/audit?changed_from=2026-01-01&changed_to=2026-12-31").get_data(as_text=True)
    assert "this year" in html
    assert "last year" not in html


def test_an_end_date_before_the_start_is_explained(client, admin):
    html = client.get("/admin/audit?changed_from=2026-05-01&changed_to=2026-04-01").get_data(as_text=True)
    assert "The end date must be on or after the start date." in html


@pytest.mark.parametrize(
    "args", ["record_id=abc", "record_id=99999999999999999999", "changed_from=1-1-1", "record_type=Nope"]
)
def test_filters_that_are_not_values_are_explained_not_failed(client, admin, args):
    response = client.get(f"/admin/audit?{args}")
    assert response.status_code == 200
    assert "Some filters were not applied" in response.get_data(as_text=True)


def test_the_log_shows_50_entries_a_page_newest_first(client, db, admin):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(51):
        audit(db, admin, summary=f"change {n:02d}", created_at=start + timedelta(minutes=n))
    first = client.get("/admin/audit").get_data(as_text=True)
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "change 50" in first and "change 01" in first
    assert "change 00" not in first
    assert "change 00" in second


def test_the_log_costs_the_same_queries_whatever_its_size(client, db, admin):
    audit(db, admin)
    client.get("/admin/audit")
    with count_queries(db) as few:
        client.get("/admin/audit")
    for _ in range(5):
        audit(db, make_user())
    with count_queries(db) as many:
        client.get("/admin/audit")
    assert len(many) == len(few)


def test_the_csv_exports_the_filtered_entries(client, db, admin):
    audit(db, admin, record_type="Batch", summary="kept", changes={"seats_left": [10, 9]})
    audit(db, admin, record_type="Course", summary="left out")
    response = client.get("/admin/audit.csv?record_type=Batch")
    assert response.mimetype == "text/csv"
    rows = read_csv(response)
    assert rows[0][:3] == ["When (IST)", "Who", "Action"]
    assert [row[6] for row in rows[1:]] == ["kept"]
    assert rows[1][7] == "seats left: 10 → 9"


def test_csv_cells_that_look_like_formulas_are_neutralised(client, db, admin):
    audit(db, admin, summary='=HYPERLINK("http://evil.example")')
    rows = read_csv(client.get("/admin/audit.csv"))
    assert rows[1][6].startswith("'=")


def test_an_export_with_invalid_filters_is_refused_with_a_message(client, admin):
    response = client.get("/admin/audit.csv?changed_from=2026-05-01&changed_to=2026-04-01")
    assert response.status_code == 400
    assert "export filters are not valid" in response.get_data(as_text=True)
