"""Tables that serve search but hold no catalog data of their own."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models.base import Base


class SearchWord(Base):
    """A word that occurs in some course's searchable text: the dictionary for "did you mean"."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(80), primary_key=True)
