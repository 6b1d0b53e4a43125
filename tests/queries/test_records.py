"""The admins' records search: every kind numbered together, by name, whatever its institute."""

from __future__ import annotations

from catalog.models import CourseStatus, InstituteStatus
from catalog.queries.records import QUERY_MAX, RecordFilters, find_records
from tests.builders import make_batch, make_course, make_event, make_institute


def found(db, text: str = "", kind: str | None = None, page: int = 1, per_page: int = 25):
    result = find_records(db.session, RecordFilters(text=text, kind=kind), page, per_page)
    return [
        (row.kind, getattr(row.record, "name", None) or getattr(row.record, "title", None))
        for row in result.items
    ]


def test_records_of_every_kind_come_by_name_then_kind(db):
    institute = make_institute(name="Beta Institute")
    course = make_course(institute=institute, title="Alpha Course")
    make_batch(course)
    make_event(title="Gamma Event", institute=None)
    assert found(db) == [
        ("batch", None),
        ("course", "Alpha Course"),
        ("institute", "Beta Institute"),
        ("event", "Gamma Event"),
    ]


def test_records_of_any_status_and_institute_are_found(db):
    suspended = make_institute(name="Hidden Suspended", status=InstituteStatus.SUSPENDED)
    make_course(institute=suspended, title="Hidden Draft", status=CourseStatus.DRAFT)
    assert sorted(found(db, "hidden")) == [("course", "Hidden Draft"), ("institute", "Hidden Suspended")]


def test_the_page_and_the_total_agree(db):
    for n in range(5):
        make_course(title=f"Counted {n}")
    page = find_records(db.session, RecordFilters(text="counted"), 2, 2)
    assert (page.total, page.pages, len(page.items)) == (5, 3, 2)
    assert [row.record.title for row in page.items] == ["Counted 2", "Counted 3"]


def test_a_page_past_the_end_is_empty(db):
    make_course(title="Only One")
    page = find_records(db.session, RecordFilters(text="only"), 9, 25)
    assert (page.total, page.items) == (1, [])


def test_text_longer_than_the_limit_is_cut(db):
    title = ("mlops " * 40)[: QUERY_MAX + 20]
    make_course(title=title)
    assert found(db, "mlops " * 40, kind="course") == [("course", title)]
