"""The account commands: ``create-user`` and ``approve-institute``."""

from __future__ import annotations

from sqlalchemy import select

from catalog.models import AuditEntry, InstituteStatus, OutboxMessage, Role, User
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
