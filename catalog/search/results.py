"""What the engine answers: plain values that an HTML page, the JSON API or live search render.

Nothing here is markup or a database record: hits carry course ids, their texts and the spans
that matched; facets carry values, labels and counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from catalog.search.highlight import MarkedText
from catalog.search.params import MAX_PAGE, SearchParams
from catalog.search.query import ParsedQuery


@dataclass(frozen=True)
class SearchHit:
    """One course of the page: its id and address, its title and a snippet, each with matches."""

    course_id: int
    slug: str
    title: MarkedText
    snippet: MarkedText


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet: how many courses ticking it would give, and whether it is ticked."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class FacetCounts:
    """Every value of one facet, in the facet's own order."""

    name: str
    label: str
    values: list[FacetCount]

    @property
    def selected(self) -> list[FacetCount]:
        """The ticked values."""
        return [v for v in self.values if v.selected]


@dataclass(frozen=True)
class SearchResult:
    """One page of a search, its total, every facet's counts and a "did you mean"."""

    #: The search as served: unknown filter values dropped, the page clamped to the last one.
    params: SearchParams
    #: The sort in force (see ``params.resolve_sort``).
    sort: str
    query: ParsedQuery
    hits: list[SearchHit]
    total: int
    facets: list[FacetCounts]
    suggestion: str | None
    per_page: int
    #: The words as typed when they found nothing and ``params.q`` holds their correction.
    corrected_from: str | None = None
    #: Known words closest to the unknown words typed, offered when nothing was found.
    close_words: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        """The number of pages a learner can reach (deep pages beyond MAX_PAGE are not served)."""
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.per_page)))

    @property
    def shown_range(self) -> tuple[int, int]:
        """The positions of this page's first and last hit among all of them, counted from 1
        ((0, 0) when nothing was found)."""
        if not self.hits:
            return (0, 0)
        first = (self.params.page - 1) * self.per_page + 1
        return (first, first + len(self.hits) - 1)

    @property
    def course_ids(self) -> list[int]:
        """The page's course ids, in result order."""
        return [hit.course_id for hit in self.hits]


@dataclass(frozen=True)
class CatalogCounts:
    """Headline numbers of what learners can see, from the same snapshot as the facet counts."""

    courses: int
    #: Approved institutes, with or without published courses.
    institutes: int
    open_batches: int
    #: Every topic with its number of visible courses, most courses first, then by name.
    topics: list[FacetCount]
    #: ``(institute id, visible courses)`` of every approved institute, most courses first, then
    #: by name.
    institute_courses: list[tuple[int, int]]
