"""What the SQLite and PostgreSQL search backends share: index-row removal and the word list."""

from __future__ import annotations

from sqlalchemy import Connection, delete
from sqlalchemy.sql.expression import TableClause

from catalog.models import SearchWord
from catalog.search.documents import CourseDocument


class SearchBackend:
    """Base of the backends: ``index`` is the table holding one row per course."""

    name: str
    index: TableClause
    id_column: str
    #: The dialect's INSERT construct (it has ``on_conflict_do_nothing``).
    insert = None

    def delete(self, conn: Connection, course_ids: list[int]) -> None:
        """Remove these courses from the index."""
        if course_ids:
            conn.execute(delete(self.index).where(self.index.c[self.id_column].in_(course_ids)))

    def clear(self, conn: Connection) -> None:
        """Empty the index and the word list."""
        conn.execute(delete(self.index))
        conn.execute(delete(SearchWord))

    def add_words(self, conn: Connection, documents: list[CourseDocument]) -> None:
        """Add the documents' words to the dictionary that "did you mean" draws on."""
        new_words = set().union(*(doc.words() for doc in documents))
        if new_words:
            conn.execute(
                self.insert(SearchWord).on_conflict_do_nothing(),
                [{"word": word} for word in sorted(new_words)],
            )
