"""Tables that serve search but hold no catalog data of their own."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.models.base import Base

#: The longest word the suggestion dictionary keeps; a longer "word" (a pasted URL, a hash) is
#: nobody's typo of anything.
MAX_WORD_LENGTH = 80


class SearchWord(Base):
    """A word that occurs in some course's searchable text: the dictionary for "did you mean"."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(MAX_WORD_LENGTH), primary_key=True)


class SearchState(Base):
    """One row whose version changes with every change that can alter search results.

    Each process keeps its facet index in memory and rebuilds it when this version moves,
    so several processes or machines stay in step through the database alone.
    """

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A random value, replaced by every change (see ``facet_index.bump_version``); it starts
    #: from the creation time so a recreated schema does not repeat one either.
    version: Mapped[int] = mapped_column(BigInteger, default=0)
