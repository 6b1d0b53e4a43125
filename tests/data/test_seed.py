"""`flask seed`: loads data/ completely, once, atomically, with messages that name the fault."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from catalog.data.seeding import SeedError, seed_catalog
from catalog.models import (
    AuditEntry,
    Base,
    Batch,
    Course,
    CourseStatus,
    Event,
    Institute,
    Topic,
    course_topics,
)
from catalog.search import SearchParams, search_courses
from catalog.timeutil import local_today

DATA = Path(__file__).resolve().parents[2] / "data"


def row_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def broken_data(tmp_path):
    """A copy of data/ to spoil; returns (folder, one institute file's path)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder, sorted((folder / "institutes").glob("*.yaml"))[-1]


def spoil(path: Path, change) -> None:
    record = yaml.safe_load(path.read_text())
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))


def test_seed_loads_the_whole_catalog(db):
    seed_catalog(db.session, DATA)
    assert db.session.scalar(select(func.count(Institute.id))) >= 15
    published = db.session.scalar(
        select(func.count(Course.id)).where(Course.status == CourseStatus.PUBLISHED)
    )
    assert published >= 60
    assert db.session.scalar(select(func.count(Event.id))) >= 10


def test_every_topic_has_published_courses(db):
    seed_catalog(db.session, DATA)
    empty_topics = db.session.scalars(
        select(Topic.slug).where(
            ~Topic.id.in_(
                select(course_topics.c.topic_id)
                .join(Course, Course.id == course_topics.c.course_id)
                .where(Course.status == CourseStatus.PUBLISHED)
            )
        )
    ).all()
    assert empty_topics == []


def test_batch_dates_are_relative_to_the_seed_day(db):
    seed_catalog(db.session, DATA)
    starts = db.session.scalars(select(Batch.start_date)).all()
    future = [d for d in starts if d > local_today()]
    assert len(future) >= 60
    assert max(starts) <= local_today().replace(year=local_today().year + 1)


def test_seeding_twice_changes_nothing(db):
    seed_catalog(db.session, DATA)
    before = row_counts(db)
    report = seed_catalog(db.session, DATA)
    assert row_counts(db) == before
    assert str(report).startswith("Nothing to add")


def test_seeded_catalog_is_searchable_with_synonyms(db):
    seed_catalog(db.session, DATA)
    result = search_courses(db.session, SearchParams(q="k8s"))
    assert result.total >= 3
    courses = [db.session.get(Course, hit.course_id) for hit in result.hits]
    assert all(
        "kubernetes" in {t.slug for t in course.tools} or "Kubernetes" in course.description
        for course in courses
    )


def test_bad_value_names_file_record_and_field_and_changes_nothing(db, broken_data):
    folder, path = broken_data
    spoil(path, lambda r: r["courses"][0].update(fee_inr=-5))
    before = row_counts(db)
    with pytest.raises(SeedError) as error:
        seed_catalog(db.session, folder)
    message = str(error.value)
    assert path.name in message
    assert "courses[1]" in message
    assert "field 'fee_inr': must be at least 0, not -5" in message
    assert row_counts(db) == before
    assert before["courses"] == before["institutes"] == 0


def test_unknown_reference_is_reported(db, broken_data):
    folder, path = broken_data
    spoil(path, lambda r: r["courses"][0].update(topics=["quantum-mlops"]))
    with pytest.raises(SeedError, match="field 'topics': unknown topic 'quantum-mlops'"):
        seed_catalog(db.session, folder)


def test_failed_reseed_keeps_existing_catalog(db, broken_data):
    seed_catalog(db.session, DATA)
    before = row_counts(db)
    folder, path = broken_data
    spoil(path, lambda r: r.update(slug="a-new-institute", name="A New Institute", founded_year="long ago"))
    with pytest.raises(SeedError, match="founded_year"):
        seed_catalog(db.session, folder)
    assert row_counts(db) == before


def test_malformed_yaml_is_reported_with_the_file(db, broken_data):
    folder, _ = broken_data
    (folder / "topics.yaml").write_text("- name: [unclosed\n")
    with pytest.raises(SeedError, match=r"topics\.yaml: cannot be read as YAML"):
        seed_catalog(db.session, folder)


def test_seed_command_reports_what_it_added(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Added" in result.output and "courses" in result.output
    again = runner.invoke(args=["seed"])
    assert "Nothing to add" in again.output


def test_seed_command_fails_with_message_on_bad_data(app, runner, broken_data):
    folder, path = broken_data
    spoil(path, lambda r: r["courses"][0].update(mode="telepathy"))
    app.config["DATA_DIR"] = str(folder)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 1
    assert "Seed not loaded, nothing changed" in result.output
    assert "'telepathy' is not one of: classroom, online, hybrid" in result.output


def test_a_published_seed_course_claiming_guaranteed_placement_lands_as_pending(db, broken_data):
    folder, path = broken_data
    slug = yaml.safe_load(path.read_text())["courses"][0]["slug"]
    spoil(path, lambda r: r["courses"][0].update(status="published", summary="100% placement guaranteed."))
    seed_catalog(db.session, folder)
    assert db.session.scalar(select(Course.status).where(Course.slug == slug)) == CourseStatus.PENDING


def test_a_published_seed_course_of_an_unverified_institute_is_published(db, broken_data):
    """The seed is reviewed with the catalog: only the rules that hold claims apply to it."""
    folder, path = broken_data
    slug = yaml.safe_load(path.read_text())["courses"][0]["slug"]
    spoil(path, lambda r: (r.update(verified=False), r["courses"][0].update(status="published")))
    seed_catalog(db.session, folder)
    assert db.session.scalar(select(Course.status).where(Course.slug == slug)) == CourseStatus.PUBLISHED


def test_seeded_institute_phones_are_stored_in_e164(db):
    seed_catalog(db.session, DATA)
    phones = db.session.scalars(select(Institute.phone).where(Institute.phone.is_not(None))).all()
    assert phones and all(re.fullmatch(r"\+\d{8,15}", phone) for phone in phones)


def test_seeded_records_are_audited_as_written_by_no_user(db):
    seed_catalog(db.session, DATA)
    actions = db.session.execute(
        select(AuditEntry.record_type, AuditEntry.action, AuditEntry.user_id).distinct()
    ).all()
    assert {record_type for record_type, _action, _user in actions} >= {"Course", "Batch", "Institute"}
    assert {(action, user) for _type, action, user in actions} == {("create", None)}


def test_a_seed_refused_by_a_rule_names_the_record_and_changes_nothing(db, broken_data):
    folder, path = broken_data
    spoil(path, lambda r: r["courses"][0]["batches"][0].update(seats_left=0, seats_total=1, mode="classroom"))
    spoil(path, lambda r: r["courses"][0]["batches"][0].pop("campus", None))
    before = row_counts(db)
    with pytest.raises(
        SeedError, match=r"courses\[1\].*batches\[1\].*field 'campus': refused: campus-needed"
    ):
        seed_catalog(db.session, folder)
    assert row_counts(db) == before
