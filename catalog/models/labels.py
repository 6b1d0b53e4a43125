"""How every enum value of the catalog reads to people: one table, one ``label`` function.

Templates use it through the ``label`` filter; forms, facets and services call ``label``
directly. A value missing from the table reads as its value, capitalised, with hyphens kept
("fast-track" -> "Fast-track").
"""

from __future__ import annotations

import enum

from catalog.models.accounts import Role
from catalog.models.enquiries import ContactMethod, InvalidReason
from catalog.models.reports import ReportReason, ReportStatus

#: (member, label) pairs; kept as pairs, because members of two enums can share a value
#: (``EnquiryStatus.NEW`` and ``ReportStatus.NEW`` are both "new") and would collide as keys.
_PAIRS: list[tuple[enum.Enum, str]] = [
    (Role.ADMIN, "Admin"),
    (Role.INSTITUTE, "Institute staff"),
    (ContactMethod.EMAIL, "Email"),
    (ContactMethod.PHONE, "Phone call"),
    (ContactMethod.WHATSAPP, "WhatsApp"),
    (InvalidReason.WRONG_NUMBER, "Wrong number"),
    (InvalidReason.SPAM, "Spam"),
    (InvalidReason.DUPLICATE, "Duplicate"),
    (ReportReason.WRONG_FEE, "The fee is wrong"),
    (ReportReason.BATCH_NOT_RUNNING, "A batch is not running"),
    (ReportReason.MISLEADING_CLAIM, "A misleading claim"),
    (ReportReason.OTHER, "Something else"),
    (ReportStatus.NEW, "Waiting"),
    (ReportStatus.RESOLVED, "Resolved"),
    (ReportStatus.DISMISSED, "Dismissed"),
]
#: Keyed by the member's enum and value, so each enum's members read as its own.
LABELS: dict[tuple[type[enum.Enum], object], str] = {
    (type(member), member.value): text for member, text in _PAIRS
}


def label(member: enum.Enum | None) -> str:
    """The enum value as people read it: ``Schedule.FAST_TRACK`` -> "Fast-track"."""
    if member is None:
        return ""
    key = (type(member), member.value)
    if key in LABELS:
        return LABELS[key]
    value = str(member.value)
    return value[:1].upper() + value[1:]


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    """Every member of ``enum_cls`` as a ``(value, label)`` pair, in declaration order."""
    return [(member.value, label(member)) for member in enum_cls]
