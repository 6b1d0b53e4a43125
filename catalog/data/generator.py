"""Synthetic catalogs for benchmarks and scale tests (``flask --app catalog generate --courses N``).

Every choice comes from one ``random.Random(seed)``, so the same number of courses and seed give
the same rows (on the same vocabulary and day; dates are relative to today). Rows are built by a
pure function, :func:`build_catalog_rows`, then written with bulk Core inserts under explicit ids,
the search index is told which courses are new, and all of it commits in one transaction. Slugs
carry a ``gen-`` prefix, the seed and a running number, so generating again (any seed) never
collides with the seed catalog or an earlier run.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from catalog.data.generator_words import (
    ACTIVITIES,
    ARTIFACTS,
    BUILTIN_AREAS,
    BUILTIN_TOOLS,
    BUILTIN_TOPICS,
    CHUNK,
    COURSES_PER_INSTITUTE,
    FIRST_NAMES,
    FORMAT_WORDS,
    INDUSTRIES,
    IT_HUB_AREAS,
    NAME_FIRST,
    NAME_LAST,
    NAME_MIDDLE,
    PARTNERS,
    POPULAR_TOOLS,
    POPULAR_TOPICS,
    PREREQUISITES,
    PROGRAM_FEES,
    PROGRAM_TITLES,
    PROGRAM_WEEKS,
    REFUND_POLICIES,
    STAGES,
    SURNAMES,
    TOPIC_TOOL_CATEGORIES,
    WORKSHOP_TITLES,
)
from catalog.data.seeding import Seeder
from catalog.models import (
    Area,
    Batch,
    BatchStatus,
    Campus,
    Course,
    CourseFormat,
    CourseLanguage,
    CourseModule,
    CourseStatus,
    Institute,
    InstituteStatus,
    Instructor,
    Level,
    Mode,
    Partner,
    Schedule,
    Tool,
    Topic,
    course_campuses,
    course_instructors,
    course_tools,
    course_topics,
)
from catalog.search import courses_changed
from catalog.services.slugs import slugify
from catalog.timeutil import local_today


class Entry(NamedTuple):
    """A vocabulary row generated courses refer to."""

    id: int
    slug: str
    name: str
    category: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """The physical areas, topics and tools in the database, each sorted by slug."""

    areas: tuple[Entry, ...]
    topics: tuple[Entry, ...]
    tools: tuple[Entry, ...]


@dataclass(frozen=True)
class IdStart:
    """First free id of each table, and first free running number of this seed's slugs."""

    institute: int = 1
    campus: int = 1
    partner: int = 1
    instructor: int = 1
    course: int = 1
    module: int = 1
    batch: int = 1
    institute_number: int = 1
    course_number: int = 1


@dataclass
class CatalogRows:
    """Rows to insert, per table, in an order that satisfies every foreign key."""

    institutes: list[dict] = field(default_factory=list)
    campuses: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    instructors: list[dict] = field(default_factory=list)
    courses: list[dict] = field(default_factory=list)
    languages: list[dict] = field(default_factory=list)
    modules: list[dict] = field(default_factory=list)
    batches: list[dict] = field(default_factory=list)
    course_topics: list[dict] = field(default_factory=list)
    course_tools: list[dict] = field(default_factory=list)
    course_campuses: list[dict] = field(default_factory=list)
    course_instructors: list[dict] = field(default_factory=list)

    def inserts(self) -> list[tuple[object, list[dict]]]:
        """(model or table, rows) pairs in insertion order."""
        return [
            (Institute, self.institutes), (Campus, self.campuses), (Partner, self.partners),
            (Instructor, self.instructors), (Course, self.courses), (CourseLanguage, self.languages),
            (CourseModule, self.modules), (Batch, self.batches), (course_topics, self.course_topics),
            (course_tools, self.course_tools), (course_campuses, self.course_campuses),
            (course_instructors, self.course_instructors),
        ]  # fmt: skip


def _ranked_weights(entries: tuple[Entry, ...], popular: list[str], exponent: float) -> list[float]:
    order = sorted(
        entries, key=lambda e: (popular.index(e.slug) if e.slug in popular else len(popular), e.slug)
    )
    rank = {entry.slug: position for position, entry in enumerate(order)}
    return [1.0 / (rank[entry.slug] + 1) ** exponent for entry in entries]


def _sample(rng: random.Random, items, weights: list[float], k: int) -> list:
    """``k`` distinct items, each drawn with probability proportional to its weight (first = likeliest)."""
    keyed = [(rng.random() ** (1.0 / weight), index) for index, weight in enumerate(weights)]
    return [items[index] for _key, index in heapq.nlargest(min(k, len(items)), keyed)]


