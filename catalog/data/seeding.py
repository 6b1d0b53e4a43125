"""Load the seed catalog in ``data/`` into the database: all of it, once, or nothing.

Records are matched by their natural key (slug; name within an institute), so a second run
adds only what is missing and never overwrites what staff have edited since. Dates in the files
are relative to the day the seed runs ("starts_in_days"), so a fresh catalog is always current.

Institutes, campuses, instructors, courses, batches and events are written through the same
services as the portal's, inside one unit of work: the seed's listings follow the portal's rules
(a course promising guaranteed placement waits as pending) and its audit entries name no user.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalog.data.records import DataError, Record, read_list, read_yaml
from catalog.data.seed_changes import (
    campus_changes,
    institute_changes,
    instructor_changes,
    new_institute,
    refusals_named,
    seed_batch_changes,
    seed_course_changes,
    seed_event_changes,
    term_changes,
)
from catalog.models import Area, Course, Event, Institute, Tool, Topic
from catalog.services.batches import apply_batch
from catalog.services.campuses import apply_campus
from catalog.services.courses import apply_course
from catalog.services.events import apply_event
from catalog.services.institutes import apply_institute, changes_of
from catalog.services.instructors import apply_instructor
from catalog.services.transactions import unit_of_work
from catalog.timeutil import local_today


class SeedError(RuntimeError):
    """The seed could not be loaded; the database was left as it was."""


@dataclass
class SeedReport:
    """How many records of each kind a seed run added."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, how_many: int = 1) -> None:
        """Note ``how_many`` more records of ``kind`` added."""
        if how_many:
            self.added[kind] = self.added.get(kind, 0) + how_many

    def __str__(self) -> str:
        if not self.added:
            return "Nothing to add: the catalog already holds every seed record."
        return "Added " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.added.items())) + "."


