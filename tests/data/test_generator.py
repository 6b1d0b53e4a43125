"""The synthetic catalog generator (``flask --app catalog generate``), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from catalog.data.generator import (
    Entry,
    IdStart,
    Vocabulary,
    build_catalog_rows,
    generate_catalog,
)
from catalog.models import (
    Area,
    Batch,
    Course,
    CourseStatus,
    Institute,
    Tool,
    Topic,
    course_tools,
    course_topics,
)
from catalog.search import SearchParams, search_courses
from catalog.timeutil import local_today
from tests.builders import make_area, make_course, make_tool, make_topic
from tests.helpers import empty_all_tables

VOCABULARY = Vocabulary(
    areas=(Entry(1, "gachibowli", "Gachibowli"), Entry(2, "hitec-city", "HITEC City")),
    topics=(Entry(1, "containers", "Containers"), Entry(2, "orchestration", "Orchestration")),
    tools=(Entry(1, "docker", "Docker", "containers"), Entry(2, "kubernetes", "Kubernetes", "orchestration")),
)


def count(db, stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def snapshot(db) -> list[tuple]:
    """What a generated catalog looks like, without ids: course fields and topic names, in order."""
    topics: dict[int, list[str]] = {}
    pairs = select(course_topics.c.course_id, Topic.name).join(Topic, Topic.id == course_topics.c.topic_id)
    for course_id, name in db.session.execute(pairs.order_by(Topic.name)):
        topics.setdefault(course_id, []).append(name)
    rows = db.session.execute(
        select(Course.id, Course.title, Course.format, Course.fee_inr, Course.duration_days).order_by(
            Course.id
        )
    )
    return [(title, fmt, fee, days, topics.get(course_id)) for course_id, title, fmt, fee, days in rows]


def empty_database(db) -> None:
    """Delete every row, index included, so the next generation starts from a fresh database."""
    empty_all_tables()


def test_generating_60_courses_publishes_exactly_60(db):
    summary = generate_catalog(db.session, 60, seed=1)

    assert summary.startswith("Generated 60 courses, ")
    assert count(db, select(Course.id)) == 60
    assert count(db, select(Course.id).where(Course.status == CourseStatus.PUBLISHED)) == 60


def test_every_generated_course_has_a_topic(db):
    generate_catalog(db.session, 60, seed=1)

    without_topic = select(Course.id).where(~Course.id.in_(select(course_topics.c.course_id)))
    assert count(db, without_topic) == 0


def test_every_generated_course_is_found_by_search(db):
    generate_catalog(db.session, 60, seed=1)
    descriptions = db.session.scalars(select(Course.description)).all()
    assert all("MLOps" in text for text in descriptions)

    result = search_courses(db.session, SearchParams(q="mlops "))

    assert result.total == 60


def test_generated_tool_names_are_searchable(db):
    generate_catalog(db.session, 60, seed=1)
    tool = db.session.scalars(select(Tool).where(Tool.slug == "docker")).one()
    with_docker = db.session.scalars(
        select(course_tools.c.course_id).where(course_tools.c.tool_id == tool.id)
    ).all()
    assert with_docker

    found = search_courses(db.session, SearchParams(q="docker ", filters={"tool": ("docker",)}))

    assert found.total == len(with_docker)


def test_same_seed_gives_same_catalog_in_a_fresh_database(db):
    generate_catalog(db.session, 40, seed=7)
    first = snapshot(db)
    empty_database(db)

    generate_catalog(db.session, 40, seed=7)

    assert len(first) == 40
    assert snapshot(db) == first


def test_row_building_is_a_pure_function_of_its_inputs():
    today, now = date(2030, 1, 15), datetime(2030, 1, 15, 6, 0, tzinfo=UTC)

    def titles(seed: int) -> list[str]:
        rows = build_catalog_rows(50, seed, VOCABULARY, IdStart(), today, now)
        return [row["title"] for row in rows.courses]

    assert titles(3) == titles(3)
    assert titles(3) != titles(4)


@pytest.mark.parametrize("second_seed", [1, 2])
def test_generating_twice_adds_both_catalogs(db, second_seed):
    generate_catalog(db.session, 30, seed=1)
    generate_catalog(db.session, 30, seed=second_seed)

    slugs = db.session.scalars(select(Course.slug)).all()
    assert len(slugs) == len(set(slugs)) == 60
    assert all(slug.startswith("gen-") for slug in slugs)
    assert search_courses(db.session, SearchParams(q="mlops ")).total == 60


def test_generating_on_top_of_a_catalog_keeps_its_slugs_and_vocabulary(db):
    area = make_area(name="Madhapur", slug="madhapur")
    topic = make_topic(name="Model serving", slug="model-serving")
    tool = make_tool(name="BentoML", slug="bentoml", category="serving")
    existing = make_course(title="Serving Models with BentoML", slug="serving-models")

    generate_catalog(db.session, 20, seed=5)

    assert db.session.scalars(select(Area.id)).all() == [area.id]
    assert db.session.scalars(select(Topic.id)).all() == [topic.id]
    assert db.session.scalars(select(Tool.id)).all() == [tool.id]
    assert db.session.get(Course, existing.id).slug == "serving-models"
    assert count(db, select(Course.id)) == 21
    assert count(db, select(Institute.id).where(Institute.slug.startswith("gen-"))) == 1


def test_records_added_after_generating_get_fresh_ids(db):
    generate_catalog(db.session, 10, seed=1)
    highest = db.session.scalar(select(func.max(Course.id)))

    course = make_course()

    assert course.id > highest


def test_generated_batches_start_within_180_days_and_keep_seats_consistent(db):
    generate_catalog(db.session, 60, seed=2)
    today = local_today()

    first, last = db.session.execute(select(func.min(Batch.start_date), func.max(Batch.start_date))).one()
    assert today + timedelta(days=1) <= first <= last <= today + timedelta(days=180)
    assert count(db, select(Batch.id).where(Batch.seats_left > Batch.seats_total)) == 0


def test_generate_command_prints_the_summary(runner):
    result = runner.invoke(args=["generate", "--courses", "25", "--seed", "3"])

    assert result.exit_code == 0, result.output
    assert "Generated 25 courses, 1 institutes, " in result.output
    assert "(seed 3)." in result.output
