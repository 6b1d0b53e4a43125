"""Reads about the vocabulary: topics, tools and areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import Area, Course, Tool, Topic, course_tools, course_topics
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


def topics_by_name(session: Session) -> list[Topic]:
    """The topic vocabulary, for the record forms' choices."""
    return list(session.scalars(select(Topic).order_by(Topic.name)))


def tools_by_name(session: Session) -> list[Tool]:
    """The tool vocabulary, for the course form's choices."""
    return list(session.scalars(select(Tool).order_by(Tool.name)))


def areas_by_name(session: Session, online_last: bool = False) -> list[Area]:
    """Every area, "Online" included, for the record forms' choices; with ``online_last`` the
    "Online" pseudo-area comes after the localities of the city."""
    order = (Area.slug == "online", Area.name) if online_last else (Area.name,)
    return list(session.scalars(select(Area).order_by(*order)))
