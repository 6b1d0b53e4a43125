"""Keep the search index in step with the catalog, inside the same transaction as each change.

The contract: every write that can change what a search finds, how it filters or how it sorts
says which courses it touched with one call, on its own connection, before it commits::

    courses_changed(conn, course_ids)

The call rewrites those courses' index rows (dropping the rows of courses that no longer exist)
and replaces ``search_state.version``, so every process rebuilds its facet snapshot. It runs in
the writer's transaction, so a rollback undoes the index change with the data change. A change
that alters results without touching a course (a new topic or area, a synonym) calls it with no
ids: the version still moves.

- **ORM writes** need not call it: the session listener (:func:`listen`) calls it on every
  flush that touches a course, a batch, a course language, an institute, a campus, an area, a
  topic or a tool, with the courses reached through them. The courses of records being deleted
  or changed are found *before* the flush, while the rows linking them still exist (deleting a
  topic deletes its ``course_topics`` rows with it); new courses are added after it, once they
  have ids.
- **Many writes in one transaction** (the seed, later the importer) wrap them in
  :func:`reindex_once`: their flushes only note the courses, and the index is rewritten once at
  the end of the block, still inside the transaction.
- **Core and bulk writes** (the generator, later importers and vocabulary merges) call it
  themselves. :func:`courses_of` finds the courses linked to institutes, campuses, areas, topics
  or tools; call it *before* deleting such records, while their links still exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

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

#: Records whose changes can alter which courses a search finds, their facets or their order.
SEARCH_INPUTS = (Course, Batch, CourseLanguage, Institute, Campus, Area, Topic, Tool)

#: Where a session keeps the courses found before a flush until the flush has run.
_PENDING = "search_index_pending"
#: Where a session inside :func:`reindex_once` gathers the courses its flushes touched.
_DEFERRED = "search_index_deferred"


def backend_for(conn_or_session) -> SQLiteSearchBackend | PostgresSearchBackend:
    """The search backend for the database behind a connection, engine or session."""
    bind = conn_or_session.get_bind() if hasattr(conn_or_session, "get_bind") else conn_or_session
    return BACKENDS[bind.dialect.name]


def courses_changed(conn: Connection, course_ids: Iterable[int]) -> None:
    """The one call of the index contract: these courses changed (or are gone); see above."""
    bump_version(conn)
    reindex_courses(conn, course_ids)


def courses_of(
    conn: Connection,
    *,
    institutes: Iterable[int] = (),
    campuses: Iterable[int] = (),
    areas: Iterable[int] = (),
    topics: Iterable[int] = (),
    tools: Iterable[int] = (),
) -> set[int]:
    """Ids of the courses that these institutes, campuses, areas, topics or tools reach now."""
    lookups = (
        (set(institutes), lambda ids: select(Course.id).where(Course.institute_id.in_(ids))),
        (
            set(campuses),
            lambda ids: select(course_campuses.c.course_id).where(course_campuses.c.campus_id.in_(ids)),
        ),
        (
            set(areas),
            lambda ids: (
                select(course_campuses.c.course_id)
                .join(Campus, Campus.id == course_campuses.c.campus_id)
                .where(Campus.area_id.in_(ids))
            ),
        ),
        (set(topics), lambda ids: select(course_topics.c.course_id).where(course_topics.c.topic_id.in_(ids))),
        (set(tools), lambda ids: select(course_tools.c.course_id).where(course_tools.c.tool_id.in_(ids))),
    )
    found: set[int] = set()
    for ids, stmt in lookups:
        if ids:
            found.update(conn.scalars(stmt(ids)))
    return found


def reindex_courses(conn: Connection, course_ids: Iterable[int]) -> None:
    """Rewrite the index rows of these courses; ids that no longer exist are dropped."""
    backend = backend_for(conn)
    for batch in chunks(sorted(set(course_ids))):
        documents = build_documents(conn, batch)
        present = {doc.course_id for doc in documents}
        backend.delete(conn, [course_id for course_id in batch if course_id not in present])
        backend.write(conn, documents)


def rebuild_index(conn: Connection) -> int:
    """Rebuild the whole index from the catalog; returns the number of courses indexed."""
    backend_for(conn).clear(conn)
    ids = list(conn.scalars(select(Course.id).order_by(Course.id)))
    courses_changed(conn, ids)
    return len(ids)


def _linked_courses(conn: Connection, records: Iterable[object]) -> set[int]:
    """Courses reached through the institutes, campuses, areas, topics and tools in ``records``."""
    kinds = {Institute: "institutes", Campus: "campuses", Area: "areas", Topic: "topics", Tool: "tools"}
    ids: dict[str, set[int]] = {name: set() for name in kinds.values()}
    for record in records:
        name = kinds.get(type(record))
        if name and record.id is not None:
            ids[name].add(record.id)
    return courses_of(conn, **ids)


def _direct_courses(records: Iterable[object]) -> set[int]:
    """Courses that are, or own, one of ``records`` (courses, their batches and languages)."""
    found: set[int] = set()
    for record in records:
        if isinstance(record, Course):
            found.add(record.id)
        elif isinstance(record, Batch | CourseLanguage) and record.course_id is not None:
            found.add(record.course_id)
    return found


def _before_flush(session: Session, _flush_context, _instances) -> None:
    changing = [*session.dirty, *session.deleted]
    if any(isinstance(record, SEARCH_INPUTS) for record in changing):
        pending = session.info.setdefault(_PENDING, set())
        pending.update(_linked_courses(session.connection(), changing))


def _after_flush(session: Session, _flush_context) -> None:
    touched = [*session.new, *session.dirty, *session.deleted]
    pending = session.info.pop(_PENDING, set())
    if not pending and not any(isinstance(record, SEARCH_INPUTS) for record in touched):
        return
    changed = pending | _direct_courses(touched)
    deferred = session.info.get(_DEFERRED)
    if deferred is not None:
        deferred.update(changed)
        session.info[_DEFERRED + ".any"] = True
        return
    courses_changed(session.connection(), changed)


@contextmanager
def reindex_once(session: Session) -> Iterator[None]:
    """Rewrite the index once, at the end of the block, for every course its flushes touched.

    For many ORM writes in one transaction (the seed writes hundreds of records through the
    services, each of which flushes): reindexing per flush would rewrite the same courses again
    and again. A block opened inside another joins it.
    """
    if _DEFERRED in session.info:
        yield
        return
    session.info[_DEFERRED] = set()
    try:
        yield
        session.flush()
        changed = session.info.pop(_DEFERRED)
        if session.info.pop(_DEFERRED + ".any", False):
            courses_changed(session.connection(), changed)
    finally:
        session.info.pop(_DEFERRED, None)
        session.info.pop(_DEFERRED + ".any", None)


def listen(session_class) -> None:
    """Attach the index contract to every session made by ``session_class``."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
