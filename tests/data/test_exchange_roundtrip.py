"""Export, import into an empty database, export again: the same bytes, JSON and CSV alike."""

from __future__ import annotations

from pathlib import Path

from catalog.data.exchange import export_catalog, import_catalog
from catalog.data.seeding import seed_catalog
from tests.helpers import empty_all_tables

DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_seeded_catalog_round_trips_byte_for_byte_in_json_and_csv(db):
    seed_catalog(db.session, DATA)
    exported = {file_format: export_catalog(db.session, file_format) for file_format in ("json", "csv")}
    for file_format, data in exported.items():
        empty_all_tables()
        report = import_catalog(db.session, data, f"catalog.{file_format}")
        assert report.ok, report.lines()[:5]
        assert report.created["courses"] and not report.updated
        assert export_catalog(db.session, file_format) == data, file_format
        again = import_catalog(db.session, data, f"catalog.{file_format}")
        assert again.created == again.updated == {}, f"{file_format}: a second import changed records"
