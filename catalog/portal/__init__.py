"""The institute portal (``/portal``): staff keep their listings and answer enquiries.

The blueprint and its gate live in :mod:`catalog.portal.blueprint`; importing this package
imports every view module below, which attaches their routes to :data:`bp`.
"""

from catalog.portal.blueprint import bp  # isort: split

from catalog.portal import auth, batches, courses, dashboard, events, inbox, instructors, profile

__all__ = ["auth", "batches", "bp", "courses", "dashboard", "events", "inbox", "instructors", "profile"]
