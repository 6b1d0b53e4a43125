"""The one course search every page and the API use: text, facets, sort, page in; plain data out.

:func:`search_courses` parses the text once, resolves the sort once, and answers with course ids,
their titles and snippets with the spans that matched, the total, every facet's counts and a
"did you mean". How that is shown (``<mark>``, chips, links, JSON) is the caller's business.
Asked to ``correct``, it searches the corrected words when the typed ones find nothing; a search
that finds nothing also carries the known words closest to the unknown ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Course
from catalog.search.facet_index import FacetIndex, facet_index
from catalog.search.facets import FACETS
from catalog.search.highlight import MarkedText, marked, snippet
from catalog.search.index import backend_for
from catalog.search.params import MAX_PAGE, PAGE_SIZE, SearchParams, page_number, resolve_sort
from catalog.search.query import ParsedQuery, parse_query
from catalog.search.results import FacetCount, FacetCounts, SearchHit, SearchResult
from catalog.search.suggest import Suggestions, suggestions
from catalog.timeutil import local_today


def _clean_filters(params: SearchParams, choices: dict[str, list[tuple[str, str]]]) -> SearchParams:
    """The params with filters that are not facets, and values that are not options, dropped."""
    filters = {}
    for name, values in params.filters.items():
        known = {value for value, _label in choices.get(name, ())}
        kept = tuple(v for v in values if v in known)
        if kept:
            filters[name] = kept
    return replace(params, filters=filters)


def search_courses(
    session: Session,
    params: SearchParams,
    today: date | None = None,
    per_page: int = PAGE_SIZE,
    correct: bool = False,
) -> SearchResult:
    """Run a search: matching published courses, one page of hits, facet counts, a suggestion.

    With ``correct``, words that find nothing but whose correction finds something are searched
    corrected: the result's ``params.q`` is the correction and ``corrected_from`` the words typed.
    """
    today = today or local_today()
    result = _search(session, params, today, per_page)
    if correct and not result.total and result.suggestion:
        corrected = _search(session, replace(params, q=result.suggestion), today, per_page)
        if corrected.total:
            return replace(corrected, corrected_from=params.q)
    return result


@dataclass(frozen=True)
class _Found:
    """A search's matching courses as a bitmap, before any page is cut or counted."""

    index: FacetIndex
    query: ParsedQuery
    params: SearchParams
    sort: str
    ranked: list[int] | None
    #: The courses the text matches, and each selected facet's courses.
    matched: int
    selected: dict[str, int]

    def within(self, excluding: str | None = None) -> int:
        """The matching courses that pass every selected facet but ``excluding``."""
        bits = self.matched
        for name, facet_bits in self.selected.items():
            if name != excluding:
                bits &= facet_bits
        return bits


def _find(session: Session, params: SearchParams, today: date) -> _Found:
    index = facet_index(session, today)
    query = parse_query(params.q, index.synonyms)
    params = _clean_filters(params, index.choices)
    sort = resolve_sort(params.sort, query)
    matched, ranked = index.everything, None
    if query:
        matched, ranked = index.bits_of(
            _matching_ids(session, backend_for(session), query, ranked=sort == "relevance")
        )
    selected = {name: index.facet_bits(name, values) for name, values in params.filters.items()}
    return _Found(index, query, params, sort, ranked, matched, selected)


def matching_course_ids(
    session: Session, params: SearchParams, today: date | None = None, correct: bool = False
) -> set[int]:
    """Every course the search finds, however many, with no page, snippets or counts: what an
    alert follows. ``correct`` as in :func:`search_courses`."""
    today = today or local_today()
    found = _find(session, params, today)
    bits = found.within()
    if correct and not bits and found.query:
        typed = suggestions(session, backend_for(session), found.query, params.q).text
        if typed:
            bits = _find(session, replace(params, q=typed), today).within()
    return set(found.index.page(range(found.index.size), bits, 0, found.index.size))


def _search(session: Session, params: SearchParams, today: date, per_page: int) -> SearchResult:
    """One search of exactly the words given."""
    backend = backend_for(session)
    search = _find(session, params, today)
    index, query, params, sort, ranked = search.index, search.query, search.params, search.sort, search.ranked
    within = search.within
    found = within()
    total = found.bit_count()
    pages = min(MAX_PAGE, max(1, math.ceil(total / per_page)))
    params = replace(params, page=page_number(params.page, pages))

    order = ranked if sort == "relevance" and ranked is not None else index.orders[sort]
    page_ids = index.page(order, found, (params.page - 1) * per_page, per_page)

    # Each facet counts over the courses that pass the *other* facets' filters, so a count says
    # what ticking that value would give.
    facets = []
    for facet in FACETS:
        counts = index.counts(facet.name, within(excluding=facet.name))
        ticked = set(params.filters.get(facet.name, ()))
        values = [
            FacetCount(value, label, counts.get(value, 0), value in ticked)
            for value, label in index.choices[facet.name]
        ]
        facets.append(FacetCounts(facet.name, facet.label, values))
    words = suggestions(session, backend, query, params.q) if query else Suggestions()
    return SearchResult(
        params=params,
        sort=sort,
        query=query,
        hits=_hits(session, page_ids, query),
        total=total,
        facets=facets,
        suggestion=words.text,
        per_page=per_page,
        close_words=words.close_words if not total else (),
    )


def _matching_ids(session: Session, backend, query: ParsedQuery, ranked: bool) -> list[int]:
    """Ids of the courses matching the text, best first when ``ranked`` (ranking costs more)."""
    matches = backend.matches(query)
    stmt = select(matches.c.course_id)
    if ranked:
        stmt = stmt.order_by(matches.c.rank, matches.c.course_id)
    # Plain rows from the connection: tens of thousands of ids need no ORM processing.
    return [row[0] for row in session.connection().execute(stmt)]


def _hits(session: Session, page_ids: list[int], query: ParsedQuery) -> list[SearchHit]:
    """The page's courses as hits, in page order, from one statement of plain rows."""
    if not page_ids:
        return []
    rows = {
        row.id: row
        for row in session.connection().execute(
            select(Course.id, Course.slug, Course.title, Course.summary, Course.description).where(
                Course.id.in_(page_ids)
            )
        )
    }
    return [
        SearchHit(
            course_id=row.id,
            slug=row.slug,
            title=marked(row.title, query),
            snippet=_best_snippet(row.summary, row.description or "", query),
        )
        for row in (rows[course_id] for course_id in page_ids if course_id in rows)
    ]


def _best_snippet(summary: str, description: str, query: ParsedQuery) -> MarkedText:
    """The summary's snippet, unless only the description shows where the query matched."""
    from_summary = snippet(summary, query)
    if not query or from_summary.matched:
        return from_summary
    from_description = snippet(description, query)
    return from_description if from_description.matched else from_summary
