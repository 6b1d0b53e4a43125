"""Reads of the admins' records search: any institute, course, batch or event, found by name.

One statement numbers the matches of every kind asked for together (a ``UNION ALL`` of ids and
names), so the page and its count agree; the page's records are then loaded kind by kind with
what the results table shows. A page costs the same few queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import ColumnElement, Select, String, func, literal, select, union_all
from sqlalchemy.orm import Session, selectinload

from catalog.models import Batch, Course, Event, Institute

#: The kinds of record the search finds, as the ``kind`` filter names them, in menu order.
RECORD_KINDS = ("institute", "course", "batch", "event")
#: The longest text searched for; longer text is cut here (the form says so beside the box).
QUERY_MAX = 100


@dataclass(frozen=True)
class RecordFilters:
    """What the records search looks for: part of a name, title or web address (any case), and
    one kind of record (None: every kind)."""

    text: str = ""
    kind: str | None = None


@dataclass(frozen=True)
class RecordRow:
    """One result: its kind (one of :data:`RECORD_KINDS`) and the record itself."""

    kind: str
    record: Institute | Course | Batch | Event


@dataclass(frozen=True)
class RecordPage:
    """One page of results, with what the page links need (as ``db.paginate``'s pages have)."""

    items: list[RecordRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page)


def _named_like(text: str, *columns) -> ColumnElement[bool]:
    """Any of ``columns`` holds ``text`` in any case; ``%`` and ``_`` in it are plain characters."""
    condition = columns[0].icontains(text, autoescape=True)
    for column in columns[1:]:
        condition = condition | column.icontains(text, autoescape=True)
    return condition


def _candidates(kind: str, text: str) -> Select:
    """(kind, id, name to sort by) of the records of ``kind`` matching ``text``; a batch is found
    by its course's title or web address."""
    if kind == "institute":
        stmt = select(Institute.id, Institute.name.label("name"))
        condition = _named_like(text, Institute.name, Institute.slug)
    elif kind == "course":
        stmt = select(Course.id, Course.title.label("name"))
        condition = _named_like(text, Course.title, Course.slug)
    elif kind == "batch":
        stmt = select(Batch.id, Course.title.label("name")).join(Batch.course)
        condition = _named_like(text, Course.title, Course.slug)
    else:
        stmt = select(Event.id, Event.title.label("name"))
        condition = _named_like(text, Event.title, Event.slug)
    if text:
        stmt = stmt.where(condition)
    return stmt.add_columns(literal(kind, String).label("kind"))


#: Each kind's model, and what its row in the results table reads besides the record itself.
_LOADERS = {
    "institute": (Institute, ()),
    "course": (Course, (selectinload(Course.institute),)),
    "batch": (Batch, (selectinload(Batch.course).selectinload(Course.institute),)),
    "event": (Event, (selectinload(Event.institute),)),
}


def find_records(session: Session, filters: RecordFilters, page: int, per_page: int) -> RecordPage:
    """Page ``page`` of the records matching ``filters``, by name (then kind), with their
    institutes; an empty page past the end."""
    text = filters.text.strip()[:QUERY_MAX]
    kinds = [filters.kind] if filters.kind in RECORD_KINDS else list(RECORD_KINDS)
    matches = union_all(*(_candidates(kind, text) for kind in kinds)).subquery()
    total = session.scalar(select(func.count()).select_from(matches)) or 0
    found = session.execute(
        select(matches.c.kind, matches.c.id)
        .order_by(func.lower(matches.c.name), matches.c.kind, matches.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    loaded: dict[tuple[str, int], object] = {}
    for kind in dict.fromkeys(kind for kind, _ in found):
        model, options = _LOADERS[kind]
        ids = [record_id for found_kind, record_id in found if found_kind == kind]
        for record in session.scalars(select(model).where(model.id.in_(ids)).options(*options)):
            loaded[(kind, record.id)] = record
    keys = [(row.kind, row.id) for row in found]
    items = [RecordRow(key[0], loaded[key]) for key in keys if key in loaded]
    return RecordPage(items=items, page=page, per_page=per_page, total=total)


def record_by_id(session: Session, model, record_id: int, *options):
    """The ``model`` record with this id whatever institute it belongs to, or None."""
    return session.scalar(select(model).where(model.id == record_id).options(*options))
