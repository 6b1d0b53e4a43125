"""Search results as the public pages show them: matched words in ``<mark>``, course cards, chips.

The engine (``catalog.search``) answers with plain data; this module turns one answer into what
the templates need, so every page that lists search results renders it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from catalog.models import Batch, Course
from catalog.queries.courses import courses_by_ids
from catalog.search import FacetCounts, MarkedText, SearchParams, SearchResult

#: The URL argument that asks for the words exactly as typed, even when they find nothing.
AS_TYPED = "as_typed"


def mark(text: MarkedText) -> Markup:
    """The text escaped, with each matched span wrapped in ``<mark>``."""
    parts: list[Markup] = []
    position = 0
    for start, end in text.spans:
        parts.append(escape(text.text[position:start]))
        parts.append(Markup("<mark>") + escape(text.text[start:end]) + Markup("</mark>"))
        position = end
    parts.append(escape(text.text[position:]))
    return Markup("").join(parts)


def without(params: SearchParams, name: str, value: str | None = None) -> dict[str, object]:
    """Arguments of the search with one filter value (or a whole facet) removed, back on page 1."""
    filters = dict(params.filters)
    remaining = () if value is None else tuple(v for v in filters.get(name, ()) if v != value)
    if remaining:
        filters[name] = remaining
    else:
        filters.pop(name, None)
    return params.to_args(filters=filters, page=1)


@dataclass(frozen=True)
class Hit:
    """A course card of the results: the course, its title and snippet marked, its next batch."""

    course: Course
    title: Markup
    snippet: Markup
    next_batch: Batch | None


@dataclass(frozen=True)
class SearchPage:
    """A search result with its cards, as the course search and topic pages render it."""

    result: SearchResult
    hits: list[Hit]

    @property
    def params(self) -> SearchParams:
        return self.result.params

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def pages(self) -> int:
        return self.result.pages

    @property
    def per_page(self) -> int:
        return self.result.per_page

    @property
    def shown_range(self) -> tuple[int, int]:
        return self.result.shown_range

    @property
    def facets(self) -> list[FacetCounts]:
        return self.result.facets

    @property
    def suggestion(self) -> str | None:
        return self.result.suggestion

    @property
    def corrected_from(self) -> str | None:
        return self.result.corrected_from

    @property
    def close_words(self) -> tuple[str, ...]:
        return self.result.close_words

    def as_typed_args(self) -> dict[str, object]:
        """Arguments of this search with the words as typed, not corrected."""
        return {**self.params.to_args(q=self.corrected_from or self.params.q, page=1), AS_TYPED: "1"}

    def chips(self) -> list[tuple[str, str, dict[str, object]]]:
        """Active filters as (facet label, value label, arguments without it)."""
        return [
            (facet.label, value.label, without(self.params, facet.name, value.value))
            for facet in self.facets
            for value in facet.selected
        ]


def present(session: Session, result: SearchResult, today: date) -> SearchPage:
    """The search result with its hits as cards: loaded courses, marked titles and snippets."""
    courses = courses_by_ids(session, result.course_ids)
    hits = [
        Hit(
            course=courses[hit.course_id],
            title=mark(hit.title),
            snippet=mark(hit.snippet),
            next_batch=courses[hit.course_id].next_open_batch(today),
        )
        for hit in result.hits
        if hit.course_id in courses
    ]
    return SearchPage(result, hits)
