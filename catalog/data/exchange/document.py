"""An exchange file read into records: the records of a JSON document (labelled by their path)
and of CSV files (labelled by their line), each noting its problems in the document's list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog.data.exchange.format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    KINDS,
    NESTED,
    PARTS,
    field_names,
    nested_field_names,
)
from catalog.data.records import DataError, Record


class ExchangeRecord(Record):
    """A record of an exchange file: of a kind (``courses``), with its nested lists (an
    institute's campuses) as records of their own, by field."""

    kind = ""

    def __init__(self, source, label, data, problems=None, prefix=""):
        super().__init__(source, label, data, problems, prefix)
        self.parts: dict[str, list[Record]] = {}


class PathRecord(ExchangeRecord):
    """A record of a JSON document, labelled by its path (``courses[3]``; lists count from 0)."""

    first_index = 0

    def locate(self, field: str | None) -> str:
        return self.label if field is None else f"{self.label}.{field}"

    def child(self, field: str, data: Any, index: int | None = None, name: Any = None) -> Record:
        label = f"{self.label}.{field}" + ("" if index is None else f"[{index}]")
        return PathRecord(self.source, label, data, self.problems)


class RowRecord(ExchangeRecord):
    """A row of a CSV file, labelled by its line (``line 7``); a nested mapping's fields are
    columns of the same row (``certification.name``)."""

    def locate(self, field: str | None) -> str:
        return self.label if field is None else f"{self.label}, {field}"

    def child(self, field: str, data: Any, index: int | None = None, name: Any = None) -> Record:
        return RowRecord(self.source, self.label, data, self.problems, f"{self.prefix}{field}.")


@dataclass
class Document:
    """An exchange file as records of each kind, with every problem found reading it."""

    source: str
    file_format: str
    records: dict[str, list[Record]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    problems: list[DataError] = field(default_factory=list)
    #: False once a problem of the file itself lost records (or says it is not this format):
    #: then its records are not checked against each other, which would only echo that loss.
    readable: bool = True

    def problem(self, source: str, where: str, reason: str, field_name: str | None = None) -> None:
        """Note a problem of the file itself (not of one record's field)."""
        place = f"{where}, {field_name}" if field_name else where
        message = f"{source}: {place}: {reason}" if place else f"{source}: {reason}"
        self.problems.append(DataError(message, source, where, field_name, reason))
        self.readable = False


def as_document(record: Record, parts: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record's fields as the export writes them, with the nested lists named in ``parts``."""
    nested = {name for name, _kind, _label in PARTS.get(record.kind, ())}
    values = {name: value for name, value in record.data.items() if name not in nested}
    for name in parts:
        values[name] = [dict(part.data) for part in record.parts.get(name, [])]
    return values


def new_record(document: Document, cls, source: str, label: str, kind: str, data: Any) -> Record:
    """A record of ``kind`` noting its problems in ``document``, refusing fields the kind has not."""
    record = cls(source, label, data, document.problems)
    record.kind = kind
    for name in record.data:
        if name not in field_names(kind):
            record.refuse(name, "is not a field of this kind of record")
    for name in NESTED.get(kind, ()):
        value = record.data.get(name)
        if isinstance(value, dict):
            for key in value:
                if key not in nested_field_names(kind, name):
                    record.refuse(f"{name}.{key}", "is not a field of this kind of record")
    return record


def check_format(document: Document, source: str, where: str, content: dict) -> None:
    """Refuse a file that does not say it holds this format, in this version."""
    if content.get("format") != FORMAT_NAME:
        reason = f"must be {FORMAT_NAME!r}: is this a catalog export?"
        document.problem(source, where, reason, "format")
    version = content.get("format_version")
    if version != FORMAT_VERSION:
        reason = f"is {version!r}; this catalog reads version {FORMAT_VERSION}"
        document.problem(source, where, reason, "format_version")