class _Builder:
    """Draws institutes and courses from one random stream; holds no database state."""

    def __init__(self, seed: int, vocabulary: Vocabulary, start: IdStart, today: date, now: datetime):
        if not (vocabulary.areas and vocabulary.topics and vocabulary.tools):
            raise ValueError("generating needs at least one physical area, one topic and one tool")
        self.rng = random.Random(seed)
        self.seed, self.vocabulary, self.today, self.now = seed, vocabulary, today, now
        self.next = {
            name: getattr(start, name) for name in ("campus", "partner", "instructor", "module", "batch")
        }
        self.start = start
        self.rows = CatalogRows()
        self.area_weights = [3.0 if a.slug in IT_HUB_AREAS else 1.0 for a in vocabulary.areas]
        self.topic_weights = _ranked_weights(vocabulary.topics, POPULAR_TOPICS, 1.0)
        self.tool_weights = _ranked_weights(vocabulary.tools, POPULAR_TOOLS, 0.8)
        self.institutes: list[tuple[dict, list[int], list[int]]] = []  # (row, campus ids, instructor ids)

    def _id(self, table: str) -> int:
        value = self.next[table]
        self.next[table] += 1
        return value

    def institute(self, number: int) -> None:
        rng = self.rng
        name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_MIDDLE)} {rng.choice(NAME_LAST)}"
        slug = f"gen-s{self.seed}-{self.start.institute_number + number}-{slugify(name)}"[:160].rstrip("-")
        institute_id = self.start.institute + number
        areas = _sample(rng, self.vocabulary.areas, self.area_weights, rng.randint(1, 3))
        founded = rng.randint(1998, self.today.year - 1)
        row = {
            "id": institute_id, "name": name, "slug": slug, "website": f"https://www.{slug}.example",
            "description": f"{name} has taught software and data teams in {areas[0].name} since {founded}. "
            f"Its mentors come from {rng.choice(INDUSTRIES)} and {rng.choice(INDUSTRIES)} ML platform teams.",
            "email": f"admissions@{slug}.example",
            "phone": f"+91 40 {rng.randint(2000, 4999)} {rng.randint(1000, 9999)}",
            "founded_year": founded, "status": InstituteStatus.APPROVED, "verified": rng.random() < 0.7,
            "created_at": self.now,
        }  # fmt: skip
        self.rows.institutes.append(row)
        campus_ids = []
        for area in areas:
            campus_ids.append(self._id("campus"))
            address = f"{rng.randint(1, 400)}, {rng.choice(SURNAMES)} Towers, {area.name}, Hyderabad"
            self.rows.campuses.append(
                {"id": campus_ids[-1], "institute_id": institute_id, "area_id": area.id, "address": address}
            )
        for partner in rng.sample(PARTNERS, rng.randint(0, 2)):
            self.rows.partners.append(
                {"id": self._id("partner"), "institute_id": institute_id, "name": partner}
            )
        instructor_ids, names, wanted = [], set(), rng.randint(1, 4)
        while len(names) < wanted:
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if person in names:
                continue
            names.add(person)
            instructor_ids.append(self._id("instructor"))
            years = rng.randint(3, 25)
            self.rows.instructors.append(
                {
                    "id": instructor_ids[-1],
                    "institute_id": institute_id,
                    "name": person,
                    "years_experience": years,
                    "industry_background": f"{rng.choice(INDUSTRIES).capitalize()} ML platforms",
                    "bio": f"{years} years building and running ML systems; teaches {rng.choice(STAGES)}.",
                }
            )
        self.institutes.append((row, campus_ids, instructor_ids))

    def course(self, number: int, institute_index: int) -> None:
        rng, today = self.rng, self.today
        institute, campus_ids, instructor_ids = self.institutes[institute_index]
        course_id = self.start.course + number
        fmt = rng.choices(list(CourseFormat), weights=(35, 25, 10, 30))[0]
        workshop = fmt == CourseFormat.WORKSHOP
        level = rng.choices(list(Level), weights=(50, 40, 10) if workshop else (30, 45, 25))[0]
        mode = rng.choices(list(Mode), weights=(40, 30, 30))[0]
        topics = _sample(
            rng, self.vocabulary.topics, self.topic_weights, rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0]
        )
        related = {category for t in topics for category in TOPIC_TOOL_CATEGORIES.get(t.slug, ())}
        weights = [
            w * (5.0 if tool.category in related else 1.0)
            for w, tool in zip(self.tool_weights, self.vocabulary.tools, strict=True)
        ]
        tools = _sample(rng, self.vocabulary.tools, weights, rng.randint(1, 6))
        if workshop:
            days = rng.randint(1, 3)
            hours = days * rng.randint(5, 8)
            fee = 0 if rng.random() < 0.2 else rng.randint(5, 150) * 100
            length = f"{days}-day"
        else:
            weeks = rng.randint(*PROGRAM_WEEKS[fmt])
            days, hours = weeks * 7, weeks * rng.randint(6, 15)
            low, high = PROGRAM_FEES[fmt]
            share = 0.5 * (weeks - 5) / 47 + 0.5 * rng.random()
            fee = round((low + (high - low) * share) / 500) * 500
            length = f"{weeks}-week"
        placement = not workshop and rng.random() < 0.4 / 0.7
        figures = placement and rng.random() < 0.5
        certified = rng.random() < (0.35 if workshop else 0.7)
        certificate = f"{topics[0].name} {'Practitioner' if workshop else 'Professional'} Certificate"
        words = {
            "topic": topics[0].name,
            "topic2": topics[-1].name if len(topics) > 1 else rng.choice(STAGES).capitalize(),
            "tool": tools[0].name, "tool2": tools[-1].name if len(tools) > 1 else "Python",
            "fmt": rng.choice(FORMAT_WORDS[fmt]), "level": level.value.capitalize(),
        }  # fmt: skip
        title = rng.choice(WORKSHOP_TITLES if workshop else PROGRAM_TITLES).format(**words)[:200]
        artifact, activity = rng.choice(ARTIFACTS), rng.choice(ACTIVITIES)
        tool_list = ", ".join(t.name for t in tools)
        topic_list = " and ".join(t.name for t in topics[:2])
        summary = (
            f"{length.capitalize()} {fmt.value} on {topic_list}: "
            f"build {artifact} with {tool_list} and {activity}."
        )
        description = "\n\n".join(
            (
                f"A {length} {fmt.value} in production MLOps for {level.value} learners, "
                f"run by {institute['name']}. "
                f"It covers {', '.join(t.name for t in topics)} end to end, from {rng.choice(STAGES)} "
                f"to {rng.choice(STAGES)}.",
                f"You will build {artifact} with {words['tool']} and {words['tool2']}, then {activity}. "
                f"Each module ends with a lab on {rng.choice(tools).name}: {rng.choice(ACTIVITIES)}.",
                "## What you will build\n\n"
                + "\n".join(f"- {a.capitalize()}" for a in rng.sample(ARTIFACTS, 3)),
                f"Mentors from {rng.choice(INDUSTRIES)} and {rng.choice(INDUSTRIES)} teams review your work. "
                f"Tools used: {tool_list}.",
            )
        )
        self.rows.courses.append(
            {
                "id": course_id,
                "institute_id": institute["id"],
                "title": title,
                "slug": f"gen-s{self.seed}-{self.start.course_number + number}-{slugify(title)}"[:200].rstrip(
                    "-"
                ),
                "summary": summary[:300],
                "description": description,
                "format": fmt,
                "level": level,
                "duration_days": days,
                "total_hours": hours,
                "fee_inr": fee,
                "emi_available": fee >= 40_000 and rng.random() < 0.6,
                "mode": mode,
                "certification_name": certificate if certified else None,
                "certification_issuer": institute["name"] if certified else None,
                "refund_policy": rng.choice(REFUND_POLICIES),
                "placement_support": placement,
                "placement_rate": rng.randint(35, 92) if figures else None,
                "placement_year": today.year - rng.randint(1, 2) if figures else None,
                "placement_cohort_size": rng.randint(15, 120) if figures else None,
                "prerequisites": rng.choice(PREREQUISITES),
                "status": CourseStatus.PUBLISHED,
                "syllabus_reviewed_on": today - timedelta(days=rng.randint(0, 540)),
                "created_at": self.now,
                "updated_at": self.now,
                "version": 1,
            }
        )
        languages = [
            lang
            for lang, chance in (("English", 0.9), ("Telugu", 0.35), ("Hindi", 0.25))
            if rng.random() < chance
        ]
        for language in languages or ["English"]:
            self.rows.languages.append({"course_id": course_id, "language": language})
        self._modules(course_id, topics, tools, hours)
        taught_at = [] if mode == Mode.ONLINE else rng.sample(campus_ids, rng.randint(1, len(campus_ids)))
        self._batches(course_id, mode, taught_at, workshop)
        self.rows.course_topics.extend({"course_id": course_id, "topic_id": t.id} for t in topics)
        self.rows.course_tools.extend({"course_id": course_id, "tool_id": t.id} for t in tools)
        self.rows.course_campuses.extend({"course_id": course_id, "campus_id": c} for c in taught_at)
        chosen = rng.sample(instructor_ids, rng.randint(1, min(2, len(instructor_ids))))
        self.rows.course_instructors.extend({"course_id": course_id, "instructor_id": i} for i in chosen)

    def _modules(self, course_id: int, topics: list[Entry], tools: list[Entry], hours: int) -> None:
        rng = self.rng
        count = rng.randint(2, 6)
        shares = [rng.randint(1, 4) for _ in range(count)]
        for position, share in enumerate(shares, 1):
            if position == count and count > 2:
                title, outline = (
                    "Capstone project",
                    f"Build {rng.choice(ARTIFACTS)} and {rng.choice(ACTIVITIES)}.",
                )
            else:
                tool = rng.choice(tools).name
                title = f"{rng.choice(topics).name}: {rng.choice(STAGES)} with {tool}"
                outline = f"Covers {rng.choice(STAGES)} and {rng.choice(STAGES)} with {tool}."
            self.rows.modules.append(
                {
                    "id": self._id("module"),
                    "course_id": course_id,
                    "position": position,
                    "title": title,
                    "hours": max(1, hours * share // sum(shares)),
                    "outline": outline,
                }
            )

    def _batches(self, course_id: int, mode: Mode, campus_ids: list[int], workshop: bool) -> None:
        rng = self.rng
        starts = sorted(rng.randint(1, 180) for _ in range(rng.choices((0, 1, 2, 3), (10, 35, 35, 20))[0]))
        schedule_weights = (40, 50, 5, 5) if workshop else (25, 35, 30, 10)
        for offset in starts:
            batch_mode = rng.choice(list(Mode)) if mode == Mode.HYBRID else mode
            seats_total = rng.randint(20, 80) if workshop else rng.randint(15, 60)
            seats_left = 0 if rng.random() < 0.12 else rng.randint(1, seats_total)
            self.rows.batches.append(
                {
                    "id": self._id("batch"),
                    "course_id": course_id,
                    "start_date": self.today + timedelta(days=offset),
                    "schedule": rng.choices(list(Schedule), schedule_weights)[0],
                    "mode": batch_mode,
                    "campus_id": rng.choice(campus_ids) if campus_ids and batch_mode != Mode.ONLINE else None,
                    "seats_total": seats_total,
                    "seats_left": seats_left,
                    "status": BatchStatus.FULL if seats_left == 0 else BatchStatus.OPEN,
                }
            )


def iter_catalog_rows(
    courses: int,
    seed: int,
    vocabulary: Vocabulary,
    start: IdStart,
    today: date,
    now: datetime,
    slice_size: int = CHUNK,
) -> Iterator[CatalogRows]:
    """The rows of a synthetic catalog of ``courses`` published courses, ``slice_size`` courses at
    a time (institutes come with the first slice), so memory stays flat; touches no database."""
    builder = _Builder(seed, vocabulary, start, today, now)
    institute_count = max(1, round(courses / COURSES_PER_INSTITUTE))
    for number in range(institute_count):
        builder.institute(number)
    # Every institute gets a course; the rest go to institutes of uneven size.
    sizes = [builder.rng.uniform(0.3, 2.0) for _ in range(institute_count)]
    owners = list(range(min(institute_count, courses)))
    owners += builder.rng.choices(range(institute_count), weights=sizes, k=courses - len(owners))
    for number, owner in enumerate(owners, 1):
        builder.course(number - 1, owner)
        if number % slice_size == 0 or number == courses:
            yield builder.rows
            builder.rows = CatalogRows()


def build_catalog_rows(
    courses: int, seed: int, vocabulary: Vocabulary, start: IdStart, today: date, now: datetime
) -> CatalogRows:
    """All the rows of :func:`iter_catalog_rows` at once (for tests and small catalogs)."""
    merged = CatalogRows()
    for part in iter_catalog_rows(courses, seed, vocabulary, start, today, now):
        for name in merged.__dataclass_fields__:
            getattr(merged, name).extend(getattr(part, name))
    return merged


def _default_data_dir() -> Path:
    if has_app_context():
        return Path(current_app.config["DATA_DIR"])
    return Path(__file__).resolve().parents[2] / "data"


def ensure_vocabulary(session: Session, data_dir: Path) -> Vocabulary:
    """The vocabulary in the database; missing kinds are loaded from ``data_dir`` or built in."""
    seeder = Seeder(session, data_dir)
    with session.no_autoflush:
        if not session.scalar(select(func.count()).select_from(Area).where(Area.slug != "online")):
            if (data_dir / "areas.yaml").exists():
                seeder.load_areas()
            else:
                existing = set(session.scalars(select(Area.slug)))
                session.add_all(
                    Area(name=name, slug=slugify(name), latitude=lat, longitude=lon)
                    for name, lat, lon in BUILTIN_AREAS
                    if slugify(name) not in existing
                )
        if not session.scalar(select(func.count()).select_from(Topic)):
            if (data_dir / "topics.yaml").exists():
                seeder.load_vocabulary(Topic, "topics.yaml", "topics")
            else:
                session.add_all(Topic(name=n, slug=s, synonyms=syn) for n, s, syn in BUILTIN_TOPICS)
        if not session.scalar(select(func.count()).select_from(Tool)):
            if (data_dir / "tools.yaml").exists():
                seeder.load_vocabulary(Tool, "tools.yaml", "tools")
            else:
                session.add_all(
                    Tool(name=n, slug=slugify(n), category=c, synonyms=syn) for n, c, syn in BUILTIN_TOOLS
                )
    session.flush()
    return Vocabulary(
        areas=tuple(
            Entry(*row)
            for row in session.execute(
                select(Area.id, Area.slug, Area.name).where(Area.slug != "online").order_by(Area.slug)
            )
        ),
        topics=tuple(
            Entry(*row)
            for row in session.execute(select(Topic.id, Topic.slug, Topic.name).order_by(Topic.slug))
        ),
        tools=tuple(
            Entry(*row)
            for row in session.execute(
                select(Tool.id, Tool.slug, Tool.name, Tool.category).order_by(Tool.slug)
            )
        ),
    )


def _next_number(session: Session, column, seed: int) -> int:
    prefix = f"gen-s{seed}-"
    numbers = [
        int(rest.split("-", 1)[0])
        for rest in (
            slug[len(prefix) :] for slug in session.scalars(select(column).where(column.startswith(prefix)))
        )
        if rest.split("-", 1)[0].isdigit()
    ]
    return max(numbers, default=0) + 1


def next_ids(session: Session, seed: int) -> IdStart:
    """Where the ids and this seed's slug numbers of a new generated batch of rows start."""

    def after_max(model) -> int:
        return (session.scalar(select(func.max(model.id))) or 0) + 1

    return IdStart(
        institute=after_max(Institute), campus=after_max(Campus), partner=after_max(Partner),
        instructor=after_max(Instructor), course=after_max(Course), module=after_max(CourseModule),
        batch=after_max(Batch), institute_number=_next_number(session, Institute.slug, seed),
        course_number=_next_number(session, Course.slug, seed),
    )  # fmt: skip


def _advance_sequences(session: Session) -> None:
    # Rows were written with explicit ids; PostgreSQL's sequences must move past them so that
    # later ordinary inserts do not reuse an id.
    for model in (Institute, Campus, Partner, Instructor, Course, CourseModule, Batch):
        table = model.__table__
        session.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, "id"),
                    select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery(),
                )
            )
        )


