"""Backup and restore: a round trip gives back the same data, and SQLite copies stay consistent."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from catalog.data import backup
from catalog.models import Base, ContactMethod, Course, Enquiry, EnquiryStatus, Role, SearchState, User
from catalog.services.enquiries import EnquiryDetails, submit_enquiry
from catalog.services.inbox import StatusChange, change_status
from tests.builders import make_batch, make_course, make_institute, make_topic, make_user
from tests.helpers import search_titles

#: Holds a random version that every restore replaces on purpose (see catalog.data.backup).
NOT_COMPARED = {"search_state"}


def details(n: int) -> EnquiryDetails:
    return EnquiryDetails(
        name=f"Learner {n}",
        email=f"learner{n}@example.in",
        phone="+919876543210",
        preferred_contact=ContactMethod.PHONE,
        message=f"Question {n}",
        batch_id=None,
        consent=True,
    )


def seed(db) -> Course:
    """A small catalog with enquiries (history and outbox), staff accounts and audit entries."""
    institute = make_institute(name="Kondapur AI Labs", email="hello@kondapur.example")
    course = make_course(institute=institute, title="Kubeflow Pipelines in Practice", topics=[make_topic()])
    make_batch(course)
    staff = make_user(institute=institute, email="staff@kondapur.example")
    make_user(role=Role.ADMIN, institute=None, email="admin@example.in")
    for n in range(3):
        result = submit_enquiry(db.session, course, details(n), submission_key=f"backup-{n}")
        change_status(
            db.session, result.enquiry, staff, StatusChange(EnquiryStatus.CONTACTED, note=f"Called {n}.")
        )
    return course


def table_rows(db) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    conn = db.session.connection()
    rows = {}
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_COMPARED:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
    db.session.commit()
    return rows


def run(runner, *args: str):
    return runner.invoke(args=list(args))


def test_round_trip_restores_identical_catalog_enquiries_users_and_audit_rows(db, runner, tmp_path):
    course = seed(db)
    before = table_rows(db)
    assert before["enquiries"] and before["users"] and before["audit_entries"] and before["outbox_messages"]
    path = tmp_path / "catalog.backup"

    result = run(runner, "backup", str(path))
    assert result.exit_code == 0, result.output
    course.title = "Renamed after the backup"
    db.session.delete(db.session.scalars(select(Enquiry)).first())
    db.session.delete(db.session.scalars(select(User)).first())
    make_user(email="later@kondapur.example", institute=course.institute)
    db.session.commit()
    assert table_rows(db) != before

    result = run(runner, "restore", str(path))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert table_rows(db) == before


def test_backup_and_restore_say_what_they_did(db, runner, tmp_path, backend_name):
    path = tmp_path / "catalog.backup"
    kind = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend_name]
    assert run(runner, "backup", str(path)).output == f"Backed up the {kind} database to {path}.\n"
    assert run(runner, "restore", str(path)).output == (
        f"Restored the {kind} database from {path}; the search index is rebuilt.\n"
    )


def test_restore_leaves_search_consistent_with_the_restored_catalog(db, runner, tmp_path):
    make_course(title="Kubeflow Pipelines in Practice")
    path = tmp_path / "catalog.backup"
    run(runner, "backup", str(path))
    db.session.delete(db.session.scalars(select(Course)).one())
    db.session.commit()
    make_course(title="Airflow Orchestration Bootcamp")
    assert search_titles(db, "kubeflow") == [] and search_titles(db, "airflow") != []

    run(runner, "restore", str(path))
    db.session.expire_all()
    assert search_titles(db, "kubeflow") == ["Kubeflow Pipelines in Practice"]
    assert search_titles(db, "airflow") == []
    assert search_titles(db) == ["Kubeflow Pipelines in Practice"]


def search_version(db) -> int:
    version = db.session.scalar(select(SearchState.version))
    db.session.commit()
    return version


def test_restore_moves_the_search_version_so_every_process_rebuilds_its_snapshot(db, runner, tmp_path):
    make_course(title="Kubeflow Pipelines in Practice")
    path = tmp_path / "catalog.backup"
    at_backup = search_version(db)
    run(runner, "backup", str(path))
    make_course(title="Airflow Orchestration Bootcamp")
    before_restore = search_version(db)
    run(runner, "restore", str(path))
    assert search_version(db) not in (at_backup, before_restore)


def test_backup_replaces_an_older_file_at_the_path(db, runner, tmp_path):
    path = tmp_path / "catalog.backup"
    path.write_bytes(b"an older backup")
    assert run(runner, "backup", str(path)).exit_code == 0
    assert path.read_bytes()[:5] in (backup.SQLITE_MAGIC[:5], backup.PG_DUMP_MAGIC)
    assert not (tmp_path / "catalog.backup.partial").exists()


# SQLite: a consistent copy while the app writes


@pytest.fixture
def sqlite_only(backend_name):
    if backend_name != "sqlite":
        pytest.skip("the online backup API is SQLite's")


def copy_counts(path) -> tuple[str, int, int]:
    """The copy's integrity check, and how many enquiries it holds with and without their history."""
    with closing(sqlite3.connect(path)) as copy:
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        total = copy.execute("SELECT count(*) FROM enquiries").fetchone()[0]
        orphans = copy.execute(
            "SELECT count(*) FROM enquiries e WHERE NOT EXISTS "
            "(SELECT 1 FROM enquiry_events h WHERE h.enquiry_id = e.id) "
            "OR NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.enquiry_id = e.id)"
        ).fetchone()[0]
    return check, total, orphans


def test_sqlite_backup_taken_while_the_app_writes_is_consistent(db, sqlite_only, tmp_path):
    course = seed(db)
    path = tmp_path / "catalog.backup"
    steps = []

    def write_in_the_middle(status, remaining, total):
        steps.append(remaining)
        if len(steps) == 1 and remaining > 0:
            submit_enquiry(db.session, course, details(10), submission_key="during-backup")

    backup.backup_database(db.engine, path, pages=1, progress=write_in_the_middle)
    assert steps[0] > 0, "the copy was taken in one step; nothing was written during it"
    # A change by another connection restarts the copy, so the copy holds it, whole.
    assert copy_counts(path) == ("ok", 4, 0)


def test_sqlite_backup_holds_nothing_written_after_it(db, sqlite_only, tmp_path):
    course = seed(db)
    path = tmp_path / "catalog.backup"
    backup.backup_database(db.engine, path)
    submit_enquiry(db.session, course, details(10), submission_key="after-backup")
    assert copy_counts(path) == ("ok", 3, 0)


def test_sqlite_backup_is_one_file_without_a_write_ahead_log(db, sqlite_only, tmp_path):
    path = tmp_path / "catalog.backup"
    backup.backup_database(db.engine, path)
    with closing(sqlite3.connect(path)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


# PostgreSQL: the password never on a command line


def test_pg_dump_gets_the_password_in_its_environment_not_its_arguments(monkeypatch, tmp_path):
    calls = []

    def fake_run(args, env, **kwargs):
        calls.append((args, env))
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup.shutil, "which", lambda program: f"/usr/bin/{program}")
    url = make_url("postgresql+psycopg://catalog:s3cret-pass@db.internal:5433/catalog?sslmode=require")
    backup._run_pg("pg_dump", ["--format=custom", f"--file={tmp_path / 'x'}"], url)
    ((args, env),) = calls
    assert not any("s3cret-pass" in arg for arg in args)
    assert env["PGPASSWORD"] == "s3cret-pass"
    assert "--dbname=postgresql://catalog@db.internal:5433/catalog?sslmode=require" in args
