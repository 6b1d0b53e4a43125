"""Reads about the vocabulary: topics, tools and areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.models import (
    Area,
    Campus,
    Course,
    Tool,
    Topic,
    VocabularyRedirect,
    course_campuses,
    course_tools,
    course_topics,
)
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


#: The vocabulary's kinds of term, each with its model.
TERM_MODELS: dict[str, type[Topic] | type[Tool] | type[Area]] = {"topic": Topic, "tool": Tool, "area": Area}


def redirected_slug(session: Session, kind: str, slug: str) -> str | None:
    """The slug of the term that now answers for the old ``slug`` of a renamed or merged term
    (None when the slug is a live term's, or was never one)."""
    model = TERM_MODELS[kind]
    if session.scalar(select(model.id).where(model.slug == slug)) is not None:
        return None
    return session.scalar(
        select(model.slug)
        .join(VocabularyRedirect, VocabularyRedirect.term_id == model.id)
        .where(VocabularyRedirect.kind == kind, VocabularyRedirect.old_slug == slug)
    )


def term_by_id(session: Session, kind: str, term_id: int) -> Topic | Tool | Area | None:
    """The term of this kind with this id (None for an unknown kind or id)."""
    model = TERM_MODELS.get(kind)
    return session.get(model, term_id) if model is not None else None


def _course_counts(session: Session, kind: str) -> dict[int, int]:
    """Courses of every status using each term of a kind, in one query."""
    if kind == "area":
        stmt = (
            select(Campus.area_id, func.count(func.distinct(course_campuses.c.course_id)))
            .join(course_campuses, course_campuses.c.campus_id == Campus.id)
            .group_by(Campus.area_id)
        )
    else:
        table = course_topics if kind == "topic" else course_tools
        column = table.c.topic_id if kind == "topic" else table.c.tool_id
        stmt = select(column, func.count(table.c.course_id)).group_by(column)
    return {term_id: count for term_id, count in session.execute(stmt)}


def terms_with_counts(session: Session, kind: str) -> list[tuple[Topic | Tool | Area, int]]:
    """Every term of a kind by name, with the number of courses (drafts included) that use it."""
    counts = _course_counts(session, kind)
    model = TERM_MODELS[kind]
    return [(term, counts.get(term.id, 0)) for term in session.scalars(select(model).order_by(model.name))]


def term_names_by_slug(session: Session, kind: str, slugs: list[str]) -> dict[str, str]:
    """The names of the terms of a kind with these slugs, by slug (unknown slugs left out)."""
    if not slugs:
        return {}
    model = TERM_MODELS[kind]
    rows = session.execute(select(model.slug, model.name).where(model.slug.in_(slugs)))
    return {slug: name for slug, name in rows}
