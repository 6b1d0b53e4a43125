"""Course search: an engine over SQLite FTS5 or PostgreSQL that answers with plain data.

- :func:`search_courses` takes :class:`SearchParams` and returns a :class:`SearchResult`: course
  ids with titles and snippets and the spans that matched, the total, facet counts and a
  "did you mean". Presenters (the public pages, later the API and live search) render it.
- :func:`matching_course_ids` is every course a search finds, unpaged (what an alert follows).
- :func:`catalog_counts` gives the home page's numbers from the same snapshot as the facets.
- :func:`related_course_ids` finds the courses sharing most topics and tools, from it too.
- :func:`autocomplete` suggests topics, tools, institutes and courses for the text typed so far.
- :func:`courses_changed` is the index contract every write path keeps (see ``index.py``).
"""

from catalog.search.autocomplete import MAX_PREFIX_CHARS, Suggestion, autocomplete
from catalog.search.facet_index import catalog_counts
from catalog.search.highlight import MarkedText, Span
from catalog.search.index import courses_changed, courses_of, rebuild_index
from catalog.search.params import MAX_PAGE, PAGE_SIZE, SORTS, SearchParams, page_number, resolve_sort
from catalog.search.query import MAX_QUERY_CHARS
from catalog.search.related import related_course_ids
from catalog.search.results import CatalogCounts, FacetCount, FacetCounts, SearchHit, SearchResult
from catalog.search.service import matching_course_ids, search_courses

__all__ = [
    "MAX_PAGE",
    "MAX_PREFIX_CHARS",
    "MAX_QUERY_CHARS",
    "PAGE_SIZE",
    "SORTS",
    "CatalogCounts",
    "FacetCount",
    "FacetCounts",
    "MarkedText",
    "SearchHit",
    "SearchParams",
    "SearchResult",
    "Span",
    "Suggestion",
    "autocomplete",
    "catalog_counts",
    "courses_changed",
    "courses_of",
    "matching_course_ids",
    "page_number",
    "rebuild_index",
    "related_course_ids",
    "resolve_sort",
    "search_courses",
]
