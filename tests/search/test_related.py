"""Related courses: the visible courses sharing most topics and tools, ties by title."""

from __future__ import annotations

from catalog.models import CourseStatus
from catalog.queries.courses import courses_by_ids
from catalog.search import related_course_ids
from tests.builders import make_course, make_tool, make_topic


def related_titles(db, course, limit=4) -> list[str]:
    ids = related_course_ids(
        db.session, course.id, [t.slug for t in course.topics], [t.slug for t in course.tools], limit
    )
    titles = {course_id: c.title for course_id, c in courses_by_ids(db.session, ids).items()}
    return [titles[course_id] for course_id in ids]


def test_most_shared_topics_and_tools_come_first_then_titles(db):
    serving, monitoring = make_topic(), make_topic()
    docker, mlflow = make_tool(), make_tool()
    course = make_course(title="Origin", topics=[serving, monitoring], tools=[docker, mlflow])
    make_course(title="Shares one", topics=[serving])
    make_course(title="Shares three", topics=[serving, monitoring], tools=[docker])
    make_course(title="B shares two", tools=[docker, mlflow])
    make_course(title="A shares two", topics=[monitoring], tools=[mlflow])
    make_course(title="Shares none")
    assert related_titles(db, course) == ["Shares three", "A shares two", "B shares two", "Shares one"]


def test_the_course_itself_and_courses_learners_cannot_see_are_left_out(db):
    topic = make_topic()
    course = make_course(title="Origin", topics=[topic])
    make_course(title="Draft twin", topics=[topic], status=CourseStatus.DRAFT)
    make_course(title="Visible twin", topics=[topic])
    assert related_titles(db, course) == ["Visible twin"]


def test_a_course_without_topics_or_tools_has_no_related_courses(db):
    make_course(title="Other", topics=[make_topic()])
    assert related_titles(db, make_course(title="Bare")) == []


def test_the_limit_cuts_the_list(db):
    topic = make_topic()
    course = make_course(title="Origin", topics=[topic])
    for n in range(6):
        make_course(title=f"Twin {n}", topics=[topic])
    assert related_titles(db, course, limit=2) == ["Twin 0", "Twin 1"]
