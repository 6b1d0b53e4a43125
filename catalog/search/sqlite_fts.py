"""SQLite backend: an FTS5 table with bm25 ranking, maintained alongside the courses."""

from __future__ import annotations

from sqlalchemy import Connection, Select, column, func, literal_column, select, table
from sqlalchemy.dialects.sqlite import insert

from catalog.models import SearchWord
from catalog.search.backend import SearchBackend
from catalog.search.documents import CourseDocument
from catalog.search.query import ParsedQuery, Term

FTS_COLUMNS = ("title", "topics", "tools", "summary", "description", "institute", "area")
#: bm25 weights, in FTS_COLUMNS order: title above topics and tools above summary above the rest.
WEIGHTS = (10.0, 6.0, 6.0, 3.0, 1.0, 2.0, 1.0)

course_fts = table("course_fts", column("rowid"), *(column(name) for name in FTS_COLUMNS))


def _quote(word: str) -> str:
    # Words hold letters and digits only (see query.WORD_RE); quoting makes FTS5 read each as a
    # plain string even when it spells an operator such as AND, OR, NOT or NEAR.
    return f'"{word}"'


def _term_expression(term: Term) -> str:
    alternatives = []
    for phrase in term.alternatives:
        rendered = " + ".join(_quote(word) for word in phrase)
        if term.prefix:
            rendered += "*"
        alternatives.append(rendered)
    if len(alternatives) == 1:
        return alternatives[0]
    return "(" + " OR ".join(alternatives) + ")"


def match_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH string for a parsed query: every term required."""
    return " AND ".join(_term_expression(term) for term in query.terms)


class SQLiteSearchBackend(SearchBackend):
    """Search through the ``course_fts`` FTS5 table."""

    name = "sqlite"
    index = course_fts
    id_column = "rowid"
    insert = staticmethod(insert)

    def matches(self, query: ParsedQuery):
        """A selectable of ``(course_id, rank)``, lower rank is better."""
        rank = func.bm25(literal_column("course_fts"), *WEIGHTS)
        return (
            select(course_fts.c.rowid.label("course_id"), rank.label("rank"))
            .where(literal_column("course_fts").op("MATCH")(match_expression(query)))
            .subquery("matches")
        )

    def write(self, conn: Connection, documents: list[CourseDocument]) -> None:
        """Replace the index rows of these courses."""
        if not documents:
            return
        self.delete(conn, [doc.course_id for doc in documents])
        conn.execute(
            course_fts.insert(),
            [
                {"rowid": doc.course_id, **{name: getattr(doc, name) for name in FTS_COLUMNS}}
                for doc in documents
            ],
        )
        self.add_words(conn, documents)

    def similar_words(self, word: str) -> Select:
        """A select of the dictionary words that could be what ``word`` (4 letters or more) was
        meant to be: about as long, and sharing its first or second letter."""
        low, high = len(word) - 2, len(word) + 2
        return select(SearchWord.word).where(
            func.length(SearchWord.word).between(low, high),
            SearchWord.word.like(f"{word[0]}%") | SearchWord.word.like(f"_{word[1]}%"),
        )