class Seeder:
    """Reads the data folder and adds what is missing, inside the caller's transaction."""

    def __init__(self, session: Session, data_dir: Path):
        self.session = session
        self.data_dir = data_dir
        self.today = local_today()
        self.report = SeedReport()
        self.seen_courses: set[str] = set()

    def _existing(self, model, key: str = "slug") -> dict[str, object]:
        return {getattr(obj, key): obj for obj in self.session.scalars(select(model))}

    def _add(self, obj, kind: str) -> None:
        self.session.add(obj)
        self.report.count(kind)

    def load_areas(self) -> dict[str, Area]:
        """Add the areas of ``areas.yaml`` not stored yet; every area by slug."""
        return self.load_vocabulary(Area, "areas.yaml", "areas")

    def load_vocabulary(self, model, filename: str, kind: str) -> dict[str, object]:
        """Add the areas, topics or tools of ``filename`` not stored yet; every entry by slug."""
        entries = self._existing(model)
        term_kind = {Area: "area", Topic: "topic", Tool: "tool"}[model]
        for record in read_list(self.data_dir / filename, "slug"):
            slug = record.slug()
            if slug in entries:
                continue
            slug, changes, details = term_changes(record, term_kind)
            values = {"name": changes.name, "slug": slug, **details}
            if model is not Area:
                values["synonyms"] = [s.lower() for s in changes.synonyms]
            if model is Topic:
                values["description"] = changes.description
            entries[slug] = model(**values)
            self._add(entries[slug], kind)
        return entries

    def load_institutes(self, areas, topics, tools) -> dict[str, Institute]:
        """Add each institute file's institute and whatever of its records is missing."""
        institutes = self._existing(Institute)
        for path in sorted((self.data_dir / "institutes").glob("*.yaml")):
            record = Record(str(path), "institute", read_yaml(path))
            slug = record.slug()
            record.label = f"institute {slug!r}"
            try:
                if slug not in institutes:
                    institutes[slug] = self._new_institute(record, slug)
                else:
                    self._add_partners(record, institutes[slug])
                self._load_institute_parts(record, institutes[slug], areas, topics, tools)
            except SQLAlchemyError as error:
                raise DataError(f"{path}: the database refused a record: {error.orig}") from None
        return institutes

    def _new_institute(self, record: Record, slug: str) -> Institute:
        institute = new_institute(record, slug)
        with refusals_named(record):
            apply_institute(self.session, None, institute, institute_changes(record, self.today))
        self.report.count("institutes")
        self.report.count("partners", len(institute.partners))
        return institute

    def _add_partners(self, record: Record, institute: Institute) -> None:
        current = changes_of(institute)
        missing = [
            name for name in record.strings("partners", required=False) if name not in current.partners
        ]
        if not missing:
            return
        with refusals_named(record):
            apply_institute(
                self.session, None, institute, replace(current, partners=(*current.partners, *missing))
            )
        self.report.count("partners", len(missing))

    def _load_institute_parts(self, record: Record, institute: Institute, areas, topics, tools) -> None:
        campuses = {campus.area.slug: campus for campus in institute.campuses}
        for item in record.records("campuses", "area"):
            area = item.reference("area", areas, "area")
            if area.slug not in campuses:
                changes = campus_changes(item, areas)
                with refusals_named(item):
                    campuses[area.slug] = apply_campus(self.session, None, institute, changes).record
                self.report.count("campuses")
        instructors = {person.name: person for person in institute.instructors}
        for item in record.records("instructors", "name"):
            name = item.text("name", 160)
            if name not in instructors:
                changes = instructor_changes(item)
                with refusals_named(item):
                    instructors[name] = apply_instructor(self.session, None, institute, changes).record
                self.report.count("instructors")
        existing_courses = set(self.session.scalars(select(Course.slug)))
        for item in record.records("courses", "slug"):
            slug = item.slug()
            if slug in self.seen_courses:
                raise item.error("slug", f"{slug!r} is used by another course in the seed")
            self.seen_courses.add(slug)
            if slug in existing_courses:
                continue
            self._course(item, institute, campuses, instructors, topics, tools)
            self.report.count("courses")

    def _course(self, record: Record, institute, campuses, instructors, topics, tools) -> None:
        changes = seed_course_changes(
            record, self.today, campuses=campuses, instructors=instructors, topics=topics, tools=tools
        )
        batches = [
            (item, seed_batch_changes(item, self.today, campuses))
            for item in record.records("batches", "starts_in_days")
        ]
        with refusals_named(record):
            # The seed is reviewed with the catalog, so an unverified institute's published course
            # needs no second review; a guarantee claim is held all the same.
            course = apply_course(self.session, None, institute, changes, reviewed=True).record
        for item, batch in batches:
            with refusals_named(item):
                # Demo batches may have started already, to show what a learner sees then.
                apply_batch(self.session, None, course, batch, may_have_started=True)

    def load_events(self, areas, topics, institutes) -> None:
        """Add the events of ``events.yaml`` not stored yet."""
        events = self._existing(Event)
        for record in read_list(self.data_dir / "events.yaml", "slug"):
            slug = record.slug()
            if slug in events:
                continue
            changes = seed_event_changes(record, self.today, areas, topics)
            institute = record.reference("institute", institutes, "institute", required=False)
            with refusals_named(record):
                events[slug] = apply_event(self.session, None, institute, changes).record
            self.report.count("events")

    def run(self) -> SeedReport:
        """Add every missing record of the data folder; the caller's unit of work commits."""
        with self.session.no_autoflush:
            areas = self.load_areas()
            topics = self.load_vocabulary(Topic, "topics.yaml", "topics")
            tools = self.load_vocabulary(Tool, "tools.yaml", "tools")
            self.session.flush()
            institutes = self.load_institutes(areas, topics, tools)
            self.load_events(areas, topics, institutes)
        return self.report


def seed_catalog(session: Session, data_dir: Path | str) -> SeedReport:
    """Add every missing seed record in one transaction; on any error, change nothing."""
    data_dir = Path(data_dir)
    try:
        with unit_of_work(session):
            report = Seeder(session, data_dir).run()
    except DataError as error:
        raise SeedError(str(error)) from None
    except SQLAlchemyError as error:
        raise SeedError(
            f"{data_dir}: the database refused the seed: {getattr(error, 'orig', error)}"
        ) from None
    return report
