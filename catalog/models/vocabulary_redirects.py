"""Old addresses of vocabulary terms: a renamed or merged topic, tool or area keeps its old slug
here, pointing at the term that now answers for it, so old links and searches still arrive."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models.base import Base

#: The kinds of vocabulary term, as they are named in redirects, admin URLs and audit entries.
TERM_KINDS = ("topic", "tool", "area")


class VocabularyRedirect(Base):
    """``old_slug`` of a ``kind`` of term now answers with the term ``term_id`` (its survivor)."""

    __tablename__ = "vocabulary_redirects"
    __table_args__ = (UniqueConstraint("kind", "old_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    old_slug: Mapped[str] = mapped_column(String(80))
    term_id: Mapped[int] = mapped_column(index=True)
