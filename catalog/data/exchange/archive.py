"""The CSV form of an exchange file: a zip archive holding one CSV file per kind of record.

Written the same every time (fixed names, order, times and compression), so that exporting one
catalog twice gives the same bytes. Read without trusting it: the archive may hold only the
format's files, stored or deflated and unencrypted, and its headers must promise no more than
the unpacked limit before anything is unpacked; each CSV file needs a header naming every
column of its kind and no other; a nested list's rows (an institute's campuses) name their
record, which must be in the file of its kind.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from typing import Any

from catalog.data.exchange.document import Document, RowRecord, check_format, new_record
from catalog.data.exchange.format import (
    ARCHIVE_FILES,
    BOOLEAN,
    CSV_FILES,
    FIELDS,
    FORMAT_COLUMNS,
    FORMAT_FILE,
    INTEGER,
    KINDS,
    LIST,
    LIST_SEPARATOR,
    NUMBER,
    OPTIONAL,
    PART_FILES,
    PARTS,
    TEXT,
    TEXT_MARK,
    Column,
)
from catalog.data.records import Record
from catalog.services.inbox import FORMULA_STARTS

#: How a zip archive begins (one with files, and an empty one).
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: The fixed timestamp of every file in an archive (zip's earliest), so exports compare equal.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_INTEGER_RE = re.compile(r"-?\d{1,18}")


# Writing


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == BOOLEAN:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = LIST_SEPARATOR.join(value) if kind == LIST else value
    return TEXT_MARK + text if text.startswith((*FORMULA_STARTS, TEXT_MARK)) else text


def _field(document: dict[str, Any], name: str) -> Any:
    outer, _, inner = name.partition(".")
    value = document.get(outer)
    return (value or {}).get(inner) if inner else value


def _csv_text(columns, documents) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for document in documents:
        writer.writerow([_cell(_field(document, column.name), column.kind) for column in columns])
    return buffer.getvalue()


def csv_files(document: dict[str, Any]) -> dict[str, str]:
    """The document as the CSV files of the archive, by file name, in the archive's order."""
    files = {FORMAT_FILE: _csv_text(FORMAT_COLUMNS, [document])}
    for kind in KINDS:
        files[f"{kind}.csv"] = _csv_text(FIELDS[kind], document[kind])
        for field, part_kind, _label in PARTS.get(kind, ()):
            name, keys = PART_FILES[part_kind]
            rows = [
                {keys[0].name: owner["slug"], "position": position, **part}
                for owner in document[kind]
                for position, part in enumerate(owner[field], 1)
            ]
            files[name] = _csv_text((*keys, *FIELDS[part_kind]), rows)
    return files


def csv_archive(document: dict[str, Any]) -> bytes:
    """The document as a zip of CSV files (UTF-8), with fixed names, order, times and compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in csv_files(document).items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=9)
    return buffer.getvalue()


# Reading


def _read_cell(text: str, kind: str) -> Any:
    if kind in (TEXT, OPTIONAL, LIST) and text.startswith(TEXT_MARK):
        text = text[len(TEXT_MARK) :]
    if kind == TEXT:
        return text
    if kind == LIST:
        return [item.removesuffix("\r") for item in text.split(LIST_SEPARATOR) if item.strip()]
    if not text.strip():
        return None
    if kind == INTEGER and _INTEGER_RE.fullmatch(text.strip()):
        return int(text)
    if kind == NUMBER:
        try:
            return float(text)
        except ValueError:
            return text
    if kind == BOOLEAN and text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return text


def _row_values(columns: tuple[Column, ...], header: list[str], cells: list[str]) -> dict[str, Any]:
    kinds = {column.name: column.kind for column in columns}
    values: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=True):
        outer, _, inner = name.partition(".")
        value = _read_cell(cell, kinds[name])
        if inner:
            values.setdefault(outer, {})[inner] = value
        else:
            values[name] = value
    for name, value in values.items():
        if isinstance(value, dict) and all(item is None for item in value.values()):
            values[name] = None
    return values


def _csv_rows(document: Document, name: str, text: str, columns: tuple[Column, ...]):
    """(line, values) for each row of a CSV file with the given columns (empty rows skipped)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = next(reader, None)
        if header is None:
            document.problem(name, "", "is empty: it needs a header row naming its columns")
            return []
        expected = [column.name for column in columns]
        problems = len(document.problems)
        for column in header:
            if column not in expected:
                document.problem(name, "line 1", "is not a column of this file", column or "(blank)")
            elif header.count(column) > 1:
                document.problem(name, "line 1", "is named twice in the header", column)
        for column in expected:
            if column not in header:
                document.problem(name, "line 1", "is missing from the header", column)
        if len(document.problems) > problems:
            return []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) != len(header):
                    document.problem(
                        name, f"line {line}", f"has {len(cells)} cells, but the header names {len(header)}"
                    )
                else:
                    rows.append((line, _row_values(columns, header, cells)))
            line = reader.line_num + 1
    except csv.Error as error:
        document.problem(name, f"line {reader.line_num}", f"cannot be read as CSV: {error}")
    return rows


