"""The compare page: two to four public courses side by side, differences marked."""

from __future__ import annotations

import re

import pytest

from catalog.extensions import db as _db
from catalog.models import CourseStatus, Schedule
from tests.builders import make_batch, make_course, make_institute, make_instructor, make_tool, make_topic
from tests.helpers import count_queries


def compare_url(*courses) -> str:
    return "/compare?" + "&".join(f"c={course.slug}" for course in courses)


def row_of(html: str, label: str) -> str:
    """The table row whose header starts with ``label``."""
    match = re.search(r"<tr[^>]*>\s*<th scope=\"row\">" + re.escape(label) + r".*?</tr>", html, re.S)
    assert match, f"no row {label!r}"
    return match.group(0)


def rich_course(**overrides):
    institute = make_institute()
    course = make_course(institute=institute, **overrides)
    course.topics = [make_topic(name=f"Topic of {course.slug}")]
    course.tools = [make_tool(name=f"Tool of {course.slug}")]
    course.instructors = [make_instructor(institute, name=f"Teacher of {course.slug}", years_experience=9)]
    _db.session.commit()
    make_batch(course, starts_in_days=12, schedule=Schedule.WEEKEND, seats_left=7)
    make_batch(course, starts_in_days=40, schedule=Schedule.EVENING)
    return course


def test_compare_shows_every_row_for_each_course(client, db):
    first = rich_course(title="Kubeflow Bootcamp", fee_inr=90_000, total_hours=120)
    second = rich_course(title="MLflow Workshop", fee_inr=60_000, total_hours=120, placement_support=True,
                         placement_rate=70, placement_year=2025, placement_cohort_size=40)  # fmt: skip
    response = client.get(compare_url(first, second))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for label in (
        "Fee", "Fee per hour", "Duration", "Total hours", "Mode", "Schedules of upcoming batches",
        "Next batch", "Seats left", "Topics", "Tools", "Certification", "Placement", "Refund policy",
        "Syllabus last reviewed", "Instructors&#39; experience",
    ):  # fmt: skip
        row_of(html, label)
    assert "₹90,000" in row_of(html, "Fee") and "₹60,000" in row_of(html, "Fee")
    assert "₹750" in row_of(html, "Fee per hour") and "₹500" in row_of(html, "Fee per hour")
    assert "Evening" in row_of(html, "Schedules") and "Weekend" in row_of(html, "Schedules")
    assert "7 of 30" in row_of(html, "Seats left")
    assert "70% placed of 40 learners, 2025 cohort" in row_of(html, "Placement")
    assert "Teacher of" in row_of(html, "Instructors") and "9 years" in row_of(html, "Instructors")


def test_rows_that_differ_are_marked_for_eyes_and_screen_readers(client, db):
    first = rich_course(fee_inr=90_000, duration_days=90)
    second = rich_course(fee_inr=60_000, duration_days=90)
    html = client.get(compare_url(first, second)).get_data(as_text=True)
    fee = row_of(html, "Fee")
    assert 'class="differs"' in fee and '<span class="visually-hidden">(differs)</span>' in fee
    duration = row_of(html, "Duration")
    assert "differs" not in duration


def test_courses_appear_in_the_order_of_the_address(client, db):
    first, second, third = (
        rich_course(title="Alpha Course"),
        rich_course(title="Beta Course"),
        rich_course(title="Gamma Course"),
    )
    html = client.get(compare_url(third, first, second)).get_data(as_text=True)
    assert html.index("Gamma Course") < html.index("Alpha Course") < html.index("Beta Course")


@pytest.mark.parametrize("count", [0, 1, 5])
def test_fewer_than_two_or_more_than_four_is_a_clear_400(client, db, count):
    courses = [make_course() for _ in range(count)]
    response = client.get(compare_url(*courses) if courses else "/compare")
    assert response.status_code == 400
    assert f"Choose 2 to 4 courses to compare (you chose {count})" in response.get_data(as_text=True)


def test_the_same_slug_twice_counts_once(client, db):
    course = make_course()
    response = client.get(compare_url(course, course))
    assert response.status_code == 400
    assert "(you chose 1)" in response.get_data(as_text=True)


def test_unknown_or_archived_slugs_are_named_with_a_way_on(client, db):
    first, second = make_course(), make_course()
    archived = make_course(slug="old-course", status=CourseStatus.ARCHIVED)
    response = client.get(compare_url(first, second, archived) + "&c=no-such-course")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No published course has the address “old-course”, “no-such-course”" in html
    assert f'href="/compare?c={first.slug}&amp;c={second.slug}"' in html


def test_strange_parameters_never_fail(client, db):
    for query in ("c=", "c=%00", "c=" + "x" * 3000, "c=a&c=b&c=c&c=d&c=e", "c=%27%3B--&c=%3Cscript%3E"):
        assert client.get(f"/compare?{query}").status_code in (400, 404)


def test_compare_costs_the_same_queries_for_two_and_four_courses(client, db):
    courses = [rich_course() for _ in range(4)]
    two_url, four_url = compare_url(*courses[:2]), compare_url(*courses)
    client.get(two_url)
    with count_queries(db) as two:
        client.get(two_url)
    with count_queries(db) as four:
        client.get(four_url)
    assert len(four) == len(two)
    assert len(four) <= 6
