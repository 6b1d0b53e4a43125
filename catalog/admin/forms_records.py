"""The form of the admins' records search: a name to look for and a kind of record.

The records themselves are edited with the portal's own form classes (:mod:`catalog.forms.catalog`);
only the search is the admin area's. It is read from the query string without a CSRF token (it
changes nothing); a value it cannot read is dropped and shown beside its field, so a hand-edited
URL still lists.
"""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from catalog.forms.base import CatalogForm
from catalog.forms.fields import strip_text
from catalog.queries.records import QUERY_MAX, RECORD_KINDS, RecordFilters

#: How the kind filter reads each kind of record.
KIND_LABELS = {"institute": "Institutes", "course": "Courses", "batch": "Batches", "event": "Events"}


class RecordSearchForm(CatalogForm):
    """Part of a name, title or web address, and the kind of record (every kind by default)."""

    class Meta:
        csrf = False

    q = StringField(
        "Name, title or web address",
        filters=[strip_text],
        validators=[Optional(), Length(max=QUERY_MAX, message=f"Use at most {QUERY_MAX} characters.")],
    )
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Every kind"), *(SelectChoice(k, KIND_LABELS[k]) for k in RECORD_KINDS)],
        validators=[Optional()],
    )

    def filters(self) -> RecordFilters:
        """The search from every field holding a valid value (call after ``validate``)."""
        text = self.q.data if self.q.data and not self.q.errors else ""
        kind = self.kind.data if self.kind.data and not self.kind.errors else None
        return RecordFilters(text=text, kind=kind)

    def query_args(self) -> dict[str, str]:
        """The valid, non-empty search as query-string arguments (for the page links)."""
        filters = self.filters()
        args = {"q": filters.text, "kind": filters.kind or ""}
        return {key: text for key, text in args.items() if text}
