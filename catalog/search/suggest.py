""" "Did you mean": replace words the catalog has never seen with the closest ones it has.

The cost is bounded whatever the learner types: at most ``MAX_CORRECTED_WORDS`` words are
looked at, and everything the dictionary has to say about them comes back in one statement:
the correction and the closest known words a search that found nothing offers instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, literal, select, union_all
from sqlalchemy.orm import Session

from catalog.models import SearchWord
from catalog.search.query import STOPWORDS, ParsedQuery, words

#: Each word looked at costs a look-up of its near words, the dearest step of a search, so a
#: query of any length looks at no more than twice the words of a usual two-word query. A typo
#: sits among the first few words a learner types; later ones are kept as typed.
MAX_CORRECTED_WORDS = 4
#: The known words a search that found nothing offers in place of the unknown ones.
MAX_CLOSE_WORDS = 5


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


def allowed_distance(word: str) -> int:
    """How many edits a correction of ``word`` may make: one for short words, two for longer."""
    return 1 if len(word) <= 5 else 2


def _tagged(kind: str, asked: str, words_select):
    found = words_select.subquery()
    return select(literal(kind, String).label("kind"), literal(asked, String).label("asked"), found.c.word)


def _dictionary_lookup(backend, candidates: list[str], prefixes: set[str]):
    """One statement: which candidates are known, which prefixes extend, and near words of each."""
    parts = [_tagged("known", "", select(SearchWord.word).where(SearchWord.word.in_(candidates)))]
    for word in candidates:
        if word in prefixes:
            extension = select(SearchWord.word).where(SearchWord.word.like(f"{word}%")).limit(1)
            parts.append(_tagged("prefix", word, extension))
        parts.append(_tagged("similar", word, backend.similar_words(word)))
    return union_all(*parts)


def suggest(session: Session, backend, query: ParsedQuery, text: str) -> str | None:
    """A corrected version of ``text``, or None when every word is known or nothing is close."""
    return suggestions(session, backend, query, text).text


@dataclass(frozen=True)
class Suggestions:
    """What the dictionary says about the words of a search: a corrected text, if any, and the
    known words closest to the unknown ones (closest first), for a page that found nothing."""

    text: str | None = None
    close_words: tuple[str, ...] = ()


def suggestions(session: Session, backend, query: ParsedQuery, text: str) -> Suggestions:
    """The corrected text and the closest known words of ``text``, from one dictionary look-up."""
    typed = words(text)
    candidates = list(
        dict.fromkeys(w for w in typed if len(w) >= 4 and not w.isdigit() and w not in STOPWORDS)
    )[:MAX_CORRECTED_WORDS]
    if not candidates:
        return Suggestions()
    prefixes = query.prefix_words()
    known: set[str] = set()
    extended: set[str] = set()
    similar: dict[str, list[str]] = defaultdict(list)
    for kind, asked, word in session.connection().execute(_dictionary_lookup(backend, candidates, prefixes)):
        if kind == "known":
            known.add(word)
        elif kind == "prefix":
            extended.add(asked)
        else:
            similar[asked].append(word)
    # Words of a phrase the vocabulary knows ("k8s") are correct even if no course uses them.
    vocabulary_words = {word for term in query.terms if len(term.alternatives) > 1 for word in term.typed}
    looked_at = set(candidates)
    corrected: list[str] = []
    close: list[tuple[int, int, str]] = []
    changed = False
    for word in typed:
        if word not in looked_at or word in known or word in vocabulary_words or word in extended:
            corrected.append(word)
            continue
        scored = sorted(
            (edit_distance(word, candidate), len(candidate), candidate) for candidate in similar[word]
        )
        # A word a few edits further than a correction may make is still worth offering.
        close.extend(s for s in scored[:MAX_CLOSE_WORDS] if s[0] <= allowed_distance(word) + 1)
        if scored and scored[0][0] <= allowed_distance(word):
            corrected.append(scored[0][2])
            changed = True
        else:
            corrected.append(word)
    close_words = tuple(dict.fromkeys(word for _distance, _length, word in sorted(close)))
    return Suggestions(" ".join(corrected) if changed else None, close_words[:MAX_CLOSE_WORDS])
