"""Server-side sessions: started at sign-in, noted while in use, ended on sign-out, on a
password change or reset, and when a user is deactivated.

The browser holds a random id (in Flask's signed cookie session); the table holds only its
SHA-256 hash, so a copy of the database opens no session.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from catalog.models import User, UserSession
from catalog.models.accounts import USER_AGENT_MAX
from catalog.models.base import utcnow
from catalog.services.transactions import one_write
from catalog.tokens import hash_token, new_token

#: A session's last use is written at most this often, not on every request.
SEEN_EVERY = timedelta(minutes=1)


def open_session(session: Session, user: User, user_agent: str = "") -> str:
    """Add a session for ``user`` to the caller's transaction; returns the id for the cookie."""
    token = new_token()
    agent = user_agent[:USER_AGENT_MAX]
    session.add(UserSession(token_hash=hash_token(token), user_id=user.id, user_agent=agent))
    return token


def start_session(session: Session, user: User, user_agent: str = "") -> str:
    """Record a new session of ``user`` and return its id (shown once, stored only as a hash)."""
    with one_write(session):
        token = open_session(session, user, user_agent)
    return token


def note_session_seen(session: Session, record: UserSession, now: datetime) -> None:
    """Move a session's last use to ``now`` when it was last noted over a minute ago.

    The update runs in a transaction of its own, so it never commits (or waits for) whatever
    the request itself has not finished writing.
    """
    if now - record.last_seen_at < SEEN_EVERY:
        return
    with Session(session.get_bind()) as own, own.begin():
        own.execute(update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now))
    set_committed_value(record, "last_seen_at", now)


def end_session(session: Session, token: str) -> bool:
    """End the session ``token`` names (signing out); False when it had already ended."""
    with one_write(session):
        ended = session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    return ended.rowcount == 1


def close_sessions(session: Session, user: User, keep_token: str | None = None) -> int:
    """End every live session of ``user`` but the one ``keep_token`` names, in the caller's
    transaction; returns how many ended."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_token is not None:
        statement = statement.where(UserSession.token_hash != hash_token(keep_token))
    return session.execute(statement.values(ended_at=utcnow())).rowcount
