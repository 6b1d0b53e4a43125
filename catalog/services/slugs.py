"""Slugs for URLs: what one looks like, how one is made from a name, unique within a table."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

#: Lower-case letters and digits in groups joined by single hyphens: ``mlops-bootcamp-2``.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: str | None) -> bool:
    """True when ``text`` is a well-formed slug."""
    return bool(text) and SLUG_RE.match(text) is not None


def slugify(text: str, fallback: str = "", limit: int = 180) -> str:
    """ASCII letters and digits of ``text`` joined by hyphens, at most ``limit`` long."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or fallback


def unique_slug(session: Session, model, text: str, fallback: str) -> str:
    """A slug for ``text`` not yet used by any ``model`` row: ``base``, else ``base-2``, ``base-3``…"""
    base = slugify(text, fallback)
    taken = set(
        session.scalars(select(model.slug).where(or_(model.slug == base, model.slug.like(f"{base}-%"))))
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
