"""Checked reading of one record of a data file, with errors that name file, record and field."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import yaml

from catalog.services.slugs import is_slug


class DataError(ValueError):
    """A data file holds a value the catalog cannot accept."""


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

    def __init__(self, source: str, label: str, data: Any):
        self.source = source
        self.label = label
        if not isinstance(data, dict):
            raise DataError(f"{source}: {label}: must be a mapping of fields, not {type(data).__name__}")
        self.data = data

    def error(self, field: str, message: str) -> DataError:
        return DataError(f"{self.source}: {self.label}: field '{field}': {message}")

    def _get(self, field: str, required: bool):
        value = self.data.get(field)
        if value is None and required:
            raise self.error(field, "is required")
        return value

    def text(self, field: str, max_length: int = 10_000, required: bool = True) -> str | None:
        value = self._get(field, required)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.error(field, "must be non-empty text")
        if len(value) > max_length:
            raise self.error(field, f"must be at most {max_length} characters")
        return value.strip()

    def url(self, field: str, required: bool = False) -> str | None:
        value = self.text(field, 300, required=required)
        if value is not None and not value.startswith(("https://", "http://")):
            raise self.error(field, f"{value!r} is not a web address starting with https://")
        return value

    def slug(self, field: str = "slug") -> str:
        value = self.text(field, 200)
        if not is_slug(value):
            raise self.error(field, f"{value!r} is not a slug (lower-case letters, digits, hyphens)")
        return value

    def integer(
        self, field: str, minimum: int | None = None, maximum: int | None = None, required: bool = True
    ) -> int | None:
        value = self._get(field, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(field, f"must be a whole number, not {value!r}")
        if minimum is not None and value < minimum:
            raise self.error(field, f"must be at least {minimum}, not {value}")
        if maximum is not None and value > maximum:
            raise self.error(field, f"must be at most {maximum}, not {value}")
        return value

    def number(self, field: str, required: bool = True) -> float | None:
        value = self._get(field, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(field, f"must be a number, not {value!r}")
        return float(value)

    def boolean(self, field: str, default: bool | None = None) -> bool:
        value = self.data.get(field, default)
        if not isinstance(value, bool):
            raise self.error(field, "must be true or false")
        return value

    def choice(self, field: str, enum_cls: type[enum.Enum]):
        value = self._get(field, True)
        try:
            return enum_cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_cls)
            raise self.error(field, f"{value!r} is not one of: {allowed}") from None

    def strings(self, field: str, required: bool = True) -> list[str]:
        value = self.data.get(field)
        if value is None:
            if required:
                raise self.error(field, "is required")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(field, "must be a list of text values")
        return [v.strip() for v in value]

    def records(self, field: str, label_field: str, required: bool = False) -> list[Record]:
        value = self.data.get(field)
        if value is None:
            if required:
                raise self.error(field, "is required")
            return []
        if not isinstance(value, list):
            raise self.error(field, "must be a list")
        return [
            Record(
                self.source,
                f"{self.label} > {field}[{index}]"
                + (f" {item.get(label_field)!r}" if isinstance(item, dict) and item.get(label_field) else ""),
                item,
            )
            for index, item in enumerate(value, 1)
        ]

    def reference(self, field: str, known: dict[str, Any], what: str, required: bool = True):
        value = self._get(field, required)
        if value is None:
            return None
        if value not in known:
            raise self.error(field, f"unknown {what} {value!r}")
        return known[value]

    def references(self, field: str, known: dict[str, Any], what: str) -> list[Any]:
        found = []
        for value in self.strings(field, required=False):
            if value not in known:
                raise self.error(field, f"unknown {what} {value!r}")
            found.append(known[value])
        return found
