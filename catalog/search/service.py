"""The one course search used by every page (and the API): text, facets, sort, page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Batch, Campus, Course
from catalog.search.facet_index import facet_index
from catalog.search.facets import FACETS, Facet
from catalog.search.highlight import highlight, snippet
from catalog.search.index import backend_for
from catalog.search.query import ParsedQuery, parse_query
from catalog.search.suggest import suggest
from catalog.timeutil import local_today

SORTS = {
    "relevance": "Best match",
    "start": "Next batch first",
    "fee": "Fee: low to high",
    "fee-desc": "Fee: high to low",
    "duration": "Shortest first",
}
MAX_PAGE = 500
PER_PAGE = 20


@dataclass(frozen=True)
class SearchParams:
    """Everything that defines a search; the URL holds exactly this."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> SearchParams:
        """Read a search from query-string arguments, ignoring anything malformed."""
        filters = {}
        for facet in FACETS:
            values = tuple(dict.fromkeys(v for v in args.getlist(facet.name) if v and len(v) <= 80))
            if values:
                filters[facet.name] = values
        sort = args.get("sort", "")
        try:
            page = int(args.get("page", "1"))
        except ValueError:
            page = 1
        return cls(
            q=args.get("q", "")[:2000],
            filters=filters,
            sort=sort if sort in SORTS else "",
            page=min(max(page, 1), MAX_PAGE),
        )

    @property
    def effective_sort(self) -> str:
        """The sort in force: the chosen one, else relevance with a query, else next start."""
        if self.sort and (self.sort != "relevance" or self.q.strip()):
            return self.sort
        return "relevance" if self.q.strip() else "start"

    def to_args(self, **changes) -> dict[str, object]:
        """Query-string arguments for this search, with ``changes`` applied, page 1 omitted."""
        params = replace(self, **changes) if changes else self
        args: dict[str, object] = {}
        if params.q:
            args["q"] = params.q
        for name, values in params.filters.items():
            args[name] = list(values)
        if params.sort:
            args["sort"] = params.sort
        if params.page > 1:
            args["page"] = params.page
        return args

    def without(self, name: str, value: str | None = None) -> dict[str, object]:
        """Arguments with one filter value (or a whole facet) removed, back on page 1."""
        filters = dict(self.filters)
        remaining = () if value is None else tuple(v for v in filters.get(name, ()) if v != value)
        if remaining:
            filters[name] = remaining
        else:
            filters.pop(name, None)
        return self.to_args(filters=filters, page=1)

    @property
    def is_empty(self) -> bool:
        return not self.q.strip() and not self.filters


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetResult:
    facet: Facet
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


@dataclass(frozen=True)
class Hit:
    course: Course
    title: Markup
    snippet: Markup
    next_batch: Batch | None


@dataclass(frozen=True)
class SearchResult:
    params: SearchParams
    query: ParsedQuery
    hits: list[Hit]
    total: int
    facets: list[FacetResult]
    suggestion: str | None
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """The number of pages a learner can reach (deep pages beyond MAX_PAGE are not served)."""
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.per_page)))

    def chips(self) -> list[tuple[str, str, dict[str, object]]]:
        """Active filters as (facet label, value label, arguments without it)."""
        return [
            (result.facet.label, value.label, self.params.without(result.facet.name, value.value))
            for result in self.facets
            for value in result.selected
        ]


def _clean_filters(params: SearchParams, choices: dict[str, list[tuple[str, str]]]) -> SearchParams:
    """The params with filter values that are not options of their facet dropped."""
    filters = {}
    for name, values in params.filters.items():
        known = {value for value, _label in choices[name]}
        kept = tuple(v for v in values if v in known)
        if kept:
            filters[name] = kept
    return replace(params, filters=filters)


def search_courses(
    session: Session, params: SearchParams, today: date | None = None, per_page: int = PER_PAGE
) -> SearchResult:
    """Run a search: matching published courses, one page of hits, facet counts, a suggestion."""
    today = today or local_today()
    backend = backend_for(session)

    index = facet_index(session, today)
    query = parse_query(params.q, index.synonyms)
    choices = index.choices
    params = _clean_filters(params, choices)
    sort = params.effective_sort if (query or params.effective_sort != "relevance") else "start"
    matched, ranked = index.everything, None
    if query:
        matched, ranked = index.bits_of(_matching_ids(session, backend, query, ranked=sort == "relevance"))
    selected = {name: index.facet_bits(name, values) for name, values in params.filters.items()}

    def within(excluding: str | None = None) -> int:
        """The matching courses that pass every selected facet but ``excluding``."""
        bits = matched
        for name, facet_bits in selected.items():
            if name != excluding:
                bits &= facet_bits
        return bits

    found = within()
    total = found.bit_count()
    pages = min(MAX_PAGE, max(1, math.ceil(total / per_page)))
    if params.page > pages:
        params = replace(params, page=pages)

    order = ranked if sort == "relevance" and ranked is not None else index.orders[sort]
    page_ids = index.page(order, found, (params.page - 1) * per_page, per_page)
    loaded = {
        course.id: course
        for course in session.scalars(
            select(Course)
            .where(Course.id.in_(page_ids))
            .options(
                selectinload(Course.institute),
                selectinload(Course.topics),
                selectinload(Course.tools),
                selectinload(Course.batches),
                selectinload(Course.languages),
                selectinload(Course.campuses).selectinload(Campus.area),
            )
        )
    }
    courses = [loaded[course_id] for course_id in page_ids if course_id in loaded]

    hits = [
        Hit(
            course=course,
            title=highlight(course.title, query),
            snippet=snippet(course.summary, query) if not query else _best_snippet(course, query),
            next_batch=course.next_open_batch(today),
        )
        for course in courses
    ]

    # Each facet counts over the courses that pass the *other* facets' filters, so a count says
    # what ticking that value would give.
    counts = {facet.name: index.counts(facet.name, within(excluding=facet.name)) for facet in FACETS}
    facets = []
    for facet in FACETS:
        selected = set(params.filters.get(facet.name, ()))
        facets.append(
            FacetResult(
                facet,
                [
                    FacetValue(value, label, counts[facet.name].get(value, 0), value in selected)
                    for value, label in choices[facet.name]
                ],
            )
        )
    return SearchResult(
        params=params,
        query=query,
        hits=hits,
        total=total,
        facets=facets,
        suggestion=suggest(session, backend, query, params.q) if query else None,
        per_page=per_page,
    )


def _matching_ids(session: Session, backend, query: ParsedQuery, ranked: bool) -> list[int]:
    """Ids of the courses matching the text, best first when ``ranked`` (ranking costs more)."""
    matches = backend.matches(query)
    stmt = select(matches.c.course_id)
    if ranked:
        stmt = stmt.order_by(matches.c.rank, matches.c.course_id)
    # Plain rows from the connection: tens of thousands of ids need no ORM processing.
    return [row[0] for row in session.connection().execute(stmt)]


def _best_snippet(course: Course, query: ParsedQuery) -> Markup:
    summary = snippet(course.summary, query)
    if "<mark>" in summary:
        return summary
    described = snippet(course.description, query)
    return described if "<mark>" in described else summary
