"""Reads behind /insights: what the charts count, by the search's own rules, at a fixed cost."""

from __future__ import annotations

from datetime import date

from catalog.extensions import db as _db
from catalog.models import BatchStatus, CourseFormat, CourseStatus, InstituteStatus, Mode
from catalog.queries.insights import batches_by_month, catalog_insights, count_insights, course_points
from catalog.timeutil import local_today
from tests.builders import (
    make_area,
    make_batch,
    make_campus,
    make_course,
    make_institute,
    make_tool,
    make_topic,
)
from tests.helpers import count_queries, search_titles


def hidden_courses():
    """A draft course and a course of a pending institute: neither may be counted anywhere."""
    return [
        make_course(status=CourseStatus.DRAFT),
        make_course(institute=make_institute(status=InstituteStatus.PENDING)),
    ]


def test_topic_counts_are_the_search_counts_of_published_courses(db):
    topic = make_topic(name="Model serving", slug="model-serving")
    for course in [make_course(), make_course(), *hidden_courses()]:
        course.topics = [topic]
    _db.session.commit()
    insights = catalog_insights(db.session, local_today())
    assert [(t.value, t.count) for t in insights.topics] == [("model-serving", 2)]
    assert len(search_titles(db, topic=["model-serving"])) == 2


def test_topics_come_busiest_first_and_unused_topics_are_left_out(db):
    busy, quiet = make_topic(name="Busy"), make_topic(name="Quiet")
    make_topic(name="Unused")
    first, second = make_course(), make_course()
    first.topics, second.topics = [busy, quiet], [busy]
    _db.session.commit()
    assert [t.label for t in catalog_insights(db.session, local_today()).topics] == ["Busy", "Quiet"]


def test_tool_counts_and_total_give_each_tools_share(db):
    mlflow = make_tool(name="MLflow")
    courses = [make_course() for _ in range(4)]
    courses[0].tools = [mlflow]
    _db.session.commit()
    insights = catalog_insights(db.session, local_today())
    assert insights.total_courses == 4
    assert [(t.label, t.count) for t in insights.tools] == [("MLflow", 1)]


def test_points_hold_every_published_course_and_no_hidden_one(db):
    shown = make_course(title="Shown", fee_inr=75_000, duration_days=120, format=CourseFormat.DIPLOMA)
    hidden_courses()
    points = catalog_insights(db.session, local_today()).points
    assert [(p.slug, p.fee_inr, p.duration_days, p.format) for p in points] == [
        (shown.slug, 75_000, 120, CourseFormat.DIPLOMA)
    ]


def test_a_large_catalog_draws_a_sample_of_about_the_limit_cheapest_first(db):
    courses = [make_course(fee_inr=fee) for fee in range(60_000, 0, -10_000)]
    sample = course_points(db.session, total=6, limit=3)
    every_other = sorted((c for c in courses if c.id % 2 == 0), key=lambda c: c.fee_inr)
    assert [p.slug for p in sample] == [c.slug for c in every_other]
    assert len(course_points(db.session, total=6, limit=6)) == 6


def test_batches_are_counted_in_the_month_they_start_with_empty_months_listed(db):
    today = date(2026, 12, 1)
    course = make_course()
    for start in (date(2026, 12, 20), date(2026, 12, 28), date(2027, 2, 3)):
        make_batch(course, start_date=start)
    months = batches_by_month(db.session, today)
    assert len(months) == 12
    assert [(m.month, m.batches) for m in months[:3]] == [
        (date(2026, 12, 1), 2),
        (date(2027, 1, 1), 0),
        (date(2027, 2, 1), 1),
    ]
    assert months[-1].month == date(2027, 11, 1)


def test_only_open_batches_of_public_courses_are_counted(db):
    today = local_today()
    course = make_course()
    make_batch(course, starts_in_days=5, status=BatchStatus.FULL)
    make_batch(course, starts_in_days=5, seats_left=0)
    make_batch(course, starts_in_days=-1)
    for hidden in hidden_courses():
        make_batch(hidden, starts_in_days=5)
    assert sum(m.batches for m in batches_by_month(db.session, today)) == 0


def test_batches_beyond_the_twelve_months_are_left_out(db):
    make_batch(make_course(), starts_in_days=400)
    assert sum(m.batches for m in batches_by_month(db.session, local_today())) == 0


def test_areas_count_approved_institutes_with_a_campus_and_the_courses_taught_there(db):
    hitec = make_area(name="HITEC City", slug="hitec-city")
    teaching = make_institute()
    course = make_course(institute=teaching)
    course.campuses = [make_campus(teaching, hitec)]
    make_campus(make_institute(), hitec)
    make_campus(make_institute(status=InstituteStatus.PENDING), hitec)
    _db.session.commit()
    area = next(a for a in catalog_insights(db.session, local_today()).areas if a.slug == "hitec-city")
    assert (area.institutes, area.courses) == (2, 1)
    assert area.latitude == hitec.latitude and area.longitude == hitec.longitude


def test_online_counts_institutes_and_courses_that_can_be_attended_online(db):
    make_area(name="Online", slug="online", latitude=None, longitude=None)
    make_area(name="Ameerpet", slug="ameerpet")
    hybrid = make_institute()
    make_course(institute=hybrid, mode=Mode.HYBRID)
    make_course(institute=hybrid, mode=Mode.ONLINE)
    make_course(mode=Mode.CLASSROOM)
    areas = catalog_insights(db.session, local_today()).areas
    assert [a.slug for a in areas] == ["ameerpet", "online"]
    assert (areas[-1].institutes, areas[-1].courses) == (1, 2)


def build_catalog(size: int) -> None:
    area, topic, tool = make_area(), make_topic(), make_tool()
    for _ in range(size):
        institute = make_institute()
        course = make_course(institute=institute)
        course.campuses, course.topics, course.tools = [make_campus(institute, area)], [topic], [tool]
        make_batch(course, starts_in_days=20)
    _db.session.commit()


def test_counting_the_insights_costs_the_same_queries_for_a_small_and_a_larger_catalog(db):
    today = local_today()
    build_catalog(2)
    count_insights(db.session, today)
    with count_queries(db) as small:
        count_insights(db.session, today)
    build_catalog(8)
    count_insights(db.session, today)  # the search's snapshot is rebuilt once, here
    with count_queries(db) as larger:
        count_insights(db.session, today)
    assert len(larger) == len(small)
    assert len(small) <= 8


def test_unchanged_insights_are_read_again_with_one_query(db):
    build_catalog(2)
    first = catalog_insights(db.session, local_today())
    with count_queries(db) as statements:
        again = catalog_insights(db.session, local_today())
    assert again == first and len(statements) == 1


def test_a_change_of_the_catalog_is_counted_at_once(db):
    build_catalog(2)
    before = catalog_insights(db.session, local_today())
    make_course()
    assert catalog_insights(db.session, local_today()).total_courses == before.total_courses + 1
