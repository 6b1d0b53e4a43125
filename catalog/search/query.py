"""Turn whatever a learner types into a safe, structured query.

Nothing the learner typed is ever passed to a full-text engine as syntax: the text is cut into
words, quoted phrases are kept as phrases, and each backend renders the structure in its own
quoting. Synonyms from the topic and tool vocabulary widen a word or phrase into alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD_RE = re.compile(r"[^\W_]+")
PHRASE_RE = re.compile(r'"([^"]*)"')
MAX_QUERY_CHARS = 2000
MAX_TERMS = 12
#: Words read, stopwords included, before parsing stops: each costs a look through the synonyms.
MAX_QUERY_WORDS = 2 * MAX_TERMS

#: Words that say nothing about which course a learner wants on a catalog of MLOps training in
#: Hyderabad; requiring them would only hide good results.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "course",
        "courses",
        "for",
        "from",
        "how",
        "hyderabad",
        "i",
        "in",
        "is",
        "it",
        "learn",
        "me",
        "near",
        "of",
        "on",
        "or",
        "program",
        "programme",
        "programs",
        "the",
        "to",
        "training",
        "with",
    ]
)


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, as both indexing and querying see them."""
    return WORD_RE.findall(text.lower())


@dataclass(frozen=True)
class Term:
    """One required part of a query: any of its alternatives (each a phrase) may match."""

    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False

    @property
    def typed(self) -> tuple[str, ...]:
        """The words as the learner typed them (the first alternative)."""
        return self.alternatives[0]


@dataclass(frozen=True)
class ParsedQuery:
    """The terms of a query, all of which a course must match."""

    terms: tuple[Term, ...] = ()
    text: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms)

    def highlight_words(self) -> set[str]:
        """Every word that counts as a match, synonyms included."""
        return {word for term in self.terms for alt in term.alternatives for word in alt}

    def prefix_words(self) -> set[str]:
        """Words matched as prefixes (the last word while it is being typed)."""
        return {term.typed[-1] for term in self.terms if term.prefix}


@dataclass
class Synonyms:
    """Groups of interchangeable phrases, from the topic and tool vocabulary."""

    groups: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)

    @classmethod
    def from_vocabulary(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> Synonyms:
        """Build from ``(name, synonyms)`` pairs; each pair is one group of phrases."""
        groups = []
        for name, synonyms in entries:
            phrases = []
            for phrase in (name, *synonyms):
                tokens = tuple(words(phrase))
                if tokens and tokens not in phrases:
                    phrases.append(tokens)
            if len(phrases) > 1:
                groups.append(tuple(phrases))
        return cls(groups)

    def longest_match(self, tokens: list[str], start: int) -> tuple[int, tuple] | None:
        """The longest phrase of any group that starts at ``tokens[start]``, with its group."""
        best: tuple[int, tuple] | None = None
        for group in self.groups:
            for phrase in group:
                end = start + len(phrase)
                if tuple(tokens[start:end]) == phrase and (best is None or len(phrase) > best[0]):
                    best = (len(phrase), group)
        return best


def parse_query(text: str | None, synonyms: Synonyms | None = None) -> ParsedQuery:
    """Parse free text into terms: quoted phrases, vocabulary synonyms, a trailing prefix."""
    text = (text or "")[:MAX_QUERY_CHARS]
    synonyms = synonyms or Synonyms()
    terms: list[Term] = []
    budget = MAX_QUERY_WORDS
    for index, part in enumerate(PHRASE_RE.split(text)):
        if len(terms) >= MAX_TERMS or budget <= 0:
            break
        if index % 2 == 1:
            phrase = tuple(words(part))[:budget]
            budget -= len(phrase)
            if phrase:
                terms.append(Term((phrase,)))
            continue
        tokens = words(part)[:budget]
        budget -= len(tokens)
        position = 0
        while position < len(tokens) and len(terms) < MAX_TERMS:
            match = synonyms.longest_match(tokens, position)
            if match:
                length, group = match
                typed = tuple(tokens[position : position + length])
                others = tuple(p for p in group if p != typed)
                terms.append(Term((typed, *others)))
                position += length
                continue
            token = tokens[position]
            if token not in STOPWORDS:
                terms.append(Term(((token,),)))
            position += 1
    still_typing = bool(text) and not text[-1].isspace() and not text.rstrip().endswith('"')
    if terms and still_typing:
        last = terms[-1]
        if len(last.alternatives) == 1 and len(last.typed) == 1 and len(last.typed[0]) >= 2:
            terms[-1] = Term(last.alternatives, prefix=True)
    return ParsedQuery(tuple(terms), text.strip())
