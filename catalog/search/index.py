"""Keep the search index in step with the catalog, inside the same transaction as each change.

A session listener notes which courses a flush touched (directly, or through their institute,
topics, tools, campuses or areas) and rewrites their index rows on the same connection, so a
rollback undoes the index change with the data change.
"""

from __future__ import annotations

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from catalog.models import (
    Area,
    Batch,
    Campus,
    Course,
    CourseLanguage,
    Institute,
    Tool,
    Topic,
    course_campuses,
    course_tools,
    course_topics,
)
from catalog.search.documents import build_documents, chunks
from catalog.search.facet_index import bump_version
from catalog.search.postgres_fts import PostgresSearchBackend
from catalog.search.sqlite_fts import SQLiteSearchBackend

BACKENDS = {"sqlite": SQLiteSearchBackend(), "postgresql": PostgresSearchBackend()}


def backend_for(conn_or_session) -> SQLiteSearchBackend | PostgresSearchBackend:
    """The search backend for the database behind a connection, engine or session."""
    bind = conn_or_session.get_bind() if hasattr(conn_or_session, "get_bind") else conn_or_session
    return BACKENDS[bind.dialect.name]


def reindex_courses(conn: Connection, course_ids: list[int]) -> None:
    """Rewrite the index rows of these courses; ids that no longer exist are dropped."""
    backend = backend_for(conn)
    for batch in chunks(sorted(set(course_ids))):
        documents = build_documents(conn, batch)
        present = {doc.course_id for doc in documents}
        backend.delete(conn, [course_id for course_id in batch if course_id not in present])
        backend.write(conn, documents)


def rebuild_index(conn: Connection) -> int:
    """Rebuild the whole index from the catalog; returns the number of courses indexed."""
    bump_version(conn)
    backend_for(conn).clear(conn)
    ids = list(conn.scalars(select(Course.id).order_by(Course.id)))
    reindex_courses(conn, ids)
    return len(ids)


def _affected_course_ids(session: Session) -> tuple[set[int], set[int]]:
    changed: set[int] = set()
    deleted: set[int] = set()
    institute_ids, topic_ids, tool_ids, campus_ids, area_ids = set(), set(), set(), set(), set()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Course):
            changed.add(obj.id)
        elif isinstance(obj, Institute):
            institute_ids.add(obj.id)
        elif isinstance(obj, Topic):
            topic_ids.add(obj.id)
        elif isinstance(obj, Tool):
            tool_ids.add(obj.id)
        elif isinstance(obj, Campus):
            campus_ids.add(obj.id)
        elif isinstance(obj, Area):
            area_ids.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Course):
            deleted.add(obj.id)
    conn = session.connection()
    lookups = (
        (institute_ids, select(Course.id).where(Course.institute_id.in_(institute_ids))),
        (topic_ids, select(course_topics.c.course_id).where(course_topics.c.topic_id.in_(topic_ids))),
        (tool_ids, select(course_tools.c.course_id).where(course_tools.c.tool_id.in_(tool_ids))),
        (
            campus_ids,
            select(course_campuses.c.course_id).where(course_campuses.c.campus_id.in_(campus_ids)),
        ),
        (
            area_ids,
            select(course_campuses.c.course_id)
            .join(Campus, Campus.id == course_campuses.c.campus_id)
            .where(Campus.area_id.in_(area_ids)),
        ),
    )
    for ids, stmt in lookups:
        if ids:
            changed.update(conn.scalars(stmt))
    return changed - deleted, deleted


#: Records whose changes can alter which courses a search finds, their facets or their order.
SEARCH_INPUTS = (Course, Batch, CourseLanguage, Institute, Campus, Area, Topic, Tool)


def _after_flush(session: Session, _flush_context) -> None:
    conn = session.connection()
    if any(isinstance(obj, SEARCH_INPUTS) for obj in (*session.new, *session.dirty, *session.deleted)):
        bump_version(conn)
    changed, deleted = _affected_course_ids(session)
    if not changed and not deleted:
        return
    backend_for(conn).delete(conn, sorted(deleted))
    reindex_courses(conn, sorted(changed))


def listen(session_class) -> None:
    """Attach index maintenance to every session made by ``session_class``."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