def _members(document: Document, archive: zipfile.ZipFile, max_unpacked: int | None) -> dict[str, str]:
    """The text of each file of the archive, or {} when the archive itself is not acceptable."""
    source, found, unpacked = document.source, {}, 0
    for info in archive.infolist():
        name = info.filename
        if name not in ARCHIVE_FILES or name in found:
            reason = "is in the archive twice" if name in found else "is not a file of the format"
            document.problem(source, name, f"{reason} (it has: {', '.join(ARCHIVE_FILES)})")
        elif info.flag_bits & 0x1:
            document.problem(source, name, "is encrypted")
        elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            document.problem(source, name, "is compressed in a way the import does not read (use deflate)")
        found[name] = info
        unpacked += info.file_size
    if max_unpacked is not None and unpacked > max_unpacked:
        document.problem(source, "", f"would unpack to {unpacked:,} bytes; the limit is {max_unpacked:,}")
    if FORMAT_FILE not in found:
        document.problem(source, FORMAT_FILE, "is missing: the archive must say which format it holds")
    if document.problems:
        return {}
    texts = {}
    for name, info in found.items():
        try:
            texts[name] = archive.read(info).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            document.problem(name, f"byte {error.start + 1}", "is not UTF-8 text")
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
            document.problem(source, name, f"cannot be unpacked: {error}")
    return texts


def read_archive(document: Document, data: bytes, max_unpacked: int | None) -> None:
    """Read the CSV archive ``data`` into ``document``, noting every problem found."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts = _members(document, archive, max_unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        document.problem(document.source, "", f"is not a zip archive the import can read: {error}")
        return
    if not texts:
        return
    rows = _csv_rows(document, FORMAT_FILE, texts[FORMAT_FILE], FORMAT_COLUMNS)
    if rows:
        check_format(document, FORMAT_FILE, f"line {rows[0][0]}", rows[0][1])
    else:
        document.problem(FORMAT_FILE, "line 2", "must name the format and its version under its header")
    for name, kind in CSV_FILES.items():
        if name not in texts:
            continue
        for line, values in _csv_rows(document, name, texts[name], FIELDS[kind]):
            record = new_record(document, RowRecord, name, f"line {line}", kind, values)
            record.parts = {part: [] for part, _part_kind, _label in PARTS.get(kind, ())}
            document.records[kind].append(record)
    for kind, parts in PARTS.items():
        for part, part_kind, _label in parts:
            _attach_parts(document, texts, kind, part, part_kind)


def _attach_parts(document: Document, texts: dict[str, str], kind: str, part: str, part_kind: str) -> None:
    """Give each record of ``kind`` its rows of ``part`` from the part's own CSV file."""
    name, keys = PART_FILES[part_kind]
    if name not in texts:
        return
    owner_column = keys[0].name
    owners: dict[str, Record] = {}
    for record in document.records[kind]:
        owners.setdefault(str(record.data.get("slug")), record)
    rows: dict[str, list[tuple[Any, Record]]] = {}
    for line, values in _csv_rows(document, name, texts[name], (*keys, *FIELDS[part_kind])):
        key_values = {column.name: values.pop(column.name) for column in keys}
        record = RowRecord(name, f"line {line}", values, document.problems)
        record.kind = part_kind
        owner = key_values[owner_column]
        if owner not in owners:
            record.refuse(owner_column, f"{owner!r} is not in {kind}.csv")
            continue
        position = key_values.get("position", len(rows.get(owner, [])) + 1)
        if not isinstance(position, int) or position < 1:
            record.refuse("position", f"must be a whole number from 1, not {position!r}")
            continue
        if any(position == taken for taken, _record in rows.get(owner, [])):
            record.refuse("position", f"{position} is given twice for {owner!r}")
            continue
        rows.setdefault(owner, []).append((position, record))
    for owner, entries in rows.items():
        owners[owner].parts[part] = [record for _position, record in sorted(entries, key=lambda e: e[0])]
