"""The admin area (``/admin``): admins keep the catalog's data honest.

The blueprint and its gate live in :mod:`catalog.admin.blueprint`; importing this package
imports every view module below, which attaches their routes to :data:`bp`.
"""

from catalog.admin.blueprint import bp  # isort: split

from catalog.admin import (
    audit,
    dashboard,
    institutes,
    moderation,
    outbox,
    reports,
    staleness,
    users,
    vocabulary,
)

__all__ = [
    "audit",
    "bp",
    "dashboard",
    "institutes",
    "moderation",
    "outbox",
    "reports",
    "staleness",
    "users",
    "vocabulary",
]
