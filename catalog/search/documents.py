"""What the search index holds for each course, built with a fixed number of queries per chunk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, select

from catalog.models import (
    Area,
    Campus,
    Course,
    Institute,
    Mode,
    Tool,
    Topic,
    course_campuses,
    course_tools,
    course_topics,
)
from catalog.models.search import MAX_WORD_LENGTH
from catalog.search.query import words

CHUNK = 500


@dataclass(frozen=True)
class CourseDocument:
    """The searchable text of one course, one field per weighted column."""

    course_id: int
    title: str
    topics: str
    tools: str
    summary: str
    description: str
    institute: str
    area: str

    def words(self) -> set[str]:
        """Distinct words of the document, for "did you mean" suggestions."""
        text = " ".join((self.title, self.topics, self.tools, self.summary, self.institute, self.area))
        return {word for word in words(text) if 3 <= len(word) <= MAX_WORD_LENGTH and not word.isdigit()}


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    """Split ids into lists of at most ``size``."""
    batch: list[int] = []
    for course_id in ids:
        batch.append(course_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _names(conn: Connection, stmt) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for course_id, name in conn.execute(stmt):
        grouped[course_id].append(name)
    return grouped


def build_documents(conn: Connection, course_ids: list[int]) -> list[CourseDocument]:
    """Documents for the given existing courses (ids that no longer exist are skipped)."""
    if not course_ids:
        return []
    topics = _names(
        conn,
        select(course_topics.c.course_id, Topic.name)
        .join(Topic, Topic.id == course_topics.c.topic_id)
        .where(course_topics.c.course_id.in_(course_ids)),
    )
    tools = _names(
        conn,
        select(course_tools.c.course_id, Tool.name)
        .join(Tool, Tool.id == course_tools.c.tool_id)
        .where(course_tools.c.course_id.in_(course_ids)),
    )
    areas = _names(
        conn,
        select(course_campuses.c.course_id, Area.name)
        .join(Campus, Campus.id == course_campuses.c.campus_id)
        .join(Area, Area.id == Campus.area_id)
        .where(course_campuses.c.course_id.in_(course_ids)),
    )
    rows = conn.execute(
        select(
            Course.id,
            Course.title,
            Course.summary,
            Course.description,
            Course.mode,
            Institute.name,
        )
        .join(Institute, Institute.id == Course.institute_id)
        .where(Course.id.in_(course_ids))
    )
    documents = []
    for course_id, title, summary, description, mode, institute in rows:
        places = areas.get(course_id, [])
        if Mode(mode).is_online:
            places = [*places, "Online"]
        documents.append(
            CourseDocument(
                course_id=course_id,
                title=title,
                topics=" ".join(topics.get(course_id, [])),
                tools=" ".join(tools.get(course_id, [])),
                summary=summary,
                description=description or "",
                institute=institute,
                area=" ".join(places),
            )
        )
    return documents
