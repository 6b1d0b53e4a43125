"""Load the seed catalog in ``data/`` into the database: all of it, once, or nothing.

Records are matched by their natural key (slug; name within an institute), so a second run
adds only what is missing and never overwrites what staff have edited since. Dates in the files
are relative to the day the seed runs ("starts_in_days"), so a fresh catalog is always current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalog.data.records import DataError, Record
from catalog.models import (
    LANGUAGES,
    Area,
    Batch,
    BatchStatus,
    Campus,
    Course,
    CourseFormat,
    CourseLanguage,
    CourseModule,
    CourseStatus,
    Event,
    EventKind,
    Institute,
    InstituteStatus,
    Instructor,
    Level,
    Mode,
    Partner,
    Schedule,
    Tool,
    Topic,
)
from catalog.timeutil import LOCAL_TZ, local_today


class SeedError(RuntimeError):
    """The seed could not be loaded; the database was left as it was."""


@dataclass
class SeedReport:
    """How many records of each kind a seed run added."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1

    def __str__(self) -> str:
        if not self.added:
            return "Nothing to add: the catalog already holds every seed record."
        return "Added " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.added.items())) + "."


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataError(f"{path}: cannot be read as YAML: {error}") from None


def _read_list(path: Path, label_field: str) -> list[Record]:
    items = _read_yaml(path)
    if not isinstance(items, list):
        raise DataError(f"{path}: must hold a list of records")
    return [
        Record(
            str(path),
            f"record {index}" + (f" {item.get(label_field)!r}" if isinstance(item, dict) else ""),
            item,
        )
        for index, item in enumerate(items, 1)
    ]


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
        areas = self._existing(Area)
        for record in _read_list(self.data_dir / "areas.yaml", "slug"):
            slug = record.slug()
            if slug in areas:
                continue
            area = Area(
                name=record.text("name", 80),
                slug=slug,
                latitude=record.number("latitude", required=False),
                longitude=record.number("longitude", required=False),
            )
            areas[slug] = area
            self._add(area, "areas")
        return areas

    def load_vocabulary(self, model, filename: str, kind: str) -> dict[str, object]:
        entries = self._existing(model)
        for record in _read_list(self.data_dir / filename, "slug"):
            slug = record.slug()
            if slug in entries:
                continue
            values = {
                "name": record.text("name", 80),
                "slug": slug,
                "synonyms": [s.lower() for s in record.strings("synonyms", required=False)],
            }
            if model is Topic:
                values["description"] = record.text("description", 1000, required=False) or ""
            else:
                values["category"] = record.text("category", 40)
            entries[slug] = model(**values)
            self._add(entries[slug], kind)
        return entries

    def load_institutes(self, areas, topics, tools) -> dict[str, Institute]:
        institutes = self._existing(Institute)
        for path in sorted((self.data_dir / "institutes").glob("*.yaml")):
            record = Record(str(path), "institute", _read_yaml(path))
            slug = record.slug()
            record.label = f"institute {slug!r}"
            institute = institutes.get(slug)
            if institute is None:
                institute = Institute(
                    name=record.text("name", 160),
                    slug=slug,
                    description=record.text("description", 5000),
                    website=record.url("website"),
                    email=record.text("email", 254, required=False),
                    phone=record.text("phone", 40, required=False),
                    founded_year=record.integer("founded_year", 1900, self.today.year, required=False),
                    status=record.choice("status", InstituteStatus),
                    verified=record.boolean("verified", False),
                )
                institutes[slug] = institute
                self._add(institute, "institutes")
            self._load_institute_parts(record, institute, areas, topics, tools)
            try:
                self.session.flush()
            except SQLAlchemyError as error:
                raise DataError(f"{path}: the database refused a record: {error.orig}") from None
        return institutes

    def _load_institute_parts(self, record: Record, institute: Institute, areas, topics, tools) -> None:
        campuses = {campus.area.slug: campus for campus in institute.campuses}
        for item in record.records("campuses", "area"):
            area = item.reference("area", areas, "area")
            if area.slug not in campuses:
                campuses[area.slug] = Campus(area=area, address=item.text("address", 300))
                institute.campuses.append(campuses[area.slug])
                self.report.count("campuses")
        partner_names = {partner.name for partner in institute.partners}
        for name in record.strings("partners", required=False):
            if name not in partner_names:
                institute.partners.append(Partner(name=name))
                partner_names.add(name)
                self.report.count("partners")
        instructors = {person.name: person for person in institute.instructors}
        for item in record.records("instructors", "name"):
            name = item.text("name", 160)
            if name not in instructors:
                instructors[name] = Instructor(
                    name=name,
                    bio=item.text("bio", 2000, required=False) or "",
                    years_experience=item.integer("years_experience", 0, 60),
                    industry_background=item.text("industry_background", 200, required=False) or "",
                )
                institute.instructors.append(instructors[name])
                self.report.count("instructors")
        existing_courses = set(self.session.scalars(select(Course.slug)))
        for item in record.records("courses", "slug"):
            slug = item.slug()
            if slug in self.seen_courses:
                raise item.error("slug", f"{slug!r} is used by another course in the seed")
            self.seen_courses.add(slug)
            if slug in existing_courses:
                continue
            course = self._course(item, institute, campuses, instructors, topics, tools)
            self._add(course, "courses")

    def _course(self, record: Record, institute, campuses, instructors, topics, tools) -> Course:
        certification = record.data.get("certification")
        certification_name = certification_issuer = None
        if certification is not None:
            cert = Record(record.source, f"{record.label} > certification", certification)
            certification_name = cert.text("name", 200)
            certification_issuer = cert.text("issuer", 200)
        placement_support = record.boolean("placement_support", False)
        placement = record.data.get("placement")
        rate = year = cohort = None
        if placement is not None:
            if not placement_support:
                raise record.error("placement", "placement figures need placement_support: true")
            figures = Record(record.source, f"{record.label} > placement", placement)
            rate = figures.integer("rate_percent", 0, 100)
            year = figures.integer("year", 2000, self.today.year)
            cohort = figures.integer("cohort_size", 1, 100_000)
        languages = record.strings("languages")
        for language in languages:
            if language not in LANGUAGES:
                raise record.error("languages", f"unknown language {language!r}")
        reviewed_ago = record.integer("syllabus_reviewed_days_ago", 0, 3650, required=False)
        course = Course(
            institute=institute,
            title=record.text("title", 200),
            slug=record.slug(),
            summary=record.text("summary", 300),
            description=record.text("description", 20_000),
            format=record.choice("format", CourseFormat),
            level=record.choice("level", Level),
            duration_days=record.integer("duration_days", 1, 1000),
            total_hours=record.integer("total_hours", 1, 5000),
            fee_inr=record.integer("fee_inr", 0, 10_000_000),
            emi_available=record.boolean("emi_available", False),
            mode=record.choice("mode", Mode),
            certification_name=certification_name,
            certification_issuer=certification_issuer,
            refund_policy=record.text("refund_policy", 2000),
            placement_support=placement_support,
            placement_rate=rate,
            placement_year=year,
            placement_cohort_size=cohort,
            prerequisites=record.text("prerequisites", 2000, required=False) or "",
            status=record.choice("status", CourseStatus),
            syllabus_reviewed_on=None if reviewed_ago is None else self.today - timedelta(days=reviewed_ago),
            topics=record.references("topics", topics, "topic"),
            tools=record.references("tools", tools, "tool"),
            campuses=record.references("campuses", campuses, "campus area of this institute"),
            instructors=record.references("instructors", instructors, "instructor of this institute"),
            languages=[CourseLanguage(language=language) for language in languages],
        )
        for position, item in enumerate(record.records("modules", "title"), 1):
            course.modules.append(
                CourseModule(
                    position=position,
                    title=item.text("title", 200),
                    hours=item.integer("hours", 0, 1000),
                    outline=item.text("outline", 2000, required=False) or "",
                )
            )
        for item in record.records("batches", "starts_in_days"):
            seats_total = item.integer("seats_total", 1, 10_000)
            seats_left = item.integer("seats_left", 0, seats_total)
            course.batches.append(
                Batch(
                    start_date=self.today + timedelta(days=item.integer("starts_in_days", -365, 730)),
                    schedule=item.choice("schedule", Schedule),
                    mode=item.choice("mode", Mode),
                    campus=item.reference(
                        "campus", campuses, "campus area of this institute", required=False
                    ),
                    seats_total=seats_total,
                    seats_left=seats_left,
                    status=BatchStatus.FULL if seats_left == 0 else BatchStatus.OPEN,
                )
            )
        return course

    def load_events(self, areas, topics, institutes) -> None:
        events = self._existing(Event)
        for record in _read_list(self.data_dir / "events.yaml", "slug"):
            slug = record.slug()
            if slug in events:
                continue
            start_text = record.text("start_time", 5)
            try:
                start_time = time.fromisoformat(start_text)
            except ValueError:
                raise record.error("start_time", f"{start_text!r} is not a time like 18:30") from None
            day = self.today + timedelta(days=record.integer("starts_in_days", -365, 730))
            starts_at = datetime.combine(day, start_time, tzinfo=LOCAL_TZ)
            event = Event(
                title=record.text("title", 200),
                slug=slug,
                kind=record.choice("kind", EventKind),
                description=record.text("description", 5000),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=self._event_hours(record)),
                venue=record.text("venue", 300),
                area=record.reference("area", areas, "area"),
                organiser=record.text("organiser", 200),
                institute=record.reference("institute", institutes, "institute", required=False),
                fee_inr=record.integer("fee_inr", 0, 1_000_000),
                url=record.url("url"),
                topics=record.references("topics", topics, "topic"),
            )
            events[slug] = event
            self._add(event, "events")

    @staticmethod
    def _event_hours(record: Record) -> float:
        hours = record.number("duration_hours")
        if not 0.5 <= hours <= 24 * 14:
            raise record.error("duration_hours", f"must be between 0.5 and 336, not {hours:g}")
        return hours

    def run(self) -> SeedReport:
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
        report = Seeder(session, data_dir).run()
        session.commit()
    except DataError as error:
        session.rollback()
        raise SeedError(str(error)) from None
    except SQLAlchemyError as error:
        session.rollback()
        raise SeedError(
            f"{data_dir}: the database refused the seed: {getattr(error, 'orig', error)}"
        ) from None
    return report
