"""The account commands: ``create-user`` and ``approve-institute``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, Institute, InstituteStatus, OutboxMessage, Role, User
from catalog.services.passwords import verify_password
from tests.builders import make_institute, make_user

PASSWORD = "a long enough passphrase"


def create_user(runner, *args: str, password: str = PASSWORD, again: str | None = None):
    typed = f"{password}\n{password if again is None else again}\n"
    return runner.invoke(args=["create-user", *args], input=typed)


def users(db) -> list[User]:
    return db.session.scalars(select(User)).all()


def test_create_user_makes_an_admin_from_piped_password_lines(runner, db):
    result = create_user(runner, "Admin@Example.in", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert "Created admin account admin@example.in." in result.output
    assert PASSWORD not in result.output
    (user,) = users(db)
    assert user.email == "admin@example.in" and user.role == Role.ADMIN and user.institute_id is None
    assert user.active and verify_password(user.password_hash, PASSWORD)


def test_create_user_makes_staff_of_an_institute(runner, db):
    institute = make_institute(name="Banjara Hills Data School", slug="banjara-data")
    result = create_user(runner, "staff@example.in", "--role", "institute", "--institute", "banjara-data")
    assert result.exit_code == 0, result.output
    assert "of Banjara Hills Data School (banjara-data)" in result.output
    (user,) = users(db)
    assert user.role == Role.INSTITUTE and user.institute_id == institute.id


def test_created_user_can_sign_in(runner, client):
    from tests.helpers import csrf_token

    create_user(runner, "admin@example.in", "--role", "admin")
    token = csrf_token(client, "/portal/login")
    response = client.post(
        "/portal/login", data={"csrf_token": token, "email": "admin@example.in", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_create_user_asks_twice_with_hidden_input(runner, db):
    result = create_user(runner, "admin@example.in", "--role", "admin")
    assert "Password: " in result.output and "Repeat the password: " in result.output
    assert PASSWORD not in result.output


def test_staff_need_an_institute(runner, db):
    result = create_user(runner, "staff@example.in", "--role", "institute")
    assert result.exit_code == 1
    assert "Institute staff need an institute: give --institute SLUG." in result.output
    assert users(db) == []


def test_admins_belong_to_no_institute(runner, db):
    make_institute(slug="banjara-data")
    result = create_user(runner, "admin@example.in", "--role", "admin", "--institute", "banjara-data")
    assert result.exit_code == 1
    assert "An admin does not belong to an institute" in result.output


def test_unknown_institute_is_refused(runner, db):
    result = create_user(runner, "staff@example.in", "--role", "institute", "--institute", "nowhere")
    assert result.exit_code == 1
    assert "No institute has the slug 'nowhere'; nothing created." in result.output
    assert users(db) == []


def test_duplicate_email_is_refused_in_any_case(runner, db):
    make_user(email="staff@example.in")
    result = create_user(runner, "STAFF@example.in", "--role", "admin")
    assert result.exit_code == 1
    assert "An account with the email staff@example.in already exists." in result.output
    assert len(users(db)) == 1


def test_short_password_is_refused(runner, db):
    result = create_user(runner, "admin@example.in", "--role", "admin", password="too short")
    assert result.exit_code == 1
    assert "Password not accepted: Use at least 12 characters." in result.output
    assert users(db) == []


def test_password_equal_to_the_email_is_refused(runner, db):
    result = create_user(runner, "admin@example.in", "--role", "admin", password="admin@example.in")
    assert result.exit_code == 1
    assert "Choose a password that is not your email address." in result.output


def test_mismatched_passwords_are_refused(runner, db):
    result = create_user(runner, "admin@example.in", "--role", "admin", again="a different passphrase")
    assert result.exit_code == 1
    assert "The two passwords do not match; nothing created." in result.output
    assert users(db) == []


def test_invalid_email_is_refused(runner, db):
    result = create_user(runner, "not-an-email", "--role", "admin")
    assert result.exit_code == 1
    assert "'not-an-email' is not an email address" in result.output


def test_unknown_role_is_refused(runner, db):
    result = create_user(runner, "someone@example.in", "--role", "learner")
    assert result.exit_code == 2
    assert "'learner' is not one of 'admin', 'institute'" in result.output


def test_approve_institute_approves_and_says_so(runner, db):
    institute = make_institute(name="Gachibowli AI Lab", slug="gachibowli-ai", status=InstituteStatus.PENDING)
    make_user(institute, email="staff@example.in")
    result = runner.invoke(args=["approve-institute", "gachibowli-ai"])
    assert result.exit_code == 0, result.output
    assert "Approved Gachibowli AI Lab (gachibowli-ai), which was pending" in result.output
    db.session.refresh(institute)
    assert institute.status == InstituteStatus.APPROVED
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "institute-approved"))
    assert message.to_email == "staff@example.in"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "institute-approve"))
    assert entry.changes == {"status": ["pending", "approved"]}


def test_approve_institute_twice_changes_nothing(runner, db):
    make_institute(name="Gachibowli AI Lab", slug="gachibowli-ai", status=InstituteStatus.PENDING)
    runner.invoke(args=["approve-institute", "gachibowli-ai"])
    result = runner.invoke(args=["approve-institute", "gachibowli-ai"])
    assert result.exit_code == 0
    assert "Gachibowli AI Lab (gachibowli-ai) is already approved; nothing changed." in result.output
    assert len(db.session.scalars(select(AuditEntry)).all()) == 1


def test_approve_unknown_institute_is_refused(runner, db):
    result = runner.invoke(args=["approve-institute", "nowhere"])
    assert result.exit_code == 1
    assert "No institute has the slug 'nowhere'." in result.output


# purge-personal-data, backup and restore


def closed_enquiry(days_ago: int):
    """An enquiry closed ``days_ago`` days ago, with the history that says so."""
    from datetime import timedelta

    from catalog.extensions import db
    from catalog.models import EnquiryEvent, EnquiryStatus
    from catalog.models.base import utcnow
    from tests.builders import make_course, make_enquiry

    when = utcnow() - timedelta(days=days_ago)
    enquiry = make_enquiry(make_course(), status=EnquiryStatus.CLOSED)
    enquiry.history = [
        EnquiryEvent(from_status=EnquiryStatus.NEW, to_status=EnquiryStatus.CLOSED, created_at=when)
    ]
    db.session.commit()
    return enquiry


def test_purge_personal_data_reports_how_many_enquiries_it_erased(runner, db):
    old, recent = closed_enquiry(400), closed_enquiry(30)
    result = runner.invoke(args=["purge-personal-data", "--older-than", "365d"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Erased the personal data of 1 enquiries that ended more than 365 days ago"
    )
    db.session.expire_all()
    assert old.email == "" and recent.email != ""


def test_purge_personal_data_accepts_a_bare_number_of_days(runner, db):
    closed_enquiry(40)
    result = runner.invoke(args=["purge-personal-data", "--older-than", "30"])
    assert "Erased the personal data of 1 enquiries" in result.output


def test_purge_personal_data_defaults_to_the_retention_setting(app, runner, db):
    app.config["PERSONAL_DATA_RETENTION_DAYS"] = 20
    closed_enquiry(25)
    result = runner.invoke(args=["purge-personal-data"])
    assert "Erased the personal data of 1 enquiries that ended more than 20 days ago" in result.output


def test_purge_personal_data_run_twice_erases_nothing_the_second_time(runner, db):
    closed_enquiry(400)
    runner.invoke(args=["purge-personal-data", "--older-than", "365d"])
    result = runner.invoke(args=["purge-personal-data", "--older-than", "365d"])
    assert result.exit_code == 0
    assert "Erased the personal data of 0 enquiries" in result.output


@pytest.mark.parametrize("value", ["a year", "-5d", "12w", ""])
def test_purge_personal_data_refuses_a_period_that_is_not_days(runner, db, value):
    result = runner.invoke(args=["purge-personal-data", "--older-than", value])
    assert result.exit_code == 2
    assert "give a number of days such as 365d" in result.output
    assert "Traceback" not in result.output


def test_backup_into_a_folder_that_does_not_exist_is_refused_clearly(runner, db, tmp_path):
    path = tmp_path / "missing" / "catalog.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 1
    assert f"Cannot write the backup to {path}: the folder {path.parent} does not exist." in result.output


def test_backup_onto_a_folder_is_refused_clearly(runner, db, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and str(tmp_path) in result.output


def test_backup_to_a_path_nobody_can_write_is_refused_clearly(runner, db):
    result = runner.invoke(args=["backup", "/proc/catalog.backup"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot write the backup to /proc/catalog.backup")


def test_restore_of_a_missing_file_is_refused_clearly(runner, db, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nothing.backup")])
    assert result.exit_code == 1
    assert f"There is no backup file at {tmp_path / 'nothing.backup'}." in result.output


def test_restore_of_a_file_that_is_no_backup_is_refused_and_changes_nothing(runner, db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    make_institute(name="Kept Institute")
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert "is not a backup of this catalog" in result.output
    assert [i.name for i in db.session.scalars(select(Institute))] == ["Kept Institute"]


def test_restore_of_a_backup_from_the_other_backend_is_refused(runner, db, tmp_path, backend_name):
    import sqlite3

    path = tmp_path / "other.backup"
    if backend_name == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00")
        expected = "is a PostgreSQL backup, but this catalog runs on SQLite"
    else:
        sqlite3.connect(path).execute("CREATE TABLE alembic_version (version_num TEXT)").connection.close()
        expected = "is a SQLite backup, but this catalog runs on PostgreSQL"
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert expected in result.output


def test_restore_of_a_sqlite_file_of_another_application_is_refused(runner, db, tmp_path, backend_name):
    import sqlite3

    if backend_name != "sqlite":
        pytest.skip("a SQLite file is refused on PostgreSQL for its kind already")
    path = tmp_path / "other-app.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE things (id INTEGER)").connection.close()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert "is a SQLite database, but not a backup of this catalog." in result.output


def test_backup_without_pg_dump_says_how_to_get_it(runner, db, tmp_path, backend_name, monkeypatch):
    if backend_name != "postgresql":
        pytest.skip("SQLite needs no outside program")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(args=["backup", str(tmp_path / "catalog.backup")])
    assert result.exit_code == 1
    assert "pg_dump was not found: install the PostgreSQL client tools" in result.output


def test_bulk_commands_run_free_of_the_request_statement_timeout(app, db, backend_name):
    from sqlalchemy import text

    from catalog.cli import without_statement_timeout

    if backend_name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")

    def show_timeout() -> str:
        return db.session.execute(text("SHOW statement_timeout")).scalar_one()

    db.session.rollback()
    assert show_timeout() == "3s"
    db.session.rollback()
    assert without_statement_timeout(show_timeout)() == "0"
