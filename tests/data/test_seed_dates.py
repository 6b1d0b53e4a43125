"""The seed's relative dates keep their meaning whatever day it runs: weekend batches start on
a Saturday or Sunday, weekday batches on a weekday, a Saturday event on a Saturday."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.data import seeding
from catalog.data.seed_changes import ANY_DAY, SCHEDULE_DAYS, seed_day
from catalog.data.seeding import SeedError, seed_catalog
from catalog.models import Batch, Course, Event, Schedule
from catalog.timeutil import LOCAL_TZ

DATA = Path(__file__).resolve().parents[2] / "data"
MONDAY = date(2026, 11, 30)
#: Every day of one week, Monday first, as the day the seed runs.
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@pytest.mark.parametrize("today", WEEK, ids=WEEKDAY_NAMES)
def test_seed_day_is_the_first_fitting_day_on_or_after_today_plus_n(today):
    for days in range(-10, 15):
        day = seed_day(today, days, SCHEDULE_DAYS[Schedule.WEEKEND])
        assert day.weekday() in (5, 6)
        assert today + timedelta(days=days) <= day < today + timedelta(days=days + 6)
        assert all(
            (today + timedelta(days=days + n)).weekday() not in (5, 6)
            for n in range((day - today).days - days)
        )


@pytest.mark.parametrize("today", WEEK, ids=WEEKDAY_NAMES)
def test_seed_day_on_a_fitting_day_is_today_plus_n(today):
    assert seed_day(today, 9) == today + timedelta(days=9)
    assert seed_day(today, 0, {today.weekday()}) == today


@pytest.mark.parametrize("today", WEEK, ids=WEEKDAY_NAMES)
def test_seed_day_for_weekday_batches_skips_the_weekend(today):
    day = seed_day(today, 5, SCHEDULE_DAYS[Schedule.WEEKDAY])
    assert day.weekday() < 5
    assert (day - today).days in (5, 6, 7)


def test_seed_day_needs_some_day_to_fall_on():
    with pytest.raises(ValueError):
        seed_day(MONDAY, 1, ())


def test_other_schedules_start_on_any_day():
    assert Schedule.EVENING not in SCHEDULE_DAYS and Schedule.FAST_TRACK not in SCHEDULE_DAYS
    assert seed_day(MONDAY, 5, ANY_DAY) == MONDAY + timedelta(days=5)


@pytest.fixture
def seeded_on(db, monkeypatch):
    """Seed data/ as if today were the given day."""

    def seed(today: date) -> None:
        monkeypatch.setattr(seeding, "local_today", lambda: today)
        seed_catalog(db.session, DATA)

    return seed


@pytest.mark.parametrize("today", [WEEK[4], WEEK[6]], ids=[WEEKDAY_NAMES[4], WEEKDAY_NAMES[6]])
def test_seeded_dates_fall_on_the_days_their_records_mean(db, seeded_on, today):
    # Seeding is the slow part: the rule itself is checked for every weekday above, the whole
    # seed on a Friday and a Sunday (the days before and on a weekend).
    seeded_on(today)
    batches = list(db.session.scalars(select(Batch)))
    weekend = [b.start_date for b in batches if b.schedule == Schedule.WEEKEND]
    weekday = [b.start_date for b in batches if b.schedule == Schedule.WEEKDAY]
    assert weekend and weekday
    assert all(day.weekday() in (5, 6) for day in weekend)
    assert all(day.weekday() < 5 for day in weekday)
    event = db.session.scalar(select(Event).where(Event.slug == "kubernetes-for-ml-hands-on-saturday"))
    assert event.starts_at.astimezone(LOCAL_TZ).weekday() == 5
    lab = db.session.scalar(select(Course).where(Course.slug == "deccan-data-versioning-dvc-lab"))
    assert lab.batches and all(batch.start_date.weekday() == 6 for batch in lab.batches)


def test_seed_dates_move_forward_by_less_than_a_week(db, seeded_on):
    seeded_on(MONDAY)
    event = db.session.scalar(select(Event).where(Event.slug == "kubernetes-for-ml-hands-on-saturday"))
    # events.yaml: starts_in_days 13 and on_day saturday; Monday + 13 is a Sunday.
    assert event.starts_at.astimezone(LOCAL_TZ).date() == MONDAY + timedelta(days=19)


def test_an_on_day_that_contradicts_the_schedule_is_refused(db, tmp_path):

    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "institutes" / "deccan-data-academy.yaml"
    path.write_text(path.read_text().replace("on_day: sunday", "on_day: monday", 1))
    with pytest.raises(SeedError, match="field 'on_day': 'monday' does not fit this schedule"):
        seed_catalog(db.session, folder)


def test_an_unknown_on_day_is_refused(db, tmp_path):

    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "events.yaml"
    path.write_text(path.read_text().replace("on_day: saturday", "on_day: caturday", 1))
    with pytest.raises(SeedError, match="field 'on_day': 'caturday' is not one of: monday"):
        seed_catalog(db.session, folder)
