"""The learner's shortlist, kept in the signed cookie session: course ids only, no account.

The session holds nothing but ids, in the order they were added, so the header's count costs
no query; the pages that list the courses look them up and drop any that are no longer public.
"""

from __future__ import annotations

from flask import session

#: The session key that holds the shortlisted course ids.
SESSION_KEY = "shortlist"
#: How many courses a shortlist holds at most (the compare page takes four of them at a time).
SHORTLIST_LIMIT = 12


def shortlisted_ids() -> list[int]:
    """The shortlisted course ids, oldest first; a tampered or stale value reads as empty."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, int) and not isinstance(item, bool)][:SHORTLIST_LIMIT]


def is_shortlisted(course_id: int) -> bool:
    """True when the course is on this browser's shortlist."""
    return course_id in shortlisted_ids()


def add_to_shortlist(course_id: int) -> bool:
    """Put the course on the shortlist; False (and nothing changed) when the shortlist is full."""
    ids = shortlisted_ids()
    if course_id in ids:
        return True
    if len(ids) >= SHORTLIST_LIMIT:
        return False
    session[SESSION_KEY] = [*ids, course_id]
    return True


def remove_from_shortlist(course_id: int) -> None:
    """Take the course off the shortlist (nothing happens when it is not on it)."""
    session[SESSION_KEY] = [item for item in shortlisted_ids() if item != course_id]


def keep_only(course_ids: list[int]) -> None:
    """Forget the shortlisted ids not in ``course_ids`` (archived or deleted courses)."""
    kept = [item for item in shortlisted_ids() if item in set(course_ids)]
    if kept != shortlisted_ids():
        session[SESSION_KEY] = kept
