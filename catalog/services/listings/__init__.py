"""Saving what institutes list, for the portal and the admin area alike.

Each service takes a validated form and the record, applies the form, decides the moderation
status where there is one, checks the course version, and commits the change together with its
audit entry (who, what, which record, before and after). The search index follows each flush.
"""

from catalog.services.listings.batches import close_batch, save_batch
from catalog.services.listings.common import EditConflict, ListingError, Outcome
from catalog.services.listings.courses import (
    CONFLICT_MESSAGE,
    archive_course,
    changes_since,
    claims_guarantee,
    course_options,
    restore_course,
    save_course,
    slug_editable,
)
from catalog.services.listings.events import delete_event, save_event
from catalog.services.listings.profile import (
    courses_taught_by,
    delete_campus,
    delete_instructor,
    save_campus,
    save_institute,
    save_instructor,
)

__all__ = [
    "CONFLICT_MESSAGE",
    "EditConflict",
    "ListingError",
    "Outcome",
    "archive_course",
    "changes_since",
    "claims_guarantee",
    "close_batch",
    "course_options",
    "courses_taught_by",
    "delete_campus",
    "delete_event",
    "delete_instructor",
    "restore_course",
    "save_batch",
    "save_campus",
    "save_course",
    "save_event",
    "save_institute",
    "save_instructor",
    "slug_editable",
]
