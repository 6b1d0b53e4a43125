"""Reading an exchange file: JSON or a zip of CSV files (told apart by their first bytes) into
records that note every problem they find, each with its file, record path or line, and field.

Nothing here trusts the file: text must be UTF-8 and JSON may not repeat a key or hold NaN
(a CSV archive's own rules are :mod:`catalog.data.exchange.archive`'s).
"""

from __future__ import annotations

import json
from typing import Any

from catalog.data.exchange.archive import ZIP_MAGIC, read_archive
from catalog.data.exchange.document import Document, PathRecord, check_format, new_record
from catalog.data.exchange.format import KINDS, PARTS, field_names


def read_document(data: bytes, source: str, max_unpacked: int | None = None) -> Document:
    """The records of an exchange file, JSON or a CSV archive, with every problem found."""
    if data.startswith(ZIP_MAGIC):
        document = Document(source, "csv")
        read_archive(document, data, max_unpacked)
    else:
        document = Document(source, "json")
        _read_json(document, data)
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise ValueError(f"the key {key!r} appears twice in one object")
        mapping[key] = value
    return mapping


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(document: Document, data: bytes) -> None:
    source = document.source
    if not data.strip():
        document.problem(source, "", "is empty")
        return
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        document.problem(source, f"byte {error.start + 1}", "is not UTF-8 text (nor a zip archive)")
        return
    try:
        content = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        document.problem(source, f"line {error.lineno}, column {error.colno}", f"is not JSON: {error.msg}")
        return
    except RecursionError:
        document.problem(source, "", "nests lists or objects too deeply")
        return
    except ValueError as error:
        document.problem(source, "", f"is not JSON the format takes: {error}")
        return
    if not isinstance(content, dict):
        document.problem(source, "", "must hold one JSON object with the catalog's lists")
        return
    check_format(document, source, "", content)
    for name in content:
        if name not in ("format", "format_version", *KINDS):
            document.problem(source, name, f"is not a list of the format (it has: {', '.join(KINDS)})")
    for kind in KINDS:
        items = content.get(kind) or []
        if not isinstance(items, list):
            document.problem(source, kind, "must be a list of records")
            continue
        for index, item in enumerate(items):
            record = new_record(document, PathRecord, source, f"{kind}[{index}]", kind, item)
            for name, part_kind, label_field in PARTS.get(kind, ()):
                record.parts[name] = record.records(name, label_field)
                for part in record.parts[name]:
                    part.kind = part_kind
                    for key in part.data:
                        if key not in field_names(part_kind):
                            part.refuse(key, "is not a field of this kind of record")
            document.records[kind].append(record)
