"""Forms of the catalog's import and export pages: the export's format, and the file to import
with its two buttons (check only, or import)."""

from __future__ import annotations

from flask import current_app
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice, SubmitField, ValidationError
from wtforms.validators import InputRequired

from catalog.forms.base import CatalogForm

FORMAT_CHOICES = [
    SelectChoice("json", "JSON: the whole catalog in one document"),
    SelectChoice("csv", "CSV: a zip archive with one spreadsheet file per kind of record"),
]


def size_in_words(size: int) -> str:
    """A size in bytes as people read it: ``5 MB``, ``700 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def too_large_message(limit: int) -> str:
    """What the file field says of a file over the upload limit."""
    return (
        f"The file is larger than the {size_in_words(limit)} an upload may have; "
        "import it with the import command instead, or split it."
    )


class ExportForm(CatalogForm):
    """The format of a catalog export (sent in the query string: a download changes nothing)."""

    class Meta:
        csrf = False

    format = RadioField(
        "Format", choices=FORMAT_CHOICES, default="json", validators=[InputRequired("Choose a format.")]
    )


class ImportForm(CatalogForm):
    """A catalog file to check, or to check and import."""

    file = FileField(
        "Catalog file",
        description="A catalog export: JSON (.json), or a zip of CSV files (.zip).",
        validators=[FileRequired("Choose the file to import.")],
    )
    check = SubmitField("Check only (dry run)")
    submit = SubmitField("Import")

    #: The file's bytes, once it has validated.
    content: bytes = b""

    def validate_file(self, field) -> None:
        """Read the file, refusing one over the upload limit (``IMPORT_MAX_BYTES``)."""
        limit = current_app.config["IMPORT_MAX_BYTES"]
        self.content = field.data.read(limit + 1)
        if len(self.content) > limit:
            raise ValidationError(too_large_message(limit))
        if not self.content:
            raise ValidationError("The file is empty.")

    @property
    def dry_run(self) -> bool:
        """True unless "Import" was pressed: a check writes nothing."""
        return not self.submit.data
