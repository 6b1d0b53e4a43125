"""What the catalog already holds of the records an import file names, loaded once: the whole
vocabulary, and the institutes, courses (with their batches) and events the file names by slug."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.data.exchange import export
from catalog.data.exchange.document import Document
from catalog.models import Area, Batch, Campus, Course, Event, Institute, Tool, Topic

#: Slugs asked for in one statement (well below every backend's limit of parameters).
CHUNK = 500


def _slugs(document: Document, kind: str, name: str = "slug") -> set[str]:
    return {value for record in document.records[kind] if isinstance(value := record.data.get(name), str)}


def _by_slug(session: Session, model, slugs: Iterable[str], *options) -> dict[str, Any]:
    wanted = sorted(slugs)
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        stmt = select(model).where(model.slug.in_(wanted[start : start + CHUNK])).options(*options)
        found.update((record.slug, record) for record in session.scalars(stmt).unique())
    return found


class Stored:
    """The stored records an import may update or refer to, by slug."""

    def __init__(self, session: Session, document: Document):
        self.terms: dict[str, dict[str, Any]] = {
            kind: {term.slug: term for term in session.scalars(select(model))}
            for kind, model in (("areas", Area), ("topics", Topic), ("tools", Tool))
        }
        institute_slugs = (
            _slugs(document, "institutes")
            | _slugs(document, "courses", "institute")
            | _slugs(document, "events", "institute")
        )
        self.institutes: dict[str, Institute] = _by_slug(
            session, Institute, institute_slugs, *export.INSTITUTE_LOADING
        )
        self.courses: dict[str, Course] = _by_slug(
            session,
            Course,
            _slugs(document, "courses") | _slugs(document, "batches", "course"),
            *export.COURSE_LOADING,
            selectinload(Course.batches).joinedload(Batch.campus).joinedload(Campus.area),
        )
        self.events: dict[str, Event] = _by_slug(
            session, Event, _slugs(document, "events"), *export.EVENT_LOADING
        )
        # A course's institute must be loaded too, for its campuses and instructors.
        missing = {course.institute.slug for course in self.courses.values()} - set(self.institutes)
        self.institutes.update(_by_slug(session, Institute, missing, *export.INSTITUTE_LOADING))
