"""Course search: one service for every page and the API, over SQLite FTS5 or PostgreSQL."""

from catalog.search.index import rebuild_index, reindex_courses
from catalog.search.service import SORTS, SearchParams, SearchResult, search_courses

__all__ = [
    "SORTS",
    "SearchParams",
    "SearchResult",
    "rebuild_index",
    "reindex_courses",
    "search_courses",
]
