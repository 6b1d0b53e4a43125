"""The batch service: seats and status, the campus rule, start dates, closing and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from catalog.models import AuditEntry, BatchStatus, Mode, Schedule
from catalog.services.batches import BatchChanges, apply_batch, close_batch
from catalog.services.errors import DomainError
from catalog.timeutil import local_today
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute, make_user


def batch_changes(**overrides) -> BatchChanges:
    values = {
        "start_date": local_today() + timedelta(days=30),
        "schedule": Schedule.WEEKEND,
        "mode": Mode.ONLINE,
        "seats_total": 30,
    }
    return BatchChanges(**{**values, **overrides})


@pytest.fixture
def course(db):
    return make_course(institute=make_institute(), mode=Mode.ONLINE)


def refusal(call) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.code, refused.value.field


def test_new_batch_starts_with_every_seat_free(db, course):
    outcome = apply_batch(db.session, None, course, batch_changes())
    batch = outcome.record
    assert (batch.seats_total, batch.seats_left, batch.status, batch.campus_id) == (
        30,
        30,
        BatchStatus.OPEN,
        None,
    )
    assert (outcome.code, outcome.params["start_date"]) == ("batch-saved", local_today() + timedelta(days=30))


def test_batch_with_no_seats_left_is_full_and_close_closes_it(db):
    institute = make_institute()
    campus = make_campus(institute, make_area())
    batch = make_batch(make_course(institute=institute), campus=campus)
    changes = batch_changes(mode=Mode.CLASSROOM, campus=campus.id, seats_left=0)
    assert apply_batch(db.session, None, batch.course, changes, batch).code == "batch-saved-full"
    assert batch.status == BatchStatus.FULL
    assert close_batch(db.session, make_user(institute), batch).code == "batch-closed"
    assert batch.status == BatchStatus.CLOSED
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "close" and entry.changes["status"] == ["full", "closed"]


def test_closing_a_closed_batch_changes_nothing(db, course):
    batch = make_batch(course, status=BatchStatus.CLOSED)
    assert close_batch(db.session, None, batch).code == "batch-already-closed"
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_a_new_batch_cannot_start_in_the_past(db, course):
    yesterday = local_today() - timedelta(days=1)
    assert refusal(lambda: apply_batch(db.session, None, course, batch_changes(start_date=yesterday))) == (
        "batch-starts-in-past",
        "start_date",
    )


def test_a_batch_that_has_started_may_be_written_when_the_caller_says_so(db, course):
    yesterday = local_today() - timedelta(days=1)
    batch = apply_batch(db.session, None, course, batch_changes(start_date=yesterday), may_have_started=True)
    assert batch.record.start_date == yesterday


def test_editing_a_started_batch_keeps_its_past_date(db, course):
    batch = make_batch(course, starts_in_days=-3)
    changes = batch_changes(start_date=batch.start_date, seats_left=2)
    assert apply_batch(db.session, None, course, changes, batch).record.start_date == batch.start_date


@pytest.mark.parametrize("mode", [Mode.CLASSROOM, Mode.HYBRID])
def test_classroom_and_hybrid_batches_need_a_campus(db, course, mode):
    assert refusal(lambda: apply_batch(db.session, None, course, batch_changes(mode=mode))) == (
        "campus-needed",
        "campus",
    )


def test_seats_left_cannot_be_more_than_the_seats_in_total(db, course):
    assert refusal(lambda: apply_batch(db.session, None, course, batch_changes(seats_left=31))) == (
        "seats-left-above-total",
        "seats_left",
    )


def test_batch_cannot_meet_at_another_institutes_campus(db, course):
    foreign = make_campus(make_institute(), make_area())
    changes = batch_changes(mode=Mode.CLASSROOM, campus=foreign.id)
    assert refusal(lambda: apply_batch(db.session, None, course, changes)) == ("unknown-choice", "campus")
