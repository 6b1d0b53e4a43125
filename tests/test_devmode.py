"""Development conveniences of ``make run``: queued emails printed, a demo staff sign-in printed;
neither in production nor in tests."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from catalog.devmode import DEMO_STAFF_EMAIL, init_devmode, is_development
from catalog.emails import Email
from catalog.models import OutboxMessage, Role, User
from catalog.services.accounts import authenticate, request_password_reset
from catalog.services.outbox import queue_email
from tests.builders import make_course, make_institute, make_user


@pytest.fixture
def development(app):
    """The test app as ``make run`` starts it: CATALOG_ENV=development, not testing."""
    app.config.update(CATALOG_ENV="development", TESTING=False)
    init_devmode(app)
    return app


@pytest.fixture
def production(app):
    app.config.update(CATALOG_ENV="production", TESTING=False)
    init_devmode(app)
    return app


def printed_password(output: str) -> str:
    return re.search(r"password: (\S+)", output).group(1)


def test_development_means_the_development_environment_outside_tests(app):
    assert not is_development(app)
    app.config.update(TESTING=False)
    assert is_development(app)
    app.config.update(CATALOG_ENV="production")
    assert not is_development(app)


def test_in_development_a_queued_email_is_printed_when_it_commits(development, db, capsys):
    user = make_user(make_institute(), email="staff@example.in")
    capsys.readouterr()
    request_password_reset(db.session, user.email)
    printed = capsys.readouterr().out
    assert "To: staff@example.in" in printed
    assert "Subject: " in printed and "/portal/password/reset/" in printed


def test_in_development_an_email_rolled_back_is_not_printed(development, db, capsys):
    queue_email(db.session, "note", "learner@example.in", Email("Never sent", "Body"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert "Never sent" not in capsys.readouterr().out
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_in_production_queued_emails_are_not_printed(production, db, capsys):
    queue_email(db.session, "note", "learner@example.in", Email("Quiet subject", "Body"))
    db.session.commit()
    assert "Quiet subject" not in capsys.readouterr().out


def test_in_tests_queued_emails_are_not_printed(app, db, capsys):
    init_devmode(app)
    queue_email(db.session, "note", "learner@example.in", Email("Quiet subject", "Body"))
    db.session.commit()
    assert "Quiet subject" not in capsys.readouterr().out


def test_demo_staff_prints_a_sign_in_of_the_busiest_institute_that_works(development, runner, db):
    make_course(institute=make_institute(name="Quiet Academy"))
    busy = make_institute(name="Busy Academy")
    make_course(institute=busy)
    make_course(institute=busy)
    result = runner.invoke(args=["demo-staff"])
    assert result.exit_code == 0, result.output
    assert "Busy Academy" in result.output and DEMO_STAFF_EMAIL in result.output
    assert "/portal/login" in result.output
    user = authenticate(db.session, DEMO_STAFF_EMAIL, printed_password(result.output))
    assert user is not None and user.role == Role.INSTITUTE and user.institute_id == busy.id


def test_demo_staff_again_resets_the_password(development, runner, db):
    make_course()
    first = printed_password(runner.invoke(args=["demo-staff"]).output)
    second = printed_password(runner.invoke(args=["demo-staff"]).output)
    assert first != second
    assert authenticate(db.session, DEMO_STAFF_EMAIL, first) is None
    assert authenticate(db.session, DEMO_STAFF_EMAIL, second) is not None
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_staff_on_an_unseeded_catalog_says_to_seed_first(development, runner, db):
    result = runner.invoke(args=["demo-staff"])
    assert result.exit_code == 1 and "seed the catalog first" in result.output


def test_demo_staff_is_refused_in_production(production, runner, db):
    make_course()
    result = runner.invoke(args=["demo-staff"])
    assert result.exit_code == 1 and "development only" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_staff_is_refused_in_tests(runner, db):
    make_course()
    result = runner.invoke(args=["demo-staff"])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(User.id))) == 0
