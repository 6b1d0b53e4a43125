"""The admin area (``/admin``): admins keep the catalog's data honest.

The blueprint and its gate live in :mod:`catalog.admin.blueprint`; importing this package
imports every view module below, which attaches their routes to :data:`bp`.
"""

from catalog.admin.blueprint import bp  # isort: split

from catalog.admin import (
    audit,
    dashboard,
    exchange,
    institutes,
    moderation,
    outbox,
    records,
    reports,
    staleness,
    users,
    vocabulary,
)

__all__ = [
    "audit",
    "bp",
    "dashboard",
    "exchange",
    "institutes",
    "moderation",
    "outbox",
    "records",
    "reports",
    "staleness",
    "users",
    "vocabulary",
]
