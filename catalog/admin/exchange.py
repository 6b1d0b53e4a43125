"""Import and export of the whole catalog in the admin area (``/admin/export``, ``/admin/import``).

The export page downloads the catalog as JSON or a zip of CSV files; the import page takes such
a file (up to ``IMPORT_MAX_BYTES``), checks every record and reports every problem with its
place, or writes it all through the portal's services in one transaction, as the admin, and
says what was created, updated and sent to moderation. "Check only" does all but the commit.
"""

from __future__ import annotations

import posixpath

from flask import Response, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms_exchange import ExportForm, ImportForm, too_large_message
from catalog.data.exchange import FORMATS, export_catalog, import_catalog
from catalog.data.exchange.format import UNPACKED_FACTOR
from catalog.extensions import db
from catalog.guards import CONTROL_RE, accept_files, upload_limit
from catalog.security import admin_gate, current_staff
from catalog.timeutil import local_today

IMPORT_ENDPOINT = "admin.exchange_import"
#: How much of an uploaded file's name the report repeats.
NAME_CHARS = 80

nav_entry("admin.exchange_export", "Import and export", 55)
accept_files(IMPORT_ENDPOINT, ("file",), "IMPORT_MAX_BYTES")


@bp.get("/export")
def exchange_export():
    """The export page: choose a format, download the catalog."""
    return render_template("admin/exchange/export.html", form=ExportForm(formdata=None))


@bp.get("/export/download")
def exchange_download():
    """The whole catalog as a file in the chosen format (``?format=json`` or ``csv``)."""
    form = ExportForm(request.args)
    if not form.validate():
        return render_template("admin/exchange/export.html", form=form), 400
    _write, ending, media_type = FORMATS[form.format.data]
    name = f"catalog-{local_today().isoformat()}.{ending}"
    return Response(
        export_catalog(db.session, form.format.data),
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def file_name(raw: str | None) -> str:
    """An uploaded file's name as the report shows it: its last part, printable and short."""
    name = CONTROL_RE.sub("", posixpath.basename((raw or "").replace("\\", "/"))).strip()
    return name[:NAME_CHARS] or "the uploaded file"


@bp.route("/import", methods=["GET", "POST"])
def exchange_import():
    """The import page; a sent file is checked, and imported when "Import" was pressed."""
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/exchange/import.html", form=form, report=None), status
    report = import_catalog(
        db.session,
        form.content,
        file_name(form.file.data.filename),
        current_staff(),
        dry_run=form.dry_run,
        max_unpacked=upload_limit(IMPORT_ENDPOINT) * UNPACKED_FACTOR,
    )
    page = render_template("admin/exchange/import.html", form=ImportForm(formdata=None), report=report)
    return page, 200 if report.ok else 400


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """A request body over its limit: on the import page, the message beside the file field."""
    if request.endpoint != IMPORT_ENDPOINT:
        return render_template("errors/error.html", error=error), 413
    # The body was refused unread, before the gate ran: it decides now who sees the page.
    try:
        refused = admin_gate()
    except HTTPException as denied:
        return render_template("errors/error.html", error=denied), denied.code
    if refused is not None:
        return refused
    form = ImportForm(formdata=None)
    form.file.errors = [too_large_message(upload_limit(IMPORT_ENDPOINT))]
    return render_template("admin/exchange/import.html", form=form, report=None), 413
