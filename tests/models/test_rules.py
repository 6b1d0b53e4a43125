"""The rules that live once on the models, each with its SQL twin where there is one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.models import (
    SYLLABUS_STALE_AFTER_DAYS,
    Batch,
    BatchStatus,
    ContactMethod,
    Course,
    Mode,
    Schedule,
)
from catalog.models.contacts import format_phone, normalise_email, parse_email, parse_phone
from catalog.models.labels import choices, label
from catalog.timeutil import local_today
from tests.builders import make_batch, make_course


def test_a_batch_is_open_until_it_starts_or_fills_or_is_closed(db):
    course = make_course()
    today = local_today()
    batches = {
        "open": make_batch(course, starts_in_days=5),
        "started": make_batch(course, starts_in_days=0),
        "full": make_batch(course, starts_in_days=5, seats_left=0, status=BatchStatus.FULL),
        "closed": make_batch(course, starts_in_days=5, status=BatchStatus.CLOSED),
    }
    assert [name for name, b in batches.items() if b.is_open(today)] == ["open"]
    in_sql = set(db.session.scalars(select(Batch.id).where(Batch.open_condition(today))))
    assert in_sql == {batches["open"].id}


def test_a_full_batch_is_still_scheduled_but_a_started_or_closed_one_is_not(db):
    course = make_course()
    today = local_today()
    open_batch = make_batch(course, starts_in_days=5)
    full = make_batch(course, starts_in_days=5, seats_left=0, status=BatchStatus.FULL)
    make_batch(course, starts_in_days=0)
    make_batch(course, starts_in_days=5, status=BatchStatus.CLOSED)
    in_sql = set(db.session.scalars(select(Batch.id).where(Batch.scheduled_condition(today))))
    assert in_sql == {open_batch.id, full.id}
    assert [b.id for b in course.batches if b.is_scheduled(today)] == sorted(in_sql)


def test_a_syllabus_is_stale_after_the_one_setting_and_when_never_reviewed(db):
    today = local_today()
    fresh = make_course(syllabus_reviewed_on=today - timedelta(days=SYLLABUS_STALE_AFTER_DAYS))
    stale = make_course(syllabus_reviewed_on=today - timedelta(days=SYLLABUS_STALE_AFTER_DAYS + 1))
    never = make_course(syllabus_reviewed_on=None)
    assert [c.syllabus_is_stale(today) for c in (fresh, stale, never)] == [False, True, True]
    in_sql = set(db.session.scalars(select(Course.id).where(Course.stale_syllabus_condition(today))))
    assert in_sql == {stale.id, never.id}


@pytest.mark.parametrize(
    ("mode", "online"), [(Mode.CLASSROOM, False), (Mode.ONLINE, True), (Mode.HYBRID, True)]
)
def test_online_means_online_or_hybrid(db, mode, online):
    course = make_course(mode=mode)
    assert course.is_online is online
    in_sql = db.session.scalar(select(Course.id).where(Course.online_condition(), Course.id == course.id))
    assert (in_sql is not None) is online


def test_labels_read_as_people_write_them():
    assert label(Schedule.FAST_TRACK) == "Fast-track"
    assert label(Mode.HYBRID) == "Hybrid"
    assert label(None) == ""
    assert ("whatsapp", "WhatsApp") in choices(ContactMethod)


def test_emails_are_stored_trimmed_and_lower_cased_local_part_included():
    assert normalise_email("  Asha.Rao@Example.IN ") == "asha.rao@example.in"
    assert parse_email("Asha.Rao@Example.IN") == "asha.rao@example.in"
    assert parse_email("not an email") is None


def test_phones_are_stored_in_e164_and_shown_with_spaces():
    assert parse_phone("98765 43210") == "+919876543210"
    assert parse_phone("040 2373 4418") == "+914023734418"
    assert parse_phone("12345") is None
    assert format_phone("+914023734418") == "+91 40 2373 4418"
    assert format_phone("as typed long ago") == "as typed long ago"


def test_members_of_two_enums_with_one_value_keep_their_own_labels():
    from catalog.models import EnquiryStatus
    from catalog.models.labels import label
    from catalog.models.reports import ReportStatus

    assert EnquiryStatus.NEW.value == ReportStatus.NEW.value
    assert label(EnquiryStatus.NEW) == "New"
    assert label(ReportStatus.NEW) == "Waiting"
