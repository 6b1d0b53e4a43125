"""Reads about the topic and tool vocabulary."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import Course, Tool, Topic, course_tools, course_topics
from catalog.queries.courses import VISIBLE


def topic_by_slug(session: Session, slug: str) -> Topic | None:
    """The topic with this slug."""
    return session.scalar(select(Topic).where(Topic.slug == slug))


def topics_with_counts(session: Session) -> list[tuple[Topic, int]]:
    """Every topic with its number of published courses, busiest first."""
    count = (
        select(func.count(course_topics.c.course_id))
        .join(Course, Course.id == course_topics.c.course_id)
        .where(course_topics.c.topic_id == Topic.id, VISIBLE)
        .correlate(Topic)
        .scalar_subquery()
    )
    return [
        (topic, n) for topic, n in session.execute(select(Topic, count).order_by(count.desc(), Topic.name))
    ]


def tools_for_topic(session: Session, topic: Topic) -> list[tuple[Tool, int]]:
    """Tools taught in the topic's published courses, most used first."""
    uses = func.count(course_tools.c.course_id).label("uses")
    stmt = (
        select(Tool, uses)
        .join(course_tools, course_tools.c.tool_id == Tool.id)
        .join(course_topics, course_topics.c.course_id == course_tools.c.course_id)
        .join(Course, Course.id == course_tools.c.course_id)
        .where(course_topics.c.topic_id == topic.id, VISIBLE)
        .group_by(Tool.id)
        .order_by(uses.desc(), Tool.name)
    )
    return [(tool, n) for tool, n in session.execute(stmt)]
