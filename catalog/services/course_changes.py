"""A course save as a plain command: :class:`CourseChanges`, and its stored form.

The portal, the seed, the importer and the admin area all describe a listing with
``CourseChanges``. A published listing's edit that waits for review is kept, as
:func:`encode_changes` writes it, in ``Course.held_changes`` until an admin approves it
(:func:`decode_changes` reads it back), so the live listing stays as it was approved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from catalog.models import CourseFormat, Level, Mode

SCALAR_FIELDS = [
    "title", "slug", "summary", "description", "format", "level", "duration_days", "total_hours",
    "fee_inr", "emi_available", "mode", "certification_name", "certification_issuer", "refund_policy",
    "placement_support", "placement_rate", "placement_year", "placement_cohort_size", "prerequisites",
    "syllabus_reviewed_on",
]  # fmt: skip
PLACEMENT_FIGURES = ("placement_rate", "placement_year", "placement_cohort_size")


@dataclass(frozen=True)
class ModuleRow:
    """One part of the syllabus; rows keep the order they are given in."""

    title: str
    hours: int = 0
    outline: str = ""


@dataclass(frozen=True)
class CourseChanges:
    """Everything a course listing says. ``topics`` and ``tools`` are ids from the vocabulary,
    ``campuses`` and ``instructors`` ids of the institute's own; ``publish`` asks for the catalog
    (False saves a draft); ``version`` is the one the change was prepared from (needed to edit);
    ``slug`` is made from the title when None."""

    title: str
    summary: str
    format: CourseFormat
    level: Level
    mode: Mode
    duration_days: int
    total_hours: int
    fee_inr: int
    refund_policy: str
    languages: tuple[str, ...]
    description: str = ""
    emi_available: bool = False
    certification_name: str | None = None
    certification_issuer: str | None = None
    placement_support: bool = False
    placement_rate: int | None = None
    placement_year: int | None = None
    placement_cohort_size: int | None = None
    prerequisites: str = ""
    syllabus_reviewed_on: date | None = None
    topics: tuple[int, ...] = ()
    tools: tuple[int, ...] = ()
    campuses: tuple[int, ...] = ()
    instructors: tuple[int, ...] = ()
    modules: tuple[ModuleRow, ...] = ()
    slug: str | None = None
    publish: bool = False
    version: int | None = None


_ENUMS = {"format": CourseFormat, "level": Level, "mode": Mode}
_ID_LISTS = ("topics", "tools", "campuses", "instructors")


def encode_changes(changes: CourseChanges) -> dict[str, Any]:
    """The changes as JSON-ready values (enums by value, dates in ISO form)."""
    values = asdict(changes)
    for name in _ENUMS:
        values[name] = values[name].value
    if changes.syllabus_reviewed_on is not None:
        values["syllabus_reviewed_on"] = changes.syllabus_reviewed_on.isoformat()
    values["languages"] = list(changes.languages)
    for name in _ID_LISTS:
        values[name] = list(values[name])
    values["modules"] = [asdict(row) for row in changes.modules]
    return values


def decode_changes(values: dict[str, Any]) -> CourseChanges:
    """The changes :func:`encode_changes` stored; fields it does not know are left out."""
    known = {f.name for f in fields(CourseChanges)}
    data = {name: value for name, value in values.items() if name in known}
    for name, enum_type in _ENUMS.items():
        data[name] = enum_type(data[name])
    if data.get("syllabus_reviewed_on"):
        data["syllabus_reviewed_on"] = date.fromisoformat(data["syllabus_reviewed_on"])
    for name in ("languages", *_ID_LISTS):
        data[name] = tuple(data.get(name, ()))
    data["modules"] = tuple(ModuleRow(**row) for row in data.get("modules", ()))
    return CourseChanges(**data)
