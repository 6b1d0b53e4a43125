"""The one course search used by every page (and the API): text, facets, sort, page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

from markupsafe import Markup
from sqlalchemy import Select, and_, func, nulls_last, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Batch, Campus, Course, Tool, Topic
from catalog.search.facets import FACETS, FACETS_BY_NAME, Facet, facet_condition, facet_counts
from catalog.search.highlight import highlight, snippet
from catalog.search.index import backend_for
from catalog.search.query import ParsedQuery, Synonyms, parse_query
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


def load_synonyms(session: Session) -> Synonyms:
    """The synonym groups of the current topic and tool vocabulary."""
    entries = [
        *session.execute(select(Topic.name, Topic.synonyms)),
        *session.execute(select(Tool.name, Tool.synonyms)),
    ]
    return Synonyms.from_vocabulary((name, synonyms or []) for name, synonyms in entries)


def next_start_expression(today: date):
    """The start date of a course's soonest open batch (NULL when it has none)."""
    return (
        select(func.min(Batch.start_date))
        .where(Batch.course_id == Course.id, Batch.open_condition(today))
        .correlate(Course)
        .scalar_subquery()
    )


def _clean_filters(
    session: Session, params: SearchParams
) -> tuple[SearchParams, dict[str, list[tuple[str, str]]]]:
    choices = {facet.name: facet.choices(session) for facet in FACETS}
    filters = {}
    for name, values in params.filters.items():
        known = {value for value, _label in choices[name]}
        kept = tuple(v for v in values if v in known)
        if kept:
            filters[name] = kept
    return replace(params, filters=filters), choices


def search_courses(
    session: Session, params: SearchParams, today: date | None = None, per_page: int = PER_PAGE
) -> SearchResult:
    """Run a search: matching published courses, one page of hits, facet counts, a suggestion."""
    today = today or local_today()
    params, choices = _clean_filters(session, params)
    query = parse_query(params.q, load_synonyms(session))
    backend = backend_for(session)

    base = [Course.public_condition()]
    matches = backend.matches(query) if query else None
    if matches is not None:
        base.append(Course.id.in_(select(matches.c.course_id)))
    facet_conditions = {
        name: facet_condition(FACETS_BY_NAME[name], list(values), today)
        for name, values in params.filters.items()
    }

    def ids(excluding: str | None = None) -> Select:
        conditions = [c for name, c in facet_conditions.items() if name != excluding]
        return select(Course.id).where(and_(*base, *conditions))

    total = session.scalar(select(func.count()).select_from(ids().subquery())) or 0
    pages = min(MAX_PAGE, max(1, math.ceil(total / per_page)))
    if params.page > pages:
        params = replace(params, page=pages)

    stmt = (
        select(Course)
        .where(Course.id.in_(ids()))
        .options(
            selectinload(Course.institute),
            selectinload(Course.topics),
            selectinload(Course.tools),
            selectinload(Course.batches),
            selectinload(Course.languages),
            selectinload(Course.campuses).selectinload(Campus.area),
        )
    )
    sort = params.effective_sort if (query or params.effective_sort != "relevance") else "start"
    next_start = next_start_expression(today)
    if sort == "relevance" and matches is not None:
        stmt = stmt.join(matches, matches.c.course_id == Course.id).order_by(matches.c.rank, Course.id)
    elif sort == "fee":
        stmt = stmt.order_by(Course.fee_inr, Course.id)
    elif sort == "fee-desc":
        stmt = stmt.order_by(Course.fee_inr.desc(), Course.id)
    elif sort == "duration":
        stmt = stmt.order_by(Course.duration_days, Course.total_hours, Course.id)
    else:
        stmt = stmt.order_by(nulls_last(next_start.asc()), Course.title, Course.id)
    stmt = stmt.limit(per_page).offset((params.page - 1) * per_page)
    courses = session.scalars(stmt).all()

    hits = [
        Hit(
            course=course,
            title=highlight(course.title, query),
            snippet=snippet(course.summary, query) if not query else _best_snippet(course, query),
            next_batch=course.next_open_batch(today),
        )
        for course in courses
    ]

    # Facets without a selection all count over the same courses (every filter applied); a
    # facet with a selection counts over the courses that pass the *other* filters.
    counts = facet_counts(session, [f for f in FACETS if f.name not in params.filters], ids(), today)
    for name in params.filters:
        counts.update(facet_counts(session, [FACETS_BY_NAME[name]], ids(excluding=name), today))
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


def _best_snippet(course: Course, query: ParsedQuery) -> Markup:
    summary = snippet(course.summary, query)
    if "<mark>" in summary:
        return summary
    described = snippet(course.description, query)
    return described if "<mark>" in described else summary