def generate_catalog(session: Session, courses: int, seed: int, data_dir: Path | str | None = None) -> str:
    """Add ``courses`` synthetic published courses in one transaction; returns a one-line summary."""
    if courses < 1:
        raise ValueError("courses must be at least 1")
    institutes = batches = 0
    try:
        vocabulary = ensure_vocabulary(session, Path(data_dir) if data_dir else _default_data_dir())
        start = next_ids(session, seed)
        parts = iter_catalog_rows(courses, seed, vocabulary, start, local_today(), datetime.now(UTC))
        for part in parts:
            for target, rows in part.inserts():
                if rows:
                    session.execute(insert(target), rows)
            institutes += len(part.institutes)
            batches += len(part.batches)
        if session.get_bind().dialect.name == "postgresql":
            _advance_sequences(session)
        # Core inserts bypass the session listener: tell the index which courses are new.
        courses_changed(session.connection(), range(start.course, start.course + courses))
        session.commit()
    except Exception:
        session.rollback()
        raise
    # Fresh statistics after a bulk load: without them both planners pick scans that make
    # the home page and upcoming-batch reads tens of times slower.
    session.execute(text("ANALYZE"))
    session.commit()
    return f"Generated {courses:,} courses, {institutes:,} institutes, {batches:,} batches (seed {seed})."
