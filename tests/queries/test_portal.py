"""Reads of the portal: only the institute's own records, and which batches and syllabi need staff."""

from __future__ import annotations

from datetime import timedelta

from catalog.models import Batch, BatchStatus, Course, CourseStatus, Event
from catalog.queries.portal import (
    course_saves_since,
    course_status_counts,
    course_was_published,
    courses_of,
    owned,
    scheduled_batch_dates_at,
    scheduled_batches,
    stale_syllabi,
)
from catalog.services.audit import record_change
from catalog.timeutil import local_today
from tests.builders import make_area, make_batch, make_campus, make_course, make_event, make_institute


def test_owned_finds_a_record_of_the_institute_only(db):
    mine, theirs = make_institute(), make_institute()
    course = make_course(institute=mine)
    assert owned(db.session, Course, course.id, mine.id) is course
    assert owned(db.session, Course, course.id, theirs.id) is None


def test_owned_finds_a_batch_through_its_course(db):
    mine, theirs = make_institute(), make_institute()
    batch = make_batch(make_course(institute=mine))
    assert owned(db.session, Batch, batch.id, mine.id) is batch
    assert owned(db.session, Batch, batch.id, theirs.id) is None


def test_owned_answers_none_for_an_unknown_id(db):
    make_event()
    assert owned(db.session, Event, 999_999, make_institute().id) is None


def test_scheduled_batches_are_those_still_to_run_open_or_full(db):
    institute = make_institute()
    course = make_course(institute=institute)
    soon, full = make_batch(course, starts_in_days=5), make_batch(course, starts_in_days=9, seats_left=0)
    make_batch(course, starts_in_days=-1)
    make_batch(course, starts_in_days=0)
    make_batch(course, starts_in_days=7, status=BatchStatus.CLOSED)
    make_batch(make_course(), starts_in_days=3)
    make_batch(make_course(institute=institute, status=CourseStatus.DRAFT), starts_in_days=3)
    assert scheduled_batches(db.session, institute.id, local_today(), 10) == [soon, full]


def test_scheduled_batch_dates_at_a_campus_are_soonest_first(db):
    institute = make_institute()
    campus = make_campus(institute, make_area())
    course = make_course(institute=institute)
    later, sooner = make_batch(course, 30, campus=campus), make_batch(course, 10, campus=campus, seats_left=0)
    make_batch(course, 20)
    assert scheduled_batch_dates_at(db.session, campus.id, local_today()) == [
        sooner.start_date,
        later.start_date,
    ]


def test_stale_syllabi_are_those_not_reviewed_within_a_year(db):
    institute = make_institute()
    today = local_today()
    old = make_course(institute=institute, syllabus_reviewed_on=today - timedelta(days=366))
    never = make_course(institute=institute, syllabus_reviewed_on=None)
    make_course(institute=institute, syllabus_reviewed_on=today - timedelta(days=365))
    make_course(institute=institute, syllabus_reviewed_on=today - timedelta(days=200))
    make_course(institute=institute, syllabus_reviewed_on=None, status=CourseStatus.DRAFT)
    assert set(stale_syllabi(db.session, institute.id, today)) == {old, never}


def test_courses_of_an_institute_list_archived_ones_last(db):
    institute = make_institute()
    draft = make_course(institute=institute, status=CourseStatus.DRAFT)
    archived = make_course(institute=institute, status=CourseStatus.ARCHIVED)
    make_course()
    assert courses_of(db.session, institute.id) == [draft, archived]


def test_course_status_counts_leave_out_statuses_with_none(db):
    institute = make_institute()
    make_course(institute=institute)
    make_course(institute=institute)
    make_course(institute=institute, status=CourseStatus.DRAFT)
    assert course_status_counts(db.session, institute.id) == {
        CourseStatus.PUBLISHED: 2,
        CourseStatus.DRAFT: 1,
    }


def test_course_was_published_reads_the_audit_log(db):
    course = make_course(status=CourseStatus.DRAFT)
    assert not course_was_published(db.session, course.id)
    record_change(db.session, None, "update", course, {"status": ["draft", "published"]})
    db.session.commit()
    assert course_was_published(db.session, course.id)


def test_course_saves_since_a_version_leave_out_older_saves(db):
    course = make_course()
    for version in (1, 2, 3):
        record_change(db.session, None, "update", course, {"version": [version, version + 1]})
    db.session.commit()
    saved_from = [entry.changes["version"][0] for entry in course_saves_since(db.session, course.id, 2)]
    assert saved_from == [3, 2]
