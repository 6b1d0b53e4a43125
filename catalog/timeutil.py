"""Dates and times as learners in Hyderabad see them (stored in UTC, shown in Asia/Kolkata)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Kolkata")


def local_today() -> date:
    """Today's date in Hyderabad."""
    return datetime.now(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    """An aware (or naive UTC) datetime converted to Asia/Kolkata."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)
