"""What a search asks for, in one plain value, and the URL form every caller reads it from.

The HTML pages, the JSON API and live search all read a search from the same query-string
arguments (:meth:`SearchParams.from_args`) and write it back the same way (``to_args``), so a
search has one address whoever renders it. Which sort is in force is decided once, by
:func:`resolve_sort`, from the sort asked for and the parsed text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from catalog.search.facets import FACETS
from catalog.search.query import MAX_QUERY_CHARS, ParsedQuery

SORTS = {
    "relevance": "Best match",
    "start": "Next batch first",
    "fee": "Fee: low to high",
    "fee-desc": "Fee: high to low",
    "duration": "Shortest first",
}
#: Results per page of the course search, unless a caller asks for another size.
PAGE_SIZE = 20
#: The deepest page served: beyond it a learner should narrow the search instead.
MAX_PAGE = 500
#: The longest facet value read from a URL (slugs and labels are far shorter).
MAX_VALUE_CHARS = 80
#: The facets whose values are vocabulary slugs, each with its kind of term: a renamed or merged
#: term's old slug in a saved search URL still finds the term's courses.
VOCABULARY_FACETS = {"topic": "topic", "tool": "tool", "area": "area"}

_PAGE_RE = re.compile(r"\+?([0-9]+)")


def page_number(raw: str | int | None, last: int = MAX_PAGE) -> int:
    """The page a URL's ``page`` argument asks for, from 1 to ``last`` (never beyond MAX_PAGE).

    The one rule of every paged list (search, institutes, the portal inbox): a whole number of
    any size is clamped into range, and anything else ("abc", "1e9", "-1", nothing) is page 1.
    """
    match = _PAGE_RE.fullmatch(str(raw).strip()) if raw is not None else None
    if match is None:
        return 1
    digits = match.group(1).lstrip("0") or "0"
    # Converting a number longer than the deepest page needs is work for nothing (and Python
    # refuses past 4,300 digits): it is beyond the last page either way.
    number = int(digits) if len(digits) <= len(str(MAX_PAGE)) else MAX_PAGE + 1
    return min(max(number, 1), last, MAX_PAGE)


class MultiArgs(Protocol):
    """Query-string arguments with repeated keys, as Werkzeug's ``MultiDict`` holds them."""

    def get(self, key: str, default: str = ...) -> str: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class SearchParams:
    """Everything that defines a search; the URL holds exactly this."""

    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiArgs) -> SearchParams:
        """Read a search from query-string arguments, ignoring anything malformed."""
        filters = {}
        for facet in FACETS:
            values = tuple(
                dict.fromkeys(v for v in args.getlist(facet.name) if v and len(v) <= MAX_VALUE_CHARS)
            )
            if values:
                filters[facet.name] = values
        sort = args.get("sort", "")
        return cls(
            q=args.get("q", "")[:MAX_QUERY_CHARS],
            filters=filters,
            sort=sort if sort in SORTS else "",
            page=page_number(args.get("page")),
        )

    def with_moved_slugs(self, moved_to: Callable[[str, str], str | None]) -> SearchParams:
        """These params with each old slug of a renamed or merged term replaced by the slug of
        the term that now answers for it (``moved_to(kind, slug)``, None when it has not moved)."""
        filters = dict(self.filters)
        for name, kind in VOCABULARY_FACETS.items():
            if name in filters:
                filters[name] = tuple(dict.fromkeys(moved_to(kind, v) or v for v in filters[name]))
        return self if filters == dict(self.filters) else replace(self, filters=filters)

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


def resolve_sort(requested: str, query: ParsedQuery) -> str:
    """The sort in force: the one asked for, else best match when there is text, else next start.

    Best match needs words to rank by, so text made only of generic words ("course") sorts by
    next start, as no text does.
    """
    if requested in SORTS and (requested != "relevance" or query):
        return requested
    return "relevance" if query else "start"
