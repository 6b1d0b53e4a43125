"""The import's steps for the vocabulary and the institutes (with campuses and instructors):
each checks a record, and when the walk writes, creates or updates it through its service."""

from __future__ import annotations

from typing import Any

from catalog.data.exchange import export
from catalog.data.exchange.document import as_document
from catalog.data.exchange.walk import Walk
from catalog.data.records import Record
from catalog.data.seed_changes import (
    campus_changes,
    institute_changes,
    instructor_changes,
    new_institute,
    term_changes,
)
from catalog.models import Area, Campus, Institute, InstituteStatus, Instructor, Tool, Topic
from catalog.models.contacts import parse_phone
from catalog.services.campuses import apply_campus
from catalog.services.institutes import apply_institute
from catalog.services.instructors import apply_instructor
from catalog.services.moderation_institutes import approve_institute, set_verified
from catalog.services.vocabulary import save_term

TERM_MODELS = {"areas": Area, "topics": Topic, "tools": Tool}
TERM_DOCUMENTS = {
    "areas": export.area_document,
    "topics": export.topic_document,
    "tools": export.tool_document,
}
#: What an institute record holds that only its own services change.
STANDING = ("status", "verified")
#: The one change of an institute's status an import makes (through ``approve_institute``).
APPROVAL = (InstituteStatus.PENDING, InstituteStatus.APPROVED)


#: How each kind of an institute's part stands in for a new one while checking, reads as a
#: document, and is written.
PARTS = {
    "campuses": (lambda changes: Campus(address=changes.address), export.campus_document, apply_campus),
    "instructors": (
        lambda changes: Instructor(name=changes.name),
        export.instructor_document,
        apply_instructor,
    ),
}


def _profile(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in STANDING}


class InstituteSteps(Walk):
    """Areas, topics and tools; institutes, their campuses and instructors."""

    def term(self, kind: str, record: Record) -> None:
        """An area, topic or tool: added, or updated by slug."""
        slug, changes, details = term_changes(record, kind[:-1])
        if not self._first(record, kind, slug):
            return
        if changes.name and not self._first(record, f"{kind} name", changes.name.casefold(), "name"):
            return
        stored = self.stored.terms[kind].get(slug)
        if not self.applying:
            self.terms[kind][slug] = stored or TERM_MODELS[kind](slug=slug, name=changes.name)
            return
        args = (kind[:-1], slug, changes, details, self.actor, stored)
        self.terms[kind][slug] = self._save(
            record, kind, changes.name, stored, TERM_DOCUMENTS[kind], save_term, *args
        )

    def institute(self, record: Record) -> None:
        """An institute with its campuses and instructors."""
        slug = record.slug()
        if not self._first(record, "institutes", slug):
            return
        changes = institute_changes(record, self.today)
        status, verified = record.choice("status", InstituteStatus), record.boolean("verified", False)
        if changes.phone and parse_phone(changes.phone) is None:
            record.refuse("phone", f"{changes.phone!r} is not a phone number")
        stored = self.stored.institutes.get(slug)
        approving = stored is not None and status != stored.status
        if approving and status is not None and (stored.status, status) != APPROVAL:
            record.refuse(
                "status",
                f"is {stored.status.value} in the catalog; an import approves a pending institute, "
                "nothing more (suspend or reinstate one on its admin page)",
            )
        if not self.applying:
            institute = stored or Institute(slug=slug, name=changes.name, status=status, verified=verified)
        elif stored is None:
            institute = new_institute(record, slug)
            self._write(record, apply_institute, self.actor, institute, changes)
            self.report.note("created", "institutes", changes.name)
        else:
            institute = stored
            verifying = verified != stored.verified
            editing = _profile(as_document(record)) != _profile(export.institute_document(stored))
            if editing:
                self._write(record, apply_institute, self.actor, stored, changes)
            if approving:
                self._write(record, approve_institute, stored, by=self.actor)
            if verifying:
                self._write(record, set_verified, stored, verified, by=self.actor)
            changed = editing or approving or verifying
            self.report.note("updated" if changed else "unchanged", "institutes", stored.name)
        self.institutes[slug] = institute
        self._campuses(record, slug, institute)
        self._instructors(record, slug, institute)

    def _campuses(self, record: Record, slug: str, institute: Institute) -> None:
        campuses, _instructors = self._institute_parts(slug)
        areas = self.terms["areas"]
        for item in record.parts.get("campuses", []):
            changes = campus_changes(item, areas)
            area = areas.get(item.data["area"]) if isinstance(item.data.get("area"), str) else None
            if area is not None and area.is_online:
                item.refuse("area", "a campus is in an area of the city, not Online")
            if area is None or not self._first(item, f"campuses of {slug}", area.slug, "area"):
                continue
            name = f"{changes.address} ({institute.name})"
            self._part(item, "campuses", name, campuses, area.slug, institute, changes)

    def _instructors(self, record: Record, slug: str, institute: Institute) -> None:
        _campuses, instructors = self._institute_parts(slug)
        for item in record.parts.get("instructors", []):
            changes = instructor_changes(item)
            if self._first(item, f"instructors of {slug}", changes.name, "name"):
                name = f"{changes.name} ({institute.name})"
                self._part(item, "instructors", name, instructors, changes.name, institute, changes)

    def _part(self, item: Record, kind: str, name: str, known: dict, key: str, institute, changes) -> None:
        """A campus or an instructor of ``institute``, under ``key`` among the ``known`` ones."""
        placeholder, document, service = PARTS[kind]
        stored = known.get(key)
        if not self.applying:
            known[key] = stored or placeholder(changes)
        else:
            known[key] = self._save(
                item, kind, name, stored, document, service, self.actor, institute, changes, stored
            )
