"""The walk over an exchange file that checks its records, or writes them: what it knows
(the stored records, and the file's as it meets them) and the helpers every step uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from catalog.data.exchange.document import Document, as_document
from catalog.data.exchange.report import ImportReport
from catalog.data.exchange.stored import Stored
from catalog.data.records import Record
from catalog.data.seed_changes import refusals_named
from catalog.models import Campus, Institute, Instructor
from catalog.services.outcomes import Outcome
from catalog.timeutil import local_today

#: The earliest and latest day a batch or an event of the catalog may fall on.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class Unchecked(dict):
    """Stands for references that cannot be checked: it holds every key, each as None."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: object) -> None:
        return None


UNCHECKED = Unchecked()


class Stop(Exception):
    """Ends the writing pass without a commit: a dry run, or a problem met while writing."""


class Walk:
    """Walks an exchange file's records in order: checking them (``applying`` False), or
    writing them."""

    def __init__(self, session: Session, document: Document, report: ImportReport, actor, applying: bool):
        self.session, self.document, self.report = session, document, report
        self.actor, self.applying = actor, applying
        self.today = local_today()
        self.stored = Stored(session, document)
        self.terms = {kind: dict(terms) for kind, terms in self.stored.terms.items()}
        self.institutes: dict[str, Institute] = dict(self.stored.institutes)
        self.campuses: dict[str, dict[str, Campus]] = {}
        self.instructors: dict[str, dict[str, Instructor]] = {}
        self.courses: dict[str, Any] = dict(self.stored.courses)
        self.course_institute = {slug: course.institute.slug for slug, course in self.courses.items()}
        # A course's stored batches, oldest first, each matched to at most one of the file's.
        self.batches = {slug: list(course.batches) for slug, course in self.courses.items()}
        self.seen: dict[tuple[str, Any], str] = {}

    def _first(self, record: Record, kind: str, key: Any, field: str = "slug") -> bool:
        """True for the first record of ``kind`` with ``key``; a later one is refused."""
        if key is None:
            return False
        if (kind, key) in self.seen:
            record.refuse(field, f"{key!r} is given twice (first at {self.seen[kind, key]})")
            return False
        self.seen[kind, key] = f"{record.source} {record.label}"
        return True

    def _write(self, record: Record, service, *args, **kwargs):
        """Call a write service for ``record``; a refusal stops the pass, naming the record."""
        if self.document.problems:
            raise Stop()
        with refusals_named(record):
            return service(self.session, *args, **kwargs)

    def _unchanged(self, record: Record, kind: str, name: str, stored, document, parts=()) -> bool:
        """True, and counted, when the ``stored`` record's document is the file's."""
        if stored is None or document(stored) != as_document(record, parts):
            return False
        self.report.note("unchanged", kind, name)
        return True

    def _save(self, record: Record, kind: str, name: str, stored, document, service, *args, **kwargs):
        """Write ``record`` through ``service`` (creating it, or updating ``stored``) unless the
        stored record already is what the file says; count the outcome; return the record."""
        if self._unchanged(record, kind, name, stored, document):
            return stored
        written = self._write(record, service, *args, **kwargs)
        self.report.note("created" if stored is None else "updated", kind, name)
        return written.record if isinstance(written, Outcome) else written

    def _day(self, record: Record, field: str, required: bool = True) -> date | None:
        day = record.day(field, required)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            return record.refuse(field, f"must fall between {FIRST_DAY} and {LAST_DAY}")
        return day

    def _moment(self, record: Record, field: str):
        moment = record.moment(field)
        if moment is not None and not FIRST_DAY <= moment.date() <= LAST_DAY:
            return record.refuse(field, f"must fall between {FIRST_DAY} and {LAST_DAY}")
        return moment

    def _institute_parts(self, slug: str | None) -> tuple[dict[str, Campus], dict[str, Instructor]]:
        """The campuses (by area slug) and instructors (by name) of an institute: stored, then
        the file's."""
        if slug not in self.campuses:
            stored = self.stored.institutes.get(slug)
            self.campuses[slug] = {c.area.slug: c for c in stored.campuses} if stored else {}
            self.instructors[slug] = {p.name: p for p in stored.instructors} if stored else {}
        return self.campuses[slug], self.instructors[slug]
