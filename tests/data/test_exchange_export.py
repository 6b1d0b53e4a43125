"""Export of the whole catalog: one sorted JSON document, or a zip of CSV files, the same
bytes every time, naming records by slug and never by database id."""

from __future__ import annotations

import io
import json
import zipfile

from catalog.data.exchange import export_catalog, import_catalog
from catalog.data.exchange.format import ARCHIVE_FILES
from tests.builders import make_course, make_institute, make_topic
from tests.helpers import catalog_file, example_catalog


def test_json_is_one_sorted_document_with_two_space_indent_and_a_final_newline(db):
    import_catalog(db.session, catalog_file(example_catalog()), "catalog.json")
    text = export_catalog(db.session, "json").decode("utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert document["format"] == "hyderabad-mlops-catalog" and document["format_version"] == 1
    assert '"id"' not in text and '"created_at"' not in text


def test_records_are_ordered_by_slug_whatever_order_they_were_stored_in(db):
    institute = make_institute(slug="b-school")
    for slug in ("zeta-course", "alpha-course", "Mid-course".lower()):
        make_course(slug=slug, institute=institute)
    make_topic(slug="zz-topic", name="ZZ")
    make_topic(slug="aa-topic", name="AA")
    document = json.loads(export_catalog(db.session, "json"))
    assert [course["slug"] for course in document["courses"]] == ["alpha-course", "mid-course", "zeta-course"]
    assert [topic["slug"] for topic in document["topics"]] == ["aa-topic", "zz-topic"]
    assert document["courses"][0]["institute"] == "b-school"


def test_the_csv_archive_holds_one_file_per_kind_with_fixed_times(db):
    import_catalog(db.session, catalog_file(example_catalog()), "catalog.json")
    with zipfile.ZipFile(io.BytesIO(export_catalog(db.session, "csv"))) as archive:
        infos = archive.infolist()
        assert sorted(info.filename for info in infos) == sorted(ARCHIVE_FILES)
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("courses.csv").decode().startswith("slug,institute,title,status,")
        assert archive.read("format.csv") == b"format,format_version\r\nhyderabad-mlops-catalog,1\r\n"


def test_exporting_twice_gives_the_same_bytes(db):
    import_catalog(db.session, catalog_file(example_catalog()), "catalog.json")
    assert export_catalog(db.session, "json") == export_catalog(db.session, "json")
    assert export_catalog(db.session, "csv") == export_catalog(db.session, "csv")


def test_a_csv_cell_a_spreadsheet_would_run_is_written_as_text_and_read_back_as_written(db):
    document = example_catalog()
    document["courses"][0]["prerequisites"] = '=HYPERLINK("https://evil.example")'
    document["courses"][0]["summary"] = "'Quoted' summary"
    import_catalog(db.session, catalog_file(document), "catalog.json")
    archive = export_catalog(db.session, "csv")
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        courses = files.read("courses.csv").decode()
    assert ',"\'=HYPERLINK(""https://evil.example"")",' in courses
    assert ",''Quoted' summary," in courses
    json_before = export_catalog(db.session, "json")
    report = import_catalog(db.session, archive, "catalog.zip")
    assert report.ok and report.updated == {}
    assert export_catalog(db.session, "json") == json_before
