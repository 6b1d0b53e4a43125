"""Recording changes in the audit log, in the same transaction as the change itself."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from catalog.models import AuditEntry, User


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(record, fields: list[str]) -> dict[str, Any]:
    """The named fields of a record as JSON-ready values (for "before" and "after")."""
    values = {}
    for name in fields:
        value = getattr(record, name)
        if isinstance(value, list) and value and hasattr(value[0], "slug"):
            value = sorted(item.slug for item in value)
        elif isinstance(value, list) and value and hasattr(value[0], "name"):
            value = sorted(item.name for item in value)
        values[name] = _plain(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record_change(
    session: Session,
    user: User | None,
    action: str,
    record,
    changes: dict[str, list[Any]] | None = None,
    summary: str = "",
    institute_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry for ``record`` (flushing first so a new record has its id)."""
    session.flush()
    entry = AuditEntry(
        user_id=user.id if user is not None and getattr(user, "id", None) else None,
        institute_id=institute_id if institute_id is not None else getattr(record, "institute_id", None),
        action=action,
        record_type=inspect(record).mapper.class_.__name__,
        record_id=getattr(record, "id", None),
        summary=summary[:300],
        changes=changes or {},
    )
    session.add(entry)
    return entry


def audit_change(
    session: Session,
    actor: User | None,
    action: str,
    record,
    before: dict[str, Any],
    after: dict[str, Any],
    summary: str,
    institute_id: int | None = None,
) -> AuditEntry:
    """Add the audit entry of a change: who (None: the catalog's own tools, such as the seed),
    what, which record, and each field that changed with its value before and after."""
    return record_change(
        session, actor, action, record, diff(before, after), summary=summary, institute_id=institute_id
    )
