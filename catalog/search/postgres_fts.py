"""PostgreSQL backend: a weighted tsvector per course with a GIN index; pg_trgm for suggestions."""

from __future__ import annotations

from sqlalchemy import Connection, Select, column, func, select, table, text
from sqlalchemy.dialects.postgresql import TSVECTOR, insert

from catalog.models import SearchWord
from catalog.search.backend import SearchBackend
from catalog.search.documents import CourseDocument
from catalog.search.query import ParsedQuery, Term, words

CONFIG = "english"
#: How many near words "did you mean" weighs per unknown word.
SIMILAR_WORDS = 20
#: Weight letters per document field: title A, topics and tools B, summary C, the rest D.
FIELD_WEIGHTS = (
    ("title", "A"),
    ("topics", "B"),
    ("tools", "B"),
    ("summary", "C"),
    ("institute", "C"),
    ("description", "D"),
    ("area", "D"),
)

course_search = table("course_search", column("course_id"), column("document", TSVECTOR))


def _plain(text: str) -> str:
    # PostgreSQL's parser reads "CI/CD" as a file path and "ml.ops" as a host name; feeding it
    # the words as the query side sees them keeps both sides tokenised alike.
    return " ".join(words(text))


def _lexeme(word: str, prefix: bool) -> str:
    # Words hold letters and digits only (query.WORD_RE), so single quotes cannot be unbalanced.
    return f"'{word}':*" if prefix else f"'{word}'"


def _term_expression(term: Term) -> str:
    alternatives = [
        "(" + " <-> ".join(_lexeme(word, term.prefix) for word in phrase) + ")"
        for phrase in term.alternatives
    ]
    return "(" + " | ".join(alternatives) + ")"


def tsquery_expression(query: ParsedQuery) -> str:
    """The ``to_tsquery`` input for a parsed query: every term required."""
    return " & ".join(_term_expression(term) for term in query.terms)


class PostgresSearchBackend(SearchBackend):
    """Search through the ``course_search`` table."""

    name = "postgresql"
    index = course_search
    id_column = "course_id"
    insert = staticmethod(insert)

    def matches(self, query: ParsedQuery):
        """A selectable of ``(course_id, rank)``, lower rank is better."""
        tsquery = func.to_tsquery(CONFIG, tsquery_expression(query))
        rank = -func.ts_rank(course_search.c.document, tsquery)
        return (
            select(course_search.c.course_id, rank.label("rank"))
            .where(course_search.c.document.op("@@")(tsquery))
            .subquery("matches")
        )

    def write(self, conn: Connection, documents: list[CourseDocument]) -> None:
        """Insert or replace the index rows of these courses."""
        if not documents:
            return
        vector = " || ".join(
            f"setweight(to_tsvector('{CONFIG}', coalesce(:{name}, '')), '{weight}')"
            for name, weight in FIELD_WEIGHTS
        )
        conn.execute(
            text(
                f"INSERT INTO course_search (course_id, document) VALUES (:course_id, {vector}) "
                # nosec B608 # only module constants are spliced in; every value is bound
                "ON CONFLICT (course_id) DO UPDATE SET document = EXCLUDED.document"
            ),
            [
                {
                    "course_id": doc.course_id,
                    **{name: _plain(getattr(doc, name)) for name, _ in FIELD_WEIGHTS},
                }
                for doc in documents
            ],
        )
        self.add_words(conn, documents)

    def similar_words(self, word: str) -> Select:
        """A select of the 20 dictionary words with most trigrams in common with ``word``."""
        similarity = func.similarity(SearchWord.word, word)
        return (
            select(SearchWord.word)
            .where(SearchWord.word.op("%")(word))
            .order_by(similarity.desc())
            .limit(SIMILAR_WORDS)
        )
