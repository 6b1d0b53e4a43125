"""How every enum value of the catalog reads to people: one table, one ``label`` function.

Templates use it through the ``label`` filter; forms, facets and services call ``label``
directly. A value missing from the table reads as its value, capitalised, with hyphens kept
("fast-track" -> "Fast-track").
"""

from __future__ import annotations

import enum

from catalog.models.enquiries import ContactMethod, InvalidReason

LABELS: dict[enum.Enum, str] = {
    ContactMethod.EMAIL: "Email",
    ContactMethod.PHONE: "Phone call",
    ContactMethod.WHATSAPP: "WhatsApp",
    InvalidReason.WRONG_NUMBER: "Wrong number",
    InvalidReason.SPAM: "Spam",
    InvalidReason.DUPLICATE: "Duplicate",
}


def label(member: enum.Enum | None) -> str:
    """The enum value as people read it: ``Schedule.FAST_TRACK`` -> "Fast-track"."""
    if member is None:
        return ""
    if member in LABELS:
        return LABELS[member]
    value = str(member.value)
    return value[:1].upper() + value[1:]


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    """Every member of ``enum_cls`` as a ``(value, label)`` pair, in declaration order."""
    return [(member.value, label(member)) for member in enum_cls]
