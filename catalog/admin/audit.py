"""The audit log: every change made in the portal and the admin area, newest first, filtered by
who, record type, record and day, with each changed field's value before and after; and the same
filtered log as a CSV download."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from flask import Response, abort, render_template, request

from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.dashboard import PER_PAGE
from catalog.admin.forms_audit import AuditFilterForm
from catalog.admin.listing import list_page
from catalog.extensions import db
from catalog.models import AuditEntry
from catalog.queries.admin import audit_entries_for_export, audit_query, audit_record_types
from catalog.services.inbox import neutralise
from catalog.timeutil import local_today, to_local

CSV_HEADER = ["When (IST)", "Who", "Action", "Record type", "Record id", "Institute id", "Summary", "Changes"]
#: How an empty value reads, before or after a change.
NOTHING = "—"
#: The page shows this many characters of a long value (a description); the CSV holds all of it.
SHOWN_CHARS = 200
#: An entry changing more fields than this (a record's creation) shows them folded away.
FIELDS_SHOWN = 4


def readable(value: Any) -> str:
    """A value of an audit entry's change as a person reads it."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def readable_changes(entry: AuditEntry, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the entry records, by field name; values longer
    than ``limit`` characters are cut short with an ellipsis."""

    def shown(value: Any) -> str:
        text = readable(value)
        return text if limit is None or len(text) <= limit else text[:limit].rstrip() + "…"

    rows = []
    for name, values in sorted((entry.changes or {}).items()):
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        rows.append((name.replace("_", " "), shown(before), shown(after)))
    return rows


def shown_changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """The entry's changes as the page shows them (long values cut short)."""
    return readable_changes(entry, SHOWN_CHARS)


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args, audit_record_types(db.session))
    form.validate()
    return form


@bp.get("/audit")
def audit_log():
    """The audit log, newest first, 50 entries a page."""
    form = _filter_form()
    page = list_page(audit_query(form.filters()), PER_PAGE)
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        args=form.query_args(),
        changes_of=shown_changes,
        fields_shown=FIELDS_SHOWN,
    )


def audit_csv(entries: Iterable[AuditEntry]) -> str:
    """The entries as CSV (UTF-8 with a byte-order mark), every cell safe from spreadsheet formulas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for entry in entries:
        changes = "; ".join(f"{name}: {before} → {after}" for name, before, after in readable_changes(entry))
        cells = [
            to_local(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user.email if entry.user else "",
            entry.action,
            entry.record_type,
            entry.record_id,
            entry.institute_id,
            entry.summary,
            changes,
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return buffer.getvalue()


@bp.get("/audit.csv")
def audit_export():
    """The filtered audit log as a CSV download."""
    form = _filter_form()
    if form.errors:
        abort(400, description="The export filters are not valid; go back to the audit log and correct them.")
    text = audit_csv(audit_entries_for_export(db.session, form.filters()))
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{local_today().isoformat()}.csv"'},
    )


nav_entry("admin.audit_log", "Audit log", 60)
