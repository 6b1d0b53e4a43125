"""Import of an exchange file: every bad record reported with its place, all or nothing, updates
by slug, statuses kept, and the claims check on the way in."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from sqlalchemy import func, select

from catalog.data.exchange import export_catalog, import_catalog
from catalog.models import (
    AuditEntry,
    Base,
    Batch,
    BatchStatus,
    Course,
    CourseStatus,
    Event,
    Institute,
    InstituteStatus,
    Topic,
)
from tests.builders import make_topic
from tests.helpers import EXAMPLE_CATALOG, catalog_file, example_catalog

COURSE = "example-model-serving-workshop"


def row_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name != "search_state"
    }


def run_import(db, document: dict, dry_run: bool = False, name: str = "catalog.json"):
    return import_catalog(db.session, catalog_file(document), name, dry_run=dry_run)


def problems(report) -> list[tuple[str, str, str | None]]:
    """(where, field, reason) of every problem."""
    return [(problem.where, problem.field, problem.reason) for problem in report.problems]


def stored_course(db) -> Course:
    return db.session.scalar(select(Course).where(Course.slug == COURSE))


def spoil_course(**changes):
    def spoil(document):
        document["courses"][0].update(changes)

    return spoil


def duplicate_course(document):
    document["courses"].append(copy.deepcopy(document["courses"][0]))


def end_before_start(document):
    document["events"][0]["ends_at"] = "2027-02-12T17:00:00+05:30"


def bad_batch_date(document):
    document["batches"][0]["start_date"] = "2027-02-30"


def unknown_institute(document):
    document["courses"][0]["institute"] = "nowhere-academy"


def claimless_bad_campus(document):
    document["batches"][0]["campus"] = None


#: One bad record of each kind: how the file is spoiled, and the place and reason reported.
BAD_RECORDS = {
    "unknown topic": (
        spoil_course(topics=["containers", "quantum-mlops"]),
        ("courses[0]", "topics", "unknown topic 'quantum-mlops'"),
    ),
    "negative fee": (spoil_course(fee_inr=-5), ("courses[0]", "fee_inr", "must be at least 0, not -5")),
    "end before start": (
        end_before_start,
        ("events[0]", "ends_at", "is not after starts_at: an event ends after it starts"),
    ),
    "duplicate slug": (
        duplicate_course,
        ("courses[1]", "slug", f"'{COURSE}' is given twice (first at catalog.json courses[0])"),
    ),
    "bad date": (bad_batch_date, ("batches[0]", "start_date", "'2027-02-30' is not a date like 2025-07-01")),
    "unknown institute": (
        unknown_institute,
        ("courses[0]", "institute", "unknown institute (in the file or the catalog) 'nowhere-academy'"),
    ),
    "classroom batch without campus": (
        claimless_bad_campus,
        ("batches[0]", "campus", "a hybrid batch meets at a campus: name its area"),
    ),
    "wrong type": (
        spoil_course(duration_days="eight"),
        ("courses[0]", "duration_days", "must be a whole number, not 'eight'"),
    ),
    "unknown field": (
        spoil_course(fee=4500),
        ("courses[0]", "fee", "is not a field of this kind of record"),
    ),
    "nested record": (
        lambda d: d["institutes"][0]["instructors"][0].update(years_experience=70),
        ("institutes[0].instructors[0]", "years_experience", "must be at most 60, not 70"),
    ),
}


@pytest.mark.parametrize("case", BAD_RECORDS, ids=list(BAD_RECORDS))
def test_a_dry_run_reports_a_bad_record_with_its_place_field_and_reason(db, case):
    spoil, expected = BAD_RECORDS[case]
    document = example_catalog()
    spoil(document)
    report = run_import(db, document, dry_run=True)
    assert expected in problems(report)
    assert not report.ok and report.created == {}
    assert all(count == 0 for count in row_counts(db).values())


def test_every_bad_record_of_a_file_is_reported_at_once(db):
    document = example_catalog()
    for spoil, _expected in BAD_RECORDS.values():
        spoil(document)
    report = run_import(db, document)
    reported = problems(report)
    for case, (_spoil, expected) in BAD_RECORDS.items():
        if case not in ("unknown institute", "unknown topic"):  # later spoils replace these values
            assert expected in reported, case
    assert "problems; nothing was imported" in report.summary()


def test_a_bad_value_in_a_csv_file_is_reported_by_file_line_and_column(db):
    run_import(db, example_catalog())
    archive = export_catalog(db.session, "csv")
    files = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        for name in source.namelist():
            files[name] = source.read(name).decode()
    files["courses.csv"] = files["courses.csv"].replace(",4500,", ",-5,")
    files["course_modules.csv"] = files["course_modules.csv"].replace(",6,", ",lots,", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, text in files.items():
            target.writestr(name, text)
    report = import_catalog(db.session, buffer.getvalue(), "catalog.zip")
    assert [(p.source, p.where, p.field, p.reason) for p in report.problems] == [
        ("courses.csv", "line 2", "fee_inr", "must be at least 0, not -5"),
        ("course_modules.csv", "line 2", "hours", "must be a whole number, not 'lots'"),
    ]
    assert str(report.problems[0]) == "courses.csv: line 2, fee_inr: must be at least 0, not -5"


def test_a_valid_dry_run_says_what_it_would_create_and_writes_nothing(db):
    report = run_import(db, example_catalog(), dry_run=True)
    assert report.ok and report.dry_run
    assert report.created["courses"] == ["Model Serving with FastAPI and Docker"]
    assert report.created["batches"] == [f"{COURSE} from 2027-03-06"]
    assert "Dry run: nothing was written." in report.summary()
    assert all(count == 0 for count in row_counts(db).values())


def test_an_import_writes_nothing_unless_every_record_is_valid(db):
    document = example_catalog()
    document["courses"].append({**copy.deepcopy(document["courses"][0]), "slug": "second", "fee_inr": -1})
    report = run_import(db, document)
    assert problems(report) == [("courses[1]", "fee_inr", "must be at least 0, not -1")]
    assert all(count == 0 for count in row_counts(db).values())


def test_a_refusal_while_writing_rolls_everything_back_and_is_reported(db):
    make_topic(name="Containers", slug="containerisation")
    before = row_counts(db)
    report = run_import(db, example_catalog())
    assert problems(report) == [("topics[0]", "name", "refused: name-taken, name='Containers'")]
    assert row_counts(db) == before


def test_a_valid_file_is_written_through_the_services_with_audit_entries_of_no_user(db):
    report = run_import(db, example_catalog())
    assert report.ok and not report.dry_run
    course = stored_course(db)
    assert course.status == CourseStatus.PUBLISHED and course.institute.slug == "example-mlops-school"
    assert [module.title for module in course.modules] == ["A model behind an API", "Into a container"]
    assert [campus.area.slug for campus in course.campuses] == ["hitec-city"]
    kinds = set(db.session.scalars(select(AuditEntry.record_type)))
    assert {"Area", "Topic", "Tool", "Institute", "Campus", "Instructor", "Course", "Batch", "Event"} <= kinds
    assert db.session.scalar(select(func.count()).where(AuditEntry.user_id.is_not(None))) == 0


def test_importing_again_updates_by_slug_what_changed_and_nothing_else(db):
    run_import(db, example_catalog())
    document = example_catalog()
    document["courses"][0]["fee_inr"] = 5200
    document["batches"][0]["seats_left"] = 20
    report = run_import(db, document)
    assert report.updated == {
        "courses": ["Model Serving with FastAPI and Docker"],
        "batches": [f"{COURSE} from 2027-03-06"],
    }
    assert report.created == {} and report.unchanged["topics"] == 2
    assert stored_course(db).fee_inr == 5200
    assert db.session.scalar(select(Batch.seats_left)) == 20
    assert db.session.scalar(select(func.count(Course.id))) == 1


def test_a_course_promising_placement_goes_to_moderation_even_from_a_verified_institute(db):
    document = example_catalog()
    document["courses"][0]["summary"] = "Learn serving with 100% placement."
    report = run_import(db, document)
    assert report.ok
    assert stored_course(db).status == CourseStatus.PENDING
    assert db.session.scalar(select(Institute.verified)) is True
    (held,) = report.held
    assert held.slug == COURSE and held.reasons == ("summary: “100% placement”",)
    assert "1 sent to moderation" in report.summary()


def test_the_claims_check_runs_on_a_dry_run_too(db):
    document = example_catalog()
    document["courses"][0]["modules"][0]["outline"] = "Job guarantee for every learner."
    report = run_import(db, document, dry_run=True)
    assert [held.slug for held in report.held] == [COURSE]
    assert stored_course(db) is None


def test_statuses_are_kept_archived_closed_and_pending_unverified(db):
    document = example_catalog()
    document["institutes"][0].update(status="pending", verified=False)
    document["courses"][0]["status"] = "archived"
    document["batches"][0]["status"] = "closed"
    document["courses"].append(
        {**copy.deepcopy(document["courses"][0]), "slug": "draft-one", "status": "draft"}
    )
    run_import(db, document)
    institute = db.session.scalar(select(Institute))
    assert (institute.status, institute.verified) == (InstituteStatus.PENDING, False)
    statuses = dict(db.session.execute(select(Course.slug, Course.status)).all())
    assert statuses == {COURSE: CourseStatus.ARCHIVED, "draft-one": CourseStatus.DRAFT}
    assert db.session.scalar(select(Batch.status)) == BatchStatus.CLOSED


def test_an_import_does_not_suspend_an_institute(db):
    run_import(db, example_catalog())
    document = example_catalog()
    document["institutes"][0]["status"] = "suspended"
    report = run_import(db, document)
    assert [(where, field) for where, field, _reason in problems(report)] == [("institutes[0]", "status")]
    assert db.session.scalar(select(Institute.status)) == InstituteStatus.APPROVED


def test_an_import_approves_and_unverifies_a_stored_institute(db):
    document = example_catalog()
    document["institutes"][0]["status"] = "pending"
    run_import(db, document)
    document = example_catalog()
    document["institutes"][0]["verified"] = False
    report = run_import(db, document)
    assert report.updated["institutes"] == ["Example MLOps School"]
    institute = db.session.scalar(select(Institute))
    assert (institute.status, institute.verified) == (InstituteStatus.APPROVED, False)


def test_nothing_the_file_leaves_out_is_deleted(db):
    run_import(db, example_catalog())
    document = example_catalog()
    document["events"] = []
    document["topics"] = document["topics"][:1]
    report = run_import(db, document)
    assert report.ok
    assert db.session.scalar(select(func.count(Event.id))) == 1
    assert db.session.scalar(select(func.count(Topic.id))) == 2


MALFORMED = {
    "not JSON": (b'{"format": ', ("line 1, column 12", None, "is not JSON: Expecting value")),
    "not UTF-8": (b'{"name": "\xff"}', ("byte 11", None, "is not UTF-8 text (nor a zip archive)")),
    "a list": (b"[]", ("", None, "must hold one JSON object with the catalog's lists")),
    "a key twice": (
        b'{"format": 1, "format": 2}',
        ("", None, "is not JSON the format takes: the key 'format' appears twice in one object"),
    ),
    "NaN": (
        b'{"areas": [{"latitude": NaN}]}',
        ("", None, "is not JSON the format takes: NaN is not a number JSON allows"),
    ),
    "too deep": (b"[" * 100_000 + b"]" * 100_000, ("", None, "nests lists or objects too deeply")),
    "empty": (b"", ("", None, "is empty")),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_file_is_reported_not_raised(db, case):
    data, expected = MALFORMED[case]
    report = import_catalog(db.session, data, "catalog.json")
    assert expected in problems(report)


def test_another_format_version_is_refused(db):
    document = example_catalog()
    document["format_version"] = 2
    assert problems(run_import(db, document)) == [
        ("", "format_version", "is 2; this catalog reads version 1")
    ]


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FORMAT_CSV = b"format,format_version\r\nhyderabad-mlops-catalog,1\r\n"


def test_an_archive_with_a_file_the_format_has_not_is_refused_unread(db):
    data = zip_of({"format.csv": FORMAT_CSV, "../etc/passwd": b"root", "areas.csv": b"slug"})
    report = import_catalog(db.session, data, "catalog.zip")
    (problem,) = report.problems
    assert (problem.source, problem.where) == ("catalog.zip", "../etc/passwd")
    assert problem.reason.startswith("is not a file of the format (it has: format.csv, areas.csv")


def test_an_archive_that_would_unpack_beyond_the_limit_is_refused_by_its_headers(db):
    data = zip_of({"format.csv": FORMAT_CSV, "topics.csv": b"slug,name\r\n" + b"a" * 2_000_000})
    report = import_catalog(db.session, data, "catalog.zip", max_unpacked=1_000_000)
    assert problems(report) == [("", None, "would unpack to 2,000,061 bytes; the limit is 1,000,000")]


def test_a_csv_file_missing_a_column_is_reported_by_its_header(db):
    data = zip_of(
        {"format.csv": FORMAT_CSV, "areas.csv": b"slug,name,latitude\r\nhitec-city,HITEC City,1\r\n"}
    )
    report = import_catalog(db.session, data, "catalog.zip")
    assert [(p.source, p.where, p.field, p.reason) for p in report.problems] == [
        ("areas.csv", "line 1", "longitude", "is missing from the header")
    ]


def test_a_csv_file_that_is_not_utf8_or_csv_is_reported(db):
    data = zip_of({"format.csv": FORMAT_CSV, "areas.csv": b"slug,name\xff"})
    report = import_catalog(db.session, data, "catalog.zip")
    assert [(p.source, p.reason) for p in report.problems] == [("areas.csv", "is not UTF-8 text")]


def test_a_broken_zip_is_reported(db):
    report = import_catalog(db.session, b"PK\x03\x04 not really a zip", "catalog.zip")
    assert report.problems[0].reason.startswith("is not a zip archive the import can read")


def test_the_example_files_are_one_valid_catalog(db):
    json_report = import_catalog(db.session, EXAMPLE_CATALOG.read_bytes(), EXAMPLE_CATALOG.name, dry_run=True)
    archive = EXAMPLE_CATALOG.with_suffix(".zip")
    csv_report = import_catalog(db.session, archive.read_bytes(), archive.name, dry_run=True)
    assert json_report.ok and csv_report.ok
    assert json_report.created == csv_report.created
