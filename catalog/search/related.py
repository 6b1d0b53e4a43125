"""Related courses from the facet snapshot: the visible courses sharing most topics and tools.

Counting shared topics and tools in SQL walks every course of every shared topic (thousands at
10,000 courses); here each topic and tool is a bitmap, and the per-course count is added up
bit-sliced (one bitmap per binary digit), so the cost depends on how many topics and tools the
course has, not on how many courses share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from catalog.search.facet_index import facet_index
from catalog.timeutil import local_today


def related_course_ids(
    session: Session,
    course_id: int,
    topic_slugs: Iterable[str],
    tool_slugs: Iterable[str],
    limit: int,
    today: date | None = None,
) -> list[int]:
    """Up to ``limit`` other visible courses, most shared topics and tools first, then by title."""
    index = facet_index(session, today or local_today())
    sets = [index.values["topic"].get(slug, 0) for slug in topic_slugs]
    sets += [index.values["tool"].get(slug, 0) for slug in tool_slugs]
    digits: list[int] = []
    for members in sets:
        carry = members
        for position, digit in enumerate(digits):
            digits[position], carry = digit ^ carry, digit & carry
            if not carry:
                break
        if carry:
            digits.append(carry)
    others = index.everything
    if course_id in index.slot_of:
        others &= ~(1 << index.slot_of[course_id])
    found: list[int] = []
    for score in range(len(sets), 0, -1):
        exactly = others
        for position, digit in enumerate(digits):
            exactly &= digit if score >> position & 1 else index.everything ^ digit
        if score >> len(digits):
            exactly = 0
        if exactly:
            found += index.page(index.orders["title"], exactly, 0, limit - len(found))
            if len(found) >= limit:
                break
    return found
