"""The ``export`` and ``import`` commands: files in, files out, a report and an exit status."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from catalog.models import Course
from tests.helpers import EXAMPLE_CATALOG, catalog_file, example_catalog


def test_export_writes_json_or_a_csv_archive_by_the_file_name(runner, db, tmp_path):
    runner.invoke(args=["import", str(EXAMPLE_CATALOG)])
    result = runner.invoke(args=["export", str(tmp_path / "catalog.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "catalog.json").read_text())["courses"][0]["slug"]
    result = runner.invoke(args=["export", str(tmp_path / "catalog.zip")])
    assert "(csv)" in result.output
    assert (tmp_path / "catalog.zip").read_bytes().startswith(b"PK")
    runner.invoke(args=["export", str(tmp_path / "forced.zip"), "--format", "json"])
    assert (tmp_path / "forced.zip").read_bytes().startswith(b"{")


def test_import_reports_what_it_created(runner, db):
    result = runner.invoke(args=["import", str(EXAMPLE_CATALOG)])
    assert result.exit_code == 0, result.output
    assert "example-catalog.json: created 12, updated 0, 0 unchanged." in result.output
    assert "courses: 1 created, 0 updated, 0 unchanged" in result.output


def test_a_dry_run_with_problems_prints_each_and_exits_non_zero(runner, db, tmp_path):
    document = example_catalog()
    document["courses"][0]["fee_inr"] = -5
    document["events"][0]["ends_at"] = document["events"][0]["starts_at"]
    path = tmp_path / "bad.json"
    path.write_bytes(catalog_file(document))
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "bad.json: 2 problems; nothing was imported." in result.output
    assert "bad.json: courses[0].fee_inr: must be at least 0, not -5" in result.output
    assert "bad.json: events[0].ends_at: is not after starts_at" in result.output


def test_a_valid_dry_run_exits_zero_and_writes_nothing(runner, db):
    result = runner.invoke(args=["import", str(EXAMPLE_CATALOG), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would create 12" in result.output and "Dry run: nothing was written." in result.output
    assert db.session.scalar(select(func.count(Course.id))) == 0
