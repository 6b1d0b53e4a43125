"""Public pages for learners: home, course search and detail, institutes, topics, events,
privacy, about and contact, shortlist and compare, insights, alerts.

Importing this package attaches every page module's routes to :data:`bp`.
"""

from catalog.public import (
    about,
    alerts,
    compare,
    courses,
    events,
    home,
    insights,
    institutes,
    privacy,
    reports,
    shortlist,
    suggestions,
    topics,
)
from catalog.public.blueprint import bp

__all__ = [
    "about",
    "alerts",
    "bp",
    "compare",
    "courses",
    "events",
    "home",
    "insights",
    "institutes",
    "privacy",
    "reports",
    "shortlist",
    "suggestions",
    "topics",
]
