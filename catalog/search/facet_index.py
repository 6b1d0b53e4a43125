"""Facet counts and sort orders from bitmaps kept in memory, so their cost does not grow with
the number of matching courses the way SQL counting does.

Every publicly visible course gets a slot; each facet value is a bitmap (a Python int) of the
slots that have it, and each sort order is a list of slots. A search turns its text match into
a bitmap, ANDs the selected facets' bitmaps, and counts with ``int.bit_count``.

The same snapshot answers the home page's numbers (:func:`catalog_counts`): courses, approved
institutes, open batches, and courses per topic and per institute, so they are the facets'
numbers and cost no counting in SQL.

The index is built per process and keyed by ``search_state.version``, which every change that
can alter results replaces in the same transaction (see ``index.py``), and by the day (open
batches and start windows change at midnight). Processes and machines stay in step through the
database alone.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, String, cast, func, insert, nulls_last, select, update
from sqlalchemy.orm import Session

from catalog.models import Batch, Course, Institute, SearchState, Tool, Topic
from catalog.search.facets import FACETS, Facet
from catalog.search.query import Synonyms
from catalog.search.results import CatalogCounts, FacetCount

SORT_ORDERS = ("start", "fee", "fee-desc", "duration")

_lock = threading.Lock()
_cache: dict[str, FacetIndex] = {}


def bitmap(slots: Iterable[int], size: int) -> int:
    """An int with the bits of ``slots`` set (built through bytes: linear, not quadratic)."""
    buffer = bytearray((size + 7) // 8)
    for slot in slots:
        buffer[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(buffer, "little")


def bump_version(conn: Connection) -> None:
    """Mark every process's facet index out of date (call inside the changing transaction).

    The new version is random, not the old one plus one: an index may be built inside a
    transaction that later rolls back, and a counter would hand its number out again for
    different data.
    """
    version = secrets.randbits(62)
    if conn.execute(update(SearchState).where(SearchState.id == 1).values(version=version)).rowcount == 0:
        # The row was deleted by hand: put it back, or no process would see changes again.
        conn.execute(insert(SearchState).values(id=1, version=version))


@dataclass(frozen=True)
class FacetIndex:
    """Slots of the visible courses, a bitmap per facet value and the slots in each sort order."""

    version: int
    today: date
    course_ids: list[int]
    slot_of: dict[int, int]
    everything: int
    values: dict[str, dict[str, int]]
    orders: dict[str, list[int]]
    #: Each facet's ``(value, label)`` options, read with the rest (the vocabulary changes
    #: only with a version bump).
    choices: dict[str, list[tuple[str, str]]]
    #: The topic and tool vocabulary's synonym groups, for parsing queries.
    synonyms: Synonyms
    #: The institute of the course in each slot.
    institute_of: list[int]
    #: Approved institutes' ids, by name.
    approved_institutes: list[int]
    #: Open batches of visible courses.
    open_batches: int

    @property
    def size(self) -> int:
        return len(self.course_ids)

    def bits_of(self, course_ids: Iterable[int]) -> tuple[int, list[int]]:
        """The bitmap of the given courses that are visible, and their slots in the given order."""
        slots = [self.slot_of[i] for i in course_ids if i in self.slot_of]
        return bitmap(slots, self.size), slots

    def facet_bits(self, facet: str, values: Iterable[str]) -> int:
        """Courses having any of ``values`` for ``facet`` (OR within a facet)."""
        result = 0
        for value in values:
            result |= self.values[facet].get(value, 0)
        return result

    def counts(self, facet: str, within: int) -> dict[str, int]:
        """How many courses of ``within`` have each value of ``facet``."""
        return {value: (bits & within).bit_count() for value, bits in self.values[facet].items()}

    def page(self, order: Iterable[int], selected: int, offset: int, limit: int) -> list[int]:
        """Course ids of one page: ``order`` walked, keeping slots in ``selected``."""
        members = selected.to_bytes((self.size + 7) // 8 or 1, "little")
        page: list[int] = []
        skipped = 0
        for slot in order:
            if members[slot >> 3] >> (slot & 7) & 1:
                if skipped < offset:
                    skipped += 1
                    continue
                page.append(self.course_ids[slot])
                if len(page) == limit:
                    break
        return page


def _build(session: Session, version: int, today: date) -> FacetIndex:
    conn = session.connection()
    public = select(Course.id, Course.institute_id).where(Course.public_condition()).order_by(Course.id)
    rows = conn.execute(public).all()
    course_ids = [course_id for course_id, _institute_id in rows]
    slot_of = {course_id: slot for slot, course_id in enumerate(course_ids)}
    size = len(course_ids)
    values: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        values[facet.name] = _facet_bitmaps(session, facet, slot_of, size, today)
    next_start = (
        select(Batch.start_date)
        .where(Batch.course_id == Course.id, Batch.open_condition(today))
        .order_by(Batch.start_date)
        .limit(1)
        .correlate(Course)
        .scalar_subquery()
    )
    sort_columns = {
        "start": (nulls_last(next_start.asc()), Course.title, Course.id),
        "fee": (Course.fee_inr, Course.id),
        "fee-desc": (Course.fee_inr.desc(), Course.id),
        "duration": (Course.duration_days, Course.total_hours, Course.id),
        # Not a sort learners choose: the tie order of related courses.
        "title": (Course.title, Course.id),
    }
    orders = {
        name: [
            slot_of[i]
            for (i,) in conn.execute(select(Course.id).where(Course.public_condition()).order_by(*columns))
            if i in slot_of
        ]
        for name, columns in sort_columns.items()
    }
    return FacetIndex(
        version=version,
        today=today,
        course_ids=course_ids,
        slot_of=slot_of,
        everything=(1 << size) - 1,
        values=values,
        orders=orders,
        choices={facet.name: facet.choices(session) for facet in FACETS},
        synonyms=Synonyms.from_vocabulary(
            (name, synonyms or [])
            for model in (Topic, Tool)
            for name, synonyms in session.execute(select(model.name, model.synonyms))
        ),
        institute_of=[institute_id for _course_id, institute_id in rows],
        approved_institutes=list(
            conn.scalars(
                select(Institute.id).where(Institute.is_public).order_by(Institute.name, Institute.id)
            )
        ),
        open_batches=conn.scalar(
            select(func.count(Batch.id))
            .join(Batch.course)
            .where(Batch.open_condition(today), Course.public_condition())
        )
        or 0,
    )


def _facet_bitmaps(session: Session, facet: Facet, slot_of: dict[int, int], size: int, today: date):
    pairs = facet.subquery(today)
    slots: dict[str, list[int]] = {}
    # Core rows with the value as plain text: hundreds of thousands of pairs at scale, so no
    # ORM or enum processing per row.
    rows = session.connection().execute(select(pairs.c.course_id, cast(pairs.c.value, String)))
    for course_id, value in rows:
        slot = slot_of.get(course_id)
        if slot is not None and value is not None:
            slots.setdefault(str(value), []).append(slot)
    return {value: bitmap(members, size) for value, members in slots.items()}


def facet_index(session: Session, today: date) -> FacetIndex:
    """The current facet index for this session's database, rebuilt when the catalog changed."""
    version = session.scalar(select(SearchState.version).where(SearchState.id == 1))
    if version is None:
        # Without the row nothing tells this process about changes: never trust a cached index.
        return _build(session, 0, today)
    key = session.get_bind().url.render_as_string(hide_password=True)
    cached = _cache.get(key)
    if cached is not None and cached.version == version and cached.today == today:
        return cached
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached.version != version or cached.today != today:
            cached = _build(session, version, today)
            _cache[key] = cached
    return cached


def catalog_counts(session: Session, today: date) -> CatalogCounts:
    """Counts over every visible course, read from the facet snapshot rather than counted in SQL."""
    index = facet_index(session, today)
    topic_counts = index.counts("topic", index.everything)
    # Stable sorts over lists already in name order keep names as the tie-break.
    topics = sorted(
        (FacetCount(slug, name, topic_counts.get(slug, 0)) for slug, name in index.choices["topic"]),
        key=lambda topic: -topic.count,
    )
    per_institute = Counter(index.institute_of)
    institute_courses = sorted(
        ((institute_id, per_institute[institute_id]) for institute_id in index.approved_institutes),
        key=lambda row: -row[1],
    )
    return CatalogCounts(
        courses=index.size,
        institutes=len(index.approved_institutes),
        open_batches=index.open_batches,
        topics=topics,
        institute_courses=institute_courses,
    )
