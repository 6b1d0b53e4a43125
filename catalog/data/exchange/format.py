"""The catalog's exchange format: what each kind of record holds, in JSON and in CSV.

One JSON document holds the whole catalog: ``format`` and ``format_version``, then a list per
kind of record (:data:`KINDS`), each ordered by its natural key, records referring to each
other by slug (an instructor by name, a campus by its area's slug), never by database id.
An institute holds its campuses and instructors, a course its modules. The CSV form is a zip
archive with one file per kind, nested lists as files of their own (:data:`PART_FILES`), and
``format.csv`` saying which format it is. ``docs/import-format.md`` documents every field.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_NAME = "hyderabad-mlops-catalog"
FORMAT_VERSION = 1

#: The lists of a document, in the order they are written and read (what a record refers to
#: comes before it).
KINDS = ("areas", "topics", "tools", "institutes", "courses", "batches", "events")

#: How a CSV cell reads: text (empty is ""), optional text (empty is null), a whole number, a
#: number, true/false, or a list of text values one a line.
TEXT, OPTIONAL, INTEGER, NUMBER, BOOLEAN, LIST = "text", "optional", "integer", "number", "boolean", "list"
#: Lists inside one CSV cell are written one item a line.
LIST_SEPARATOR = "\n"
#: A text cell a spreadsheet would run as a formula (or one that starts with the mark itself)
#: is written with this mark in front, and read without it.
TEXT_MARK = "'"


@dataclass(frozen=True)
class Column:
    """A field of a record: its name (``certification.name`` for a field of a nested mapping)
    and how its CSV cell reads."""

    name: str
    kind: str = TEXT


def _columns(spec: str) -> tuple[Column, ...]:
    """Columns written as ``name:kind`` words (a bare name is text)."""
    return tuple(Column(*word.split(":")) for word in spec.split())


#: The fields of each kind of record, in their CSV order.
FIELDS: dict[str, tuple[Column, ...]] = {
    "areas": _columns("slug name latitude:number longitude:number"),
    "topics": _columns("slug name description synonyms:list"),
    "tools": _columns("slug name category synonyms:list"),
    "institutes": _columns(
        "slug name description website:optional email:optional phone:optional founded_year:integer"
        " status verified:boolean partners:list"
    ),
    "campuses": _columns("area address"),
    "instructors": _columns("name years_experience:integer bio industry_background"),
    "courses": _columns(
        "slug institute title status summary description format level mode duration_days:integer"
        " total_hours:integer fee_inr:integer emi_available:boolean languages:list"
        " certification.name:optional certification.issuer:optional refund_policy"
        " placement_support:boolean placement.rate_percent:integer placement.year:integer"
        " placement.cohort_size:integer prerequisites topics:list tools:list campuses:list"
        " instructors:list syllabus_reviewed_on:optional"
    ),
    "modules": _columns("title hours:integer outline"),
    "batches": _columns(
        "course start_date schedule mode campus:optional seats_total:integer seats_left:integer status"
    ),
    "events": _columns(
        "slug title kind starts_at ends_at venue area organiser institute:optional fee_inr:integer"
        " url:optional topics:list description"
    ),
}

#: The lists nested in a record of a kind: (field, kind of its records, the field naming each
#: in messages).
PARTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "institutes": (("campuses", "campuses", "area"), ("instructors", "instructors", "name")),
    "courses": (("modules", "modules", "title"),),
}
#: The CSV file of each nested list, and the columns that tie a row to its record: the owner's
#: slug, and for ordered lists the row's position.
PART_FILES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "campuses": ("campuses.csv", _columns("institute")),
    "instructors": ("instructors.csv", _columns("institute")),
    "modules": ("course_modules.csv", _columns("course position:integer")),
}
#: The nested mappings of a kind, whose fields are ``name.field`` columns in CSV.
NESTED = {"courses": ("certification", "placement")}

#: The CSV archive's files: the format's name and version, then one file per kind.
FORMAT_FILE = "format.csv"
FORMAT_COLUMNS = _columns("format format_version:integer")
CSV_FILES = {f"{kind}.csv": kind for kind in KINDS}
ARCHIVE_FILES = (FORMAT_FILE, *CSV_FILES, *(name for name, _ in PART_FILES.values()))

#: The most a CSV archive may unpack to, as a multiple of the size allowed for the archive
#: itself (a zip bomb is refused by its headers, before anything is unpacked).
UNPACKED_FACTOR = 20


def field_names(kind: str) -> set[str]:
    """The top-level fields a record of ``kind`` may have in JSON (nested mappings by name)."""
    names = {column.name.partition(".")[0] for column in FIELDS[kind]}
    return names | {field for field, _kind, _label in PARTS.get(kind, ())}


def nested_field_names(kind: str, nested: str) -> set[str]:
    """The fields of the nested mapping ``nested`` of a record of ``kind``."""
    prefix = f"{nested}."
    return {column.name[len(prefix) :] for column in FIELDS[kind] if column.name.startswith(prefix)}
