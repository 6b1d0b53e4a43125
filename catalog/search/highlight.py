"""Where a query matched: spans of matched words in titles and snippets, as plain offsets.

The engine says *where*; each presenter decides *how* to show it (``<mark>`` in HTML, offsets
in JSON). A span is ``(start, end)``, Python string offsets (code points) into the text it
comes with, ``end`` exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.search.query import WORD_RE, ParsedQuery

SNIPPET_WORDS = 28

Span = tuple[int, int]


@dataclass(frozen=True)
class MarkedText:
    """A text and the spans of it that matched the query."""

    text: str
    spans: tuple[Span, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def matched(self) -> bool:
        """True when some word of the text matched."""
        return bool(self.spans)


def _is_match(word: str, exact: set[str], prefixes: set[str]) -> bool:
    lowered = word.lower()
    if lowered in exact or any(lowered.startswith(p) for p in prefixes):
        return True
    # Stemmed matches ("pipelines" for "pipeline", "monitoring" for "monitor").
    return any(len(w) >= 4 and (lowered.startswith(w) and len(lowered) - len(w) <= 3) for w in exact)


def match_spans(text: str, query: ParsedQuery) -> tuple[Span, ...]:
    """The spans of ``text``'s words that match ``query`` (none without a query)."""
    if not query:
        return ()
    exact, prefixes = query.highlight_words(), query.prefix_words()
    return tuple(
        match.span() for match in WORD_RE.finditer(text) if _is_match(match.group(), exact, prefixes)
    )


def marked(text: str, query: ParsedQuery) -> MarkedText:
    """``text`` with the spans that match ``query``."""
    return MarkedText(text, match_spans(text, query))


def snippet(text: str, query: ParsedQuery, size: int = SNIPPET_WORDS) -> MarkedText:
    """A window of ``size`` words of ``text`` around its first match (or its start), marked.

    Markdown punctuation is dropped first, so a snippet of a description reads as plain text.
    """
    plain = re.sub(r"[#*_`>\[\]()]+", " ", text)
    tokens = plain.split()
    start = 0
    if query:
        exact, prefixes = query.highlight_words(), query.prefix_words()
        for index, token in enumerate(tokens):
            if any(_is_match(w, exact, prefixes) for w in WORD_RE.findall(token)):
                start = max(0, index - size // 3)
                break
    body = " ".join(tokens[start : start + size])
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + size < len(tokens) else ""
    shift = len(prefix)
    spans = tuple((low + shift, high + shift) for low, high in match_spans(body, query))
    return MarkedText(prefix + body + suffix, spans)
