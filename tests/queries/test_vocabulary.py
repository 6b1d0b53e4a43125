"""Reads about the topic vocabulary; every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from catalog.models import CourseStatus, InstituteStatus
from catalog.queries.vocabulary import TopicCount, topics_with_counts
from catalog.timeutil import local_today
from tests.builders import make_course, make_institute, make_topic


def on_topics(db, course, *topics):
    course.topics = list(topics)
    db.session.commit()


def test_topic_counts_hold_only_courses_learners_can_open_busiest_first(db):
    serving, drift = make_topic(name="Serving", slug="serving"), make_topic(name="Drift", slug="drift")
    make_topic(name="Unused", slug="unused")
    on_topics(db, make_course(), serving, drift)
    on_topics(db, make_course(), drift)
    on_topics(db, make_course(status=CourseStatus.DRAFT), serving)
    on_topics(db, make_course(institute=make_institute(status=InstituteStatus.SUSPENDED)), serving)
    assert topics_with_counts(db.session, local_today()) == [
        TopicCount("drift", "Drift", 2),
        TopicCount("serving", "Serving", 1),
        TopicCount("unused", "Unused", 0),
    ]


def test_topics_with_equal_counts_are_listed_by_name(db):
    make_topic(name="Monitoring", slug="monitoring")
    make_topic(name="Feature stores", slug="feature-stores")
    assert [t.name for t in topics_with_counts(db.session, local_today())] == ["Feature stores", "Monitoring"]


def test_topic_counts_follow_a_new_course(db):
    topic = make_topic(name="Serving", slug="serving")
    assert topics_with_counts(db.session, local_today())[0].course_count == 0
    on_topics(db, make_course(), topic)
    assert topics_with_counts(db.session, local_today())[0].course_count == 1
