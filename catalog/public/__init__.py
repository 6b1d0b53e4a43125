"""Public pages for learners: home, course search and detail, institutes, topics, events,
privacy, about and contact, shortlist and compare.

Importing this package attaches every page module's routes to :data:`bp`.
"""

from catalog.public import (
    about,
    compare,
    courses,
    events,
    home,
    institutes,
    privacy,
    reports,
    shortlist,
    topics,
)
from catalog.public.blueprint import bp

__all__ = [
    "about",
    "bp",
    "compare",
    "courses",
    "events",
    "home",
    "institutes",
    "privacy",
    "reports",
    "shortlist",
    "topics",
]
