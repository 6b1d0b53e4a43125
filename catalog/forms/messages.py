"""What the record pages say about each write: the services' outcome and refusal codes in words.

Services answer with codes and values (``"campus-saved"``, ``area="Madhapur"``); this module
alone turns them into the sentences people read and the flash category that colours them, for
the institute portal and the admin area's records alike (one record, one set of words).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash

from catalog.forms.base import CatalogForm
from catalog.forms.fields import show_refusal
from catalog.services.errors import DomainError
from catalog.services.outcomes import Outcome
from catalog.templating import format_date

Words = Callable[[Mapping[str, Any]], str]


def _first_dates(params: Mapping[str, Any]) -> str:
    return ", ".join(format_date(day) for day in params["start_dates"][:3])


def _first_titles(params: Mapping[str, Any]) -> str:
    titles = params["titles"]
    return ", ".join(f"“{title}”" for title in titles[:5]) + (" and others" if len(titles) > 5 else "")


#: code -> (words, flash category)
MESSAGES: dict[str, tuple[Words, str]] = {
    # Outcomes
    "course-draft-saved": (
        lambda p: f"Draft saved. “{p['title']}” is not in the catalog until you publish it.",
        "success",
    ),
    "course-unpublished": (
        lambda p: f"“{p['title']}” is now a draft and no longer appears in the catalog.",
        "info",
    ),
    "course-held-for-claim": (
        lambda p: (
            f"“{p['title']}” is held for review: it promises guaranteed placement or a job, which "
            "listings may not do. An admin reviews it before it appears. State placement figures with "
            "their year and cohort size instead."
        ),
        "warning",
    ),
    "course-held-for-review": (
        lambda p: (
            f"“{p['title']}” is waiting for review: an admin checks it before it appears in the "
            "catalog, because your institute is not verified yet."
        ),
        "info",
    ),
    "course-edit-held-for-claim": (
        lambda p: (
            f"Your changes to “{p['title']}” are held for review: they promise guaranteed placement or "
            "a job, which listings may not do. The catalog keeps showing the listing as it was approved "
            "until an admin reviews the changes. State placement figures with their year and cohort "
            "size instead."
        ),
        "warning",
    ),
    "course-edit-held-for-review": (
        lambda p: (
            f"Your changes to “{p['title']}” are waiting for review, because your institute is not "
            "verified yet. The catalog keeps showing the listing as it was approved until then."
        ),
        "info",
    ),
    "course-published": (lambda p: f"“{p['title']}” is published and appears in the catalog.", "success"),
    "course-already-archived": (lambda p: f"“{p['title']}” is already archived.", "info"),
    "course-archived": (
        lambda p: f"“{p['title']}” is archived and no longer appears in the catalog.",
        "success",
    ),
    "course-not-archived": (lambda p: f"“{p['title']}” is not archived.", "info"),
    "course-restored": (
        lambda p: f"“{p['title']}” is restored as a draft. Publish it when it is up to date.",
        "success",
    ),
    "batch-saved": (lambda p: f"Batch starting {format_date(p['start_date'])} saved.", "success"),
    "batch-saved-full": (
        lambda p: (
            f"Batch starting {format_date(p['start_date'])} saved. With no seats left, it shows as full."
        ),
        "info",
    ),
    "batch-already-closed": (
        lambda p: f"The batch starting {format_date(p['start_date'])} is already closed.",
        "info",
    ),
    "batch-closed": (
        lambda p: (
            f"The batch starting {format_date(p['start_date'])} is closed: "
            "learners can no longer ask about it."
        ),
        "success",
    ),
    "event-saved": (lambda p: f"“{p['title']}” saved.", "success"),
    "event-deleted": (lambda p: f"“{p['title']}” deleted.", "success"),
    "profile-saved": (lambda p: "Profile saved.", "success"),
    "campus-saved": (lambda p: f"Campus in {p['area']} saved.", "success"),
    "campus-deleted": (lambda p: f"Campus in {p['area']} deleted.", "success"),
    "instructor-saved": (lambda p: f"{p['name']} saved.", "success"),
    "instructor-deleted": (lambda p: f"{p['name']} deleted.", "success"),
    # Refusals
    "edit-conflict": (
        lambda p: (
            "Someone else saved this course while you were editing. Nothing was overwritten: "
            "review their changes below and make yours again."
        ),
        "error",
    ),
    "course-changed-meanwhile": (
        lambda p: "Someone else changed this course at the same moment. Please try again.",
        "error",
    ),
    "course-is-archived": (lambda p: f"“{p['title']}” is archived. Restore it to draft to edit it.", "info"),
    "record-clash": (
        lambda p: (
            "Someone saved a record with the same name at the same moment. Check the list and try again."
        ),
        "error",
    ),
    "slug-taken": (lambda p: "Another course already uses this web address; choose another.", "error"),
    "slug-malformed": (
        lambda p: "Use only lower-case letters, digits and single hyphens, e.g. mlops-bootcamp.",
        "error",
    ),
    "unknown-choice": (lambda p: "Not a valid choice.", "error"),
    "unknown-language": (lambda p: f"{p['language']} is not one of the languages listed.", "error"),
    "batch-starts-in-past": (lambda p: "A new batch cannot start in the past.", "error"),
    "campus-needed": (lambda p: "Choose the campus where a classroom or hybrid batch meets.", "error"),
    "seats-left-above-total": (lambda p: "Seats left cannot be more than the seats in total.", "error"),
    "area-not-in-city": (lambda p: "Choose an area of Hyderabad.", "error"),
    "campus-area-taken": (
        lambda p: f"You already have a campus in {p['area']}; edit that one instead.",
        "error",
    ),
    "campus-in-use": (
        lambda p: (
            f"Batches starting {_first_dates(p)} meet at this campus. "
            "Move them to another campus or close them first."
        ),
        "error",
    ),
    "instructor-name-taken": (lambda p: f"You already have an instructor named {p['name']}.", "error"),
    "instructor-teaches": (
        lambda p: (
            f"{p['name']} cannot be deleted while assigned to {_first_titles(p)}. "
            "Remove them from those courses first."
        ),
        "error",
    ),
    "phone-invalid": (lambda p: "Enter a phone number with its area code, e.g. 040 2373 4418.", "error"),
    "organiser-needed": (lambda p: "Say who organises the event.", "error"),
}


def message(code: str, **params: Any) -> tuple[str, str]:
    """The words and flash category for ``code`` with its values."""
    words, category = MESSAGES[code]
    return words(params), category


def flash_outcome(outcome: Outcome) -> None:
    """Tell whoever made the change what the write did, on the next page."""
    flash(*message(outcome.code, **outcome.params))


def flash_refusal(error: DomainError) -> None:
    """Tell whoever asked for the change, on the next page, why it was refused."""
    flash(*message(error.code, **error.params))


def show_on(form: CatalogForm, error: DomainError) -> None:
    """Put a refusal beside the form field named like the command field it concerns, or at the
    top of the form when it concerns no field the form has."""
    show_refusal(form, error.field, message(error.code, **error.params)[0])
