"""Checked reading of one record of a data file, with errors that name file, record and field.

A record reads its fields one by one, each checked for type and range. By default the first
wrong value raises a :class:`DataError` (the seed stops there); a record given a ``problems``
list notes each wrong value there instead and goes on with a placeholder (None, or an empty
list), so an importer can report every problem of a file at once and write nothing.
"""

from __future__ import annotations

import enum
import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from catalog.services.slugs import is_slug


class DataError(ValueError):
    """A data file holds a value the catalog cannot accept: in which file (``source``), which
    record (``where``) and field, and why (``reason``)."""

    def __init__(
        self, message: str, source: str = "", where: str = "", field: str | None = None, reason: str = ""
    ) -> None:
        super().__init__(message)
        self.source = source
        self.where = where
        self.field = field
        self.reason = reason or message


#: A date as data files write it: ``2025-07-01``.
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: libyaml's safe loader where it is installed: the same documents, read several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    """The contents of a YAML file, or a DataError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=SAFE_LOADER)  # nosec B506 # SAFE_LOADER is a safe loader
    except (OSError, yaml.YAMLError) as error:
        raise DataError(f"{path}: cannot be read as YAML: {error}") from None


def read_list(path: Path, label_field: str) -> list[Record]:
    """The records of a YAML file holding a list, each labelled by its place and ``label_field``."""
    items = read_yaml(path)
    if not isinstance(items, list):
        raise DataError(f"{path}: must hold a list of records")
    return [
        Record(
            str(path),
            f"record {index}" + (f" {item.get(label_field)!r}" if isinstance(item, dict) else ""),
            item,
        )
        for index, item in enumerate(items, 1)
    ]


class Record:
    """One mapping from a data file, read field by field with type and range checks."""

    #: The number of a list's first item in the labels of its records (``courses[1]``).
    first_index = 1

    def __init__(
        self, source: str, label: str, data: Any, problems: list[DataError] | None = None, prefix: str = ""
    ):
        self.source = source
        self.label = label
        self.problems = problems
        #: Put before every field name in messages: ``certification.`` for a nested mapping
        #: whose fields are columns of the same row.
        self.prefix = prefix
        if not isinstance(data, dict):
            self.refuse(None, f"must be a mapping of fields, not {type(data).__name__}")
            data = {}
        self.data = data

    def locate(self, field: str | None) -> str:
        """Where ``field`` of this record is, as a message names it."""
        return self.label if field is None else f"{self.label}: field '{field}'"

    def error(self, field: str | None, message: str) -> DataError:
        """The error saying ``field`` (None: the whole record) is wrong, and why."""
        name = None if field is None else self.prefix + field
        return DataError(
            f"{self.source}: {self.locate(name)}: {message}", self.source, self.label, name, message
        )

    def refuse(self, field: str | None, message: str, placeholder: Any = None) -> Any:
        """Raise the error for ``field``; a record collecting its problems notes it instead and
        returns ``placeholder`` in place of the value."""
        error = self.error(field, message)
        if self.problems is None:
            raise error
        self.problems.append(error)
        return placeholder

    def child(self, field: str, data: Any, index: int | None = None, name: Any = None) -> Record:
        """The record nested in ``field`` (its item ``index`` when the field holds a list),
        labelled with its ``name`` when it has one."""
        label = f"{self.label} > {field}" + ("" if index is None else f"[{index}]")
        return type(self)(self.source, label + (f" {name!r}" if name else ""), data, self.problems)

    def _get(self, field: str, required: bool):
        value = self.data.get(field)
        if value is None and required:
            return self.refuse(field, "is required")
        return value

    def text(self, field: str, max_length: int = 10_000, required: bool = True) -> str | None:
        value = self._get(field, required)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            return self.refuse(field, "must be non-empty text")
        if len(value) > max_length:
            return self.refuse(field, f"must be at most {max_length} characters")
        return value.strip()

    def url(self, field: str, required: bool = False) -> str | None:
        value = self.text(field, 300, required=required)
        if value is not None and not value.startswith(("https://", "http://")):
            return self.refuse(field, f"{value!r} is not a web address starting with https://")
        return value

    def slug(self, field: str = "slug") -> str:
        value = self.text(field, 200)
        if value is not None and not is_slug(value):
            return self.refuse(field, f"{value!r} is not a slug (lower-case letters, digits, hyphens)")
        return value

    def integer(
        self, field: str, minimum: int | None = None, maximum: int | None = None, required: bool = True
    ) -> int | None:
        value = self._get(field, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return self.refuse(field, f"must be a whole number, not {value!r}")
        if minimum is not None and value < minimum:
            return self.refuse(field, f"must be at least {minimum}, not {value}")
        if maximum is not None and value > maximum:
            return self.refuse(field, f"must be at most {maximum}, not {value}")
        return value

    def number(self, field: str, required: bool = True) -> float | None:
        value = self._get(field, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return self.refuse(field, f"must be a number, not {value!r}")
        return float(value)

    def boolean(self, field: str, default: bool | None = None) -> bool:
        value = self.data.get(field, default)
        if not isinstance(value, bool):
            return self.refuse(field, "must be true or false")
        return value

    def choice(self, field: str, enum_cls: type[enum.Enum]):
        value = self._get(field, True)
        if value is None:
            return None
        try:
            return enum_cls(value)
        except ValueError:
            pass
        allowed = ", ".join(m.value for m in enum_cls)
        return self.refuse(field, f"{value!r} is not one of: {allowed}")

    def strings(self, field: str, required: bool = True) -> list[str]:
        value = self.data.get(field)
        if value is None:
            if required:
                return self.refuse(field, "is required", [])
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return self.refuse(field, "must be a list of text values", [])
        return [v.strip() for v in value]

    def records(self, field: str, label_field: str, required: bool = False) -> list[Record]:
        value = self.data.get(field)
        if value is None:
            if required:
                return self.refuse(field, "is required", [])
            return []
        if not isinstance(value, list):
            return self.refuse(field, "must be a list", [])
        return [
            self.child(field, item, index, item.get(label_field) if isinstance(item, dict) else None)
            for index, item in enumerate(value, self.first_index)
        ]

    def reference(self, field: str, known: dict[str, Any], what: str, required: bool = True):
        value = self._get(field, required)
        if value is None:
            return None
        if not isinstance(value, str) or value not in known:
            return self.refuse(field, f"unknown {what} {value!r}")
        return known[value]

    def references(self, field: str, known: dict[str, Any], what: str) -> list[Any]:
        found = []
        for value in self.strings(field, required=False):
            if value not in known:
                self.refuse(field, f"unknown {what} {value!r}")
                continue
            found.append(known[value])
        return found

    def day(self, field: str, required: bool = True) -> date | None:
        """A date written as ``2025-07-01``."""
        value = self._get(field, required)
        if value is None:
            return None
        try:
            if isinstance(value, str) and ISO_DATE_RE.match(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        return self.refuse(field, f"{value!r} is not a date like 2025-07-01")

    def moment(self, field: str) -> datetime | None:
        """A date and time with its offset from UTC: ``2025-07-01T18:30:00+05:30``."""
        value = self._get(field, True)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            example = "2025-07-01T18:30:00+05:30"
            return self.refuse(field, f"{value!r} is not a time with its offset from UTC, like {example}")
        return moment
