"""Declarative base with a constraint naming convention, and shared column helpers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; its metadata names constraints so migrations stay stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (what every timestamp column stores)."""
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum], constraint_name: str | None = None, **kwargs):
    """A VARCHAR column limited to the enum's values by a CHECK constraint on every backend.

    ``constraint_name`` tells apart two columns of one table that share an enum.
    """
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [m.value for m in members],
            name=constraint_name or enum_cls.__name__.lower(),
            validate_strings=True,
        ),
        **kwargs,
    )


class UTCDateTime(TypeDecorator):
    """An aware datetime stored in UTC on every backend, read back as aware UTC.

    SQLite keeps no offset, so an aware value in another zone would be read back as if it were
    UTC; converting on the way in keeps every backend alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; give a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def timestamp_column(**kwargs):
    """A timestamp column defaulting to now (UTC)."""
    return mapped_column(UTCDateTime(), default=utcnow, **kwargs)
