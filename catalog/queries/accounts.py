"""Reads about accounts: users by email, live sessions, reset links, and what an institute's
sign-up looks up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from catalog.models import Area, Institute, PasswordResetToken, Role, User, UserSession
from catalog.models.base import utcnow
from catalog.models.contacts import normalise_email
from catalog.tokens import hash_token


def find_user_by_email(session: Session, email: str) -> User | None:
    """The account with this email address (compared in its normalised form), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def email_taken(session: Session, email: str) -> bool:
    """True when an account already uses this email address."""
    return find_user_by_email(session, email) is not None


def find_live_session(
    session: Session, token: str, now: datetime, idle: timedelta, lifetime: timedelta
) -> UserSession | None:
    """The session ``token`` names, with its user, while it may still be used at ``now``.

    It may not once ended, unused for ``idle`` or older than ``lifetime``, nor when its user
    is no longer active.
    """
    record = session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == hash_token(token))
        .options(joinedload(UserSession.user))
    )
    if record is None or record.ended_at is not None or not record.user.active:
        return None
    if record.last_seen_at + idle <= now or record.created_at + lifetime <= now:
        return None
    return record


def find_reset_token(session: Session, token: str) -> PasswordResetToken | None:
    """The unused, unexpired reset token of an active account that ``token`` names, if any."""
    record = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    )
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        return None
    if not record.user.active:
        return None
    return record


def find_institute(session: Session, slug: str) -> Institute | None:
    """The institute with this slug whatever its status, if any."""
    return session.scalar(select(Institute).where(Institute.slug == slug))


def active_staff(session: Session, institute_id: int) -> list[User]:
    """The active accounts of an institute's staff."""
    return list(session.scalars(select(User).where(User.institute_id == institute_id, User.active.is_(True))))


def area_by_slug(session: Session, slug: str) -> Area | None:
    """The area with this slug, if any."""
    return session.scalar(select(Area).where(Area.slug == slug))


@dataclass(frozen=True)
class UserFilters:
    """What the admins' list of accounts is narrowed to: part of the email, role, active or not."""

    email: str = ""
    role: Role | None = None
    active: bool | None = None


def admin_users_query(filters: UserFilters) -> Select:
    """Every account matching ``filters``, by email, with its institute (for ``db.paginate``)."""
    stmt = select(User).options(joinedload(User.institute)).order_by(User.email, User.id)
    if filters.email:
        stmt = stmt.where(User.email.icontains(filters.email.strip(), autoescape=True))
    if filters.role is not None:
        stmt = stmt.where(User.role == filters.role)
    if filters.active is not None:
        stmt = stmt.where(User.active.is_(filters.active))
    return stmt


def institute_choices(session: Session) -> list[tuple[int, str]]:
    """``(id, name)`` of every institute, by name, for choosing where a staff member works."""
    rows = session.execute(select(Institute.id, Institute.name).order_by(Institute.name))
    return [(institute_id, name) for institute_id, name in rows]
