"""Mark matched words in titles and snippets, escaping everything else."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from catalog.search.query import WORD_RE, ParsedQuery

SNIPPET_WORDS = 28


def _is_match(word: str, exact: set[str], prefixes: set[str]) -> bool:
    lowered = word.lower()
    if lowered in exact or any(lowered.startswith(p) for p in prefixes):
        return True
    # Stemmed matches ("pipelines" for "pipeline", "monitoring" for "monitor").
    return any(len(w) >= 4 and (lowered.startswith(w) and len(lowered) - len(w) <= 3) for w in exact)


def highlight(text: str, query: ParsedQuery) -> Markup:
    """``text`` escaped, with each matched word wrapped in ``<mark>``."""
    if not query:
        return escape(text)
    exact, prefixes = query.highlight_words(), query.prefix_words()
    parts: list[str] = []
    position = 0
    for match in WORD_RE.finditer(text):
        if _is_match(match.group(), exact, prefixes):
            parts.append(escape(text[position : match.start()]))
            parts.append(Markup("<mark>") + escape(match.group()) + Markup("</mark>"))
            position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def snippet(text: str, query: ParsedQuery, size: int = SNIPPET_WORDS) -> Markup:
    """A window of ``text`` around its first match (or its start), highlighted."""
    plain = re.sub(r"[#*_`>\[\]()]+", " ", text)
    tokens = plain.split()
    start = 0
    if query:
        exact, prefixes = query.highlight_words(), query.prefix_words()
        for index, token in enumerate(tokens):
            if any(_is_match(w, exact, prefixes) for w in WORD_RE.findall(token)):
                start = max(0, index - size // 3)
                break
    window = tokens[start : start + size]
    body = " ".join(window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + size < len(tokens) else ""
    return escape(prefix) + highlight(body, query) + escape(suffix)
