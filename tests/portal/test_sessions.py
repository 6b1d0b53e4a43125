"""Server-side sessions as a browser meets them: the cookie names a session the server can end,
and an ended, idle or too old session opens nothing, from any browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from catalog.models import UserSession
from catalog.models.base import utcnow
from catalog.tokens import hash_token
from tests.builders import TEST_PASSWORD, make_institute, make_user
from tests.helpers import count_queries, csrf_token


@pytest.fixture
def staff(db):
    return make_user(make_institute(), email="staff@example.in")


def sign_in(client, email: str = "staff@example.in", password: str = TEST_PASSWORD, **kwargs):
    data = {"csrf_token": csrf_token(client, "/portal/login"), "email": email, "password": password}
    return client.post("/portal/login", data=data, **kwargs)


def sign_out(client):
    return client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/")})


def opens_the_portal(client) -> bool:
    return client.get("/portal/password").status_code == 200


def session_id(client) -> str:
    with client.session_transaction() as session:
        return session["_user_id"]


def record_of(db, client) -> UserSession:
    token_hash = hash_token(session_id(client))
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))


def session_updates(statements: list[str]) -> list[str]:
    """The statements among ``statements`` that write to the sessions table."""
    return [s for s in statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")]


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def age(db, client, **moved_back) -> None:
    """Move the client's session back in time: ``created`` and ``last_seen`` as timedeltas."""
    record = record_of(db, client)
    values = {f"{name}_at": getattr(record, f"{name}_at") - delta for name, delta in moved_back.items()}
    db.session.execute(update(UserSession).where(UserSession.id == record.id).values(**values))
    db.session.commit()


def test_sign_in_records_a_session_whose_id_the_cookie_holds_and_the_table_only_hashes(client, db, staff):
    sign_in(client, headers={"User-Agent": "Firefox/" + "9" * 300})
    token = session_id(client)
    record = db.session.scalar(select(UserSession))
    assert record.user_id == staff.id and record.ended_at is None
    assert record.token_hash == hash_token(token) and token not in record.token_hash
    assert str(staff.id) != token and len(token) >= 32
    assert record.user_agent.startswith("Firefox/") and len(record.user_agent) == 200


def test_each_sign_in_starts_a_session_of_its_own(app, client, db, staff):
    sign_in(client)
    sign_in(app.test_client())
    assert len(db.session.scalars(select(UserSession)).all()) == 2


def test_a_session_cookie_copied_before_sign_out_is_refused_afterwards(app, client, db, staff):
    sign_in(client)
    copy = copy_of(app, client)
    assert opens_the_portal(copy)
    sign_out(client)
    assert not opens_the_portal(copy)
    assert db.session.scalar(select(UserSession)).ended_at is not None


def test_signing_out_ends_only_that_browsers_session(app, client, staff):
    other = app.test_client()
    sign_in(other)
    sign_in(client)
    sign_out(client)
    assert opens_the_portal(other)


def test_a_made_up_session_id_opens_nothing(client, staff):
    with client.session_transaction() as session:
        session["_user_id"] = "made-up"
    assert client.get("/portal/password").headers["Location"].startswith("/portal/login")


@pytest.mark.parametrize(
    ("settings", "moved_back", "opens"),
    [
        pytest.param({}, {"last_seen": timedelta(minutes=121)}, False, id="an-idle-session-is-refused"),
        pytest.param(
            {},
            {"last_seen": timedelta(minutes=119)},
            True,
            id="a-session-in-use-stays-open-within-the-idle-time",
        ),
        pytest.param(
            {"SESSION_IDLE_MINUTES": 5},
            {"last_seen": timedelta(minutes=6)},
            False,
            id="the-idle-time-follows-its-setting",
        ),
        pytest.param(
            {},
            {"created": timedelta(hours=12, minutes=1)},
            False,
            id="a-session-older-than-its-lifetime-is-refused-though-in-use",
        ),
        pytest.param(
            {"SESSION_LIFETIME_HOURS": 1},
            {"created": timedelta(minutes=61)},
            False,
            id="the-lifetime-follows-its-setting",
        ),
    ],
)
def test_a_session_opens_the_portal_only_within_its_idle_time_and_lifetime(
    app, client, db, staff, settings, moved_back, opens
):
    app.config.update(settings)
    sign_in(client)
    age(db, client, **moved_back)
    assert opens_the_portal(client) is opens


def test_use_moves_the_idle_time_on(client, db, staff):
    sign_in(client)
    age(db, client, last_seen=timedelta(minutes=90))
    assert opens_the_portal(client)
    db.session.expire_all()
    assert record_of(db, client).last_seen_at > utcnow() - timedelta(minutes=1)


def test_last_use_is_written_at_most_once_a_minute(client, db, staff):
    sign_in(client)
    with count_queries(db) as statements:
        for _ in range(3):
            assert opens_the_portal(client)
    assert not session_updates(statements)


def test_last_use_is_written_again_after_a_minute(client, db, staff):
    sign_in(client)
    age(db, client, last_seen=timedelta(seconds=61))
    with count_queries(db) as statements:
        opens_the_portal(client)
        opens_the_portal(client)
    assert len(session_updates(statements)) == 1


def test_static_files_never_touch_the_database_even_when_signed_in(client, db, staff):
    sign_in(client)
    with count_queries(db) as statements:
        response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert statements == []


def test_an_inactive_users_session_is_refused(client, db, staff):
    sign_in(client)
    staff.active = False
    db.session.commit()
    assert not opens_the_portal(client)


def test_deactivation_from_the_command_line_signs_the_user_out_everywhere(app, client, runner, staff):
    other = app.test_client()
    sign_in(other)
    sign_in(client)
    result = runner.invoke(args=["deactivate-user", "Staff@Example.in"])
    assert result.exit_code == 0, result.output
    assert "Deactivated staff@example.in; 2 session(s) ended." in result.output
    assert not opens_the_portal(client) and not opens_the_portal(other)
    assert sign_in(client).status_code == 200


def test_deactivating_an_unknown_email_says_so(runner):
    result = runner.invoke(args=["deactivate-user", "nobody@example.in"])
    assert result.exit_code != 0
    assert "No account has the email nobody@example.in; nothing changed." in result.output


def test_deactivating_an_inactive_account_changes_nothing(runner, db):
    make_user(email="gone@example.in", active=False)
    result = runner.invoke(args=["deactivate-user", "gone@example.in"])
    assert result.exit_code == 0
    assert "gone@example.in is already deactivated; nothing changed." in result.output
