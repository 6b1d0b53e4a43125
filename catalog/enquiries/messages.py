"""What the learner reads: the words for each refusal of the enquiry service, and for each status.

The service says *why* as a code; these are the sentences the enquiry pages show for it.
"""

from __future__ import annotations

from catalog.models import EnquiryStatus
from catalog.services.errors import DomainError

REFUSALS = {
    "course-not-published": "Enquiries are closed: this course is not published.",
    "institute-not-approved": (
        "Enquiries are closed: this institute is not taking enquiries through the catalog."
    ),
    "consent-required": "Please agree to be contacted, or we cannot pass on your enquiry",
    "phone-required": "Enter a phone number, so the institute can call or message you",
    "batch-unknown": "Choose one of this course's batches, or No preference",
    "batch-closed": "That batch has started or is full; choose another batch",
}

#: Refusals that close the course to enquiries altogether: the page says so instead of a form.
CLOSED = frozenset({"course-not-published", "institute-not-approved"})

#: What a learner reads about their enquiry's status: a word, then a sentence.
STATUS_WORDS = {
    EnquiryStatus.NEW: ("New", "The institute has not contacted you about it yet."),
    EnquiryStatus.CONTACTED: ("Contacted", "The institute says it has contacted you."),
    EnquiryStatus.ENROLLED: ("Enrolled", "The institute says you have enrolled."),
    EnquiryStatus.CLOSED: ("Closed", "The institute has closed this enquiry."),
    EnquiryStatus.INVALID: ("Closed", "The institute could not take this enquiry further."),
    EnquiryStatus.WITHDRAWN: ("Withdrawn", "You withdrew this enquiry and your personal data was erased."),
}

#: The shortlist's form: each refusal names the course or institute it concerns (``params``).
SHORTLIST_REFUSALS = {
    "no-course-chosen": "Tick at least one course to ask about",
    "consent-required": "Please agree that {institute} may contact you, or untick its courses above",
    "phone-required": REFUSALS["phone-required"],
}
SHORTLIST_CLOSED = "“{course}”: {reason}"

NOT_SAVED = "We could not send your enquiry just now; nothing was saved. Please try again."
NOT_FOUND = "No enquiry matches this link. Check that you copied the whole link from your email."


def refusal_message(error: DomainError) -> str:
    """The sentence the learner reads for a refusal of the enquiry service."""
    return REFUSALS[error.code]


def shortlist_refusal_message(error: DomainError) -> str:
    """The sentence the shortlist's form shows for a refusal, naming its course or institute."""
    if error.code in CLOSED:
        return SHORTLIST_CLOSED.format(course=error.params["course"], reason=REFUSALS[error.code])
    return SHORTLIST_REFUSALS[error.code].format(**error.params)
