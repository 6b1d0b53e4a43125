"""Public pages for learners: home, course search and detail, institutes, topics, events, privacy.

Importing this package attaches every page module's routes to :data:`bp`.
"""

from catalog.public import courses, events, home, institutes, privacy, reports, topics
from catalog.public.blueprint import bp

__all__ = ["bp", "courses", "events", "home", "institutes", "privacy", "reports", "topics"]
