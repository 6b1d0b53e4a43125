"""Staff and admin accounts, their server-side sessions, and single-use password-reset tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.base import Base, UTCDateTime, enum_column, timestamp_column
from catalog.models.catalog import Institute

#: A session keeps this much of the browser's User-Agent, to tell a user's devices apart.
USER_AGENT_MAX = 200


class Role(enum.StrEnum):
    INSTITUTE = "institute"
    ADMIN = "admin"


class User(Base):
    """Someone who signs in: institute staff (bound to one institute) or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(160), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = enum_column(Role)
    institute_id: Mapped[int | None] = mapped_column(ForeignKey("institutes.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: Changes whenever the password does; device cookies carry it, so a device that signed in
    #: with an older password is no longer trusted to skip the sign-in limits.
    session_stamp: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = timestamp_column()
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institute: Mapped[Institute | None] = relationship()

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        # Flask-Login's cookie names a server-side session, not the account, and the record does
        # not know which of its sessions a request uses: ``catalog.security.log_in`` writes that
        # id and ``current_session_id`` reads it.
        return None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def may_use_portal(self) -> bool:
        """True for staff of an approved institute: the people the institute portal is for."""
        return self.role == Role.INSTITUTE and self.institute is not None and self.institute.is_public


class PasswordResetToken(Base):
    """A reset link's token, stored only as a hash; it expires and works once."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = timestamp_column()

    user: Mapped[User] = relationship()


class UserSession(Base):
    """One signed-in browser: its cookie holds a random id, this table only the id's hash.

    A session ends when its user signs out, changes or resets the password, or is deactivated,
    and is refused once idle or old for longer than the settings allow (see
    ``queries.accounts.find_live_session``).
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX), default="")
    created_at: Mapped[datetime] = timestamp_column()
    last_seen_at: Mapped[datetime] = timestamp_column()
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
