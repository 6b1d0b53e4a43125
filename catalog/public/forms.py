"""GET forms of the public pages; they change nothing, so they carry no CSRF token."""

from __future__ import annotations

from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from catalog.forms.base import CatalogForm
from catalog.forms.fields import as_choices
from catalog.search import MAX_QUERY_CHARS, SORTS

#: What the sort control's first choice does (see ``catalog.search.resolve_sort``).
DEFAULT_SORT_LABEL = "Best match (or soonest batch)"


class GetForm(CatalogForm):
    """A form read from the query string."""

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        from flask import request

        super().__init__(request.args, *args, **kwargs)


class SearchForm(GetForm):
    """The search box and sort order of the course search."""

    q = SearchField(
        "Search courses",
        validators=[Optional(), Length(max=MAX_QUERY_CHARS)],
        render_kw={"placeholder": "Try “kubernetes”, “mlflow weekend”, “ci cd”", "autocomplete": "off"},
    )
    sort = SelectField(
        "Sort results by",
        choices=as_choices([("", DEFAULT_SORT_LABEL), *SORTS.items()]),
        validators=[Optional()],
        validate_choice=False,
    )


class InstituteFilterForm(GetForm):
    """Filter the institute list by area."""

    area = SelectField("Area", validators=[Optional()], validate_choice=False)


class EventFilterForm(GetForm):
    """Filter upcoming events by kind, topic and area."""

    kind = SelectField("Kind", validators=[Optional()], validate_choice=False)
    topic = SelectField("Topic", validators=[Optional()], validate_choice=False)
    area = SelectField("Where", validators=[Optional()], validate_choice=False)
