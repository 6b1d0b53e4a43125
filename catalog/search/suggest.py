""" "Did you mean": replace words the catalog has never seen with the closest ones it has."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import SearchWord
from catalog.search.query import STOPWORDS, ParsedQuery, words


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, with adjacent transpositions counted as one edit."""
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous_previous[j - 2] + 1)
            current.append(value)
        previous_previous, previous = previous, current
    return previous[-1]


def _allowed_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def suggest(session: Session, backend, query: ParsedQuery, text: str) -> str | None:
    """A corrected version of ``text``, or None when every word is known or nothing is close."""
    typed = words(text)
    candidates = [w for w in typed if len(w) >= 4 and not w.isdigit() and w not in STOPWORDS]
    if not candidates:
        return None
    # Words of a phrase the vocabulary knows ("k8s") are correct even if no course uses them.
    vocabulary_words = {word for term in query.terms if len(term.alternatives) > 1 for word in term.typed}
    known = set(session.scalars(select(SearchWord.word).where(SearchWord.word.in_(candidates))))
    prefixes = query.prefix_words()
    conn = session.connection()
    corrected: list[str] = []
    changed = False
    for word in typed:
        if word not in candidates or word in known or word in vocabulary_words:
            corrected.append(word)
            continue
        if word in prefixes and session.scalar(
            select(SearchWord.word).where(SearchWord.word.like(f"{word}%")).limit(1)
        ):
            corrected.append(word)
            continue
        scored = sorted(
            (edit_distance(word, candidate), len(candidate), candidate)
            for candidate in backend.similar_words(conn, word)
        )
        if scored and scored[0][0] <= _allowed_distance(word):
            corrected.append(scored[0][2])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None
