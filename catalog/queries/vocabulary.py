"""Reads about the topic and tool vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import Course, Tool, Topic, course_tools, course_topics
from catalog.queries.courses import VISIBLE
from catalog.search import catalog_counts


def topic_by_slug(session: Session, slug: str) -> Topic | None:
    """The topic with this slug."""
    return session.scalar(select(Topic).where(Topic.slug == slug))


@dataclass(frozen=True)
class TopicCount:
    """A topic's address and name with its number of published courses."""

    slug: str
    name: str
    course_count: int


def topics_with_counts(session: Session, today: date) -> list[TopicCount]:
    """Every topic with its number of published courses, busiest first, then by name.

    Counted from the search's facet snapshot, so the numbers are the topic facet's.
    """
    return [
        TopicCount(topic.value, topic.label, topic.count) for topic in catalog_counts(session, today).topics
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
