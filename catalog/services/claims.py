"""The claims check: does a listing promise guaranteed placement or jobs, or give bare figures?

The phrases are data, in ``claims.yaml`` under the ``DATA_DIR`` setting (documented at its top),
read once per application, when it starts. :func:`course_claims` reads every text of a course and returns, per
field, the phrases it found with their spans, so the moderation queue can mark them. A
placement figure in the text ("92% placed") counts only while the course does not give the
placement year and cohort size in its placement fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from flask import Flask, current_app

from catalog.models import Course

if TYPE_CHECKING:
    from catalog.services.course_changes import CourseChanges

CLAIMS_FILE = "claims.yaml"
_EXTENSION = "catalog.claims"

#: A match's kind: a promise of placement, or a placement figure given without year and cohort.
GUARANTEE = "guarantee"
FIGURE = "figure"


@dataclass(frozen=True)
class ClaimMatch:
    """One phrase found in one field: the text as written and where it stands in the field."""

    field: str
    phrase: str
    start: int
    end: int
    kind: str = GUARANTEE


def _phrase_pattern(phrase: str) -> str:
    # A space in a phrase stands for any run of spaces, hyphens or dots ("job-guarantee").
    words = [re.escape(word) for word in phrase.split()]
    return r"\b" + r"[\s.\-]*".join(words) + r"\b"


def _compile(entries: object, section: str, source: str) -> tuple[re.Pattern[str], ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise ValueError(f"{source}: '{section}' must be a list of entries")
    patterns = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or len(entry) != 1 or not ({"phrase", "pattern"} & set(entry)):
            raise ValueError(f"{source}: {section} entry {number} must have one 'phrase' or 'pattern'")
        text = str(entry.get("phrase") or entry.get("pattern") or "").strip()
        if not text:
            raise ValueError(f"{source}: {section} entry {number} is empty")
        source_text = _phrase_pattern(text) if "phrase" in entry else text
        try:
            patterns.append(re.compile(source_text, re.IGNORECASE))
        except re.error as error:
            raise ValueError(f"{source}: {section} entry {number} is not a valid pattern ({error})") from None
    return tuple(patterns)


@dataclass(frozen=True)
class ClaimsList:
    """The compiled phrase list: promises of placement, and placement-figure patterns."""

    claims: tuple[re.Pattern[str], ...]
    figures: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def from_yaml(cls, text: str, source: str = CLAIMS_FILE) -> ClaimsList:
        """The list a YAML document describes; raises ValueError naming the bad entry."""
        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{source}: expected the sections 'claims' and 'figures'")
        return cls(
            _compile(data.get("claims"), "claims", source), _compile(data.get("figures"), "figures", source)
        )

    @classmethod
    def from_file(cls, path: Path) -> ClaimsList:
        """The list in the file at ``path``; raises ValueError when it is missing or malformed."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(
                f"{path}: the claims check cannot read its phrase list ({error.strerror})"
            ) from None
        try:
            return _compiled(text, str(path))
        except yaml.YAMLError as error:
            raise ValueError(f"{path}: cannot be read as YAML ({error})") from None

    def find(self, field: str, text: str, figures_backed: bool = False) -> list[ClaimMatch]:
        """Every phrase in ``text``, in order of position; overlapping matches become one span
        (a promise when any of them is one)."""
        spans: list[tuple[int, int, str]] = []
        kinds = [(GUARANTEE, self.claims)] + ([] if figures_backed else [(FIGURE, self.figures)])
        for kind, patterns in kinds:
            for pattern in patterns:
                spans.extend(
                    (m.start(), m.end(), kind) for m in pattern.finditer(text) if m.end() > m.start()
                )
        merged: list[list] = []
        for start, end, kind in sorted(spans):
            if merged and start < merged[-1][1]:
                last = merged[-1]
                last[1] = max(last[1], end)
                last[2] = GUARANTEE if GUARANTEE in (last[2], kind) else kind
            else:
                merged.append([start, end, kind])
        return [ClaimMatch(field, text[start:end], start, end, kind) for start, end, kind in merged]


def listing_texts(course: Course | CourseChanges) -> dict[str, str]:
    """Every text a course listing shows, by field name (modules as ``module 2 outline``)."""
    texts = {
        "title": course.title,
        "summary": course.summary,
        "description": course.description,
        "prerequisites": course.prerequisites,
        "certification_name": course.certification_name,
        "certification_issuer": course.certification_issuer,
        "refund_policy": course.refund_policy,
    }
    for number, module in enumerate(course.modules, 1):
        texts[f"module {number} title"] = module.title
        texts[f"module {number} outline"] = module.outline
    return {name: text for name, text in texts.items() if text}


def placement_figures_backed(course: Course | CourseChanges) -> bool:
    """True when the course gives its placement year and cohort size, so figures can be read
    (a course without placement support keeps no figures)."""
    return (
        course.placement_support and course.placement_year is not None and bool(course.placement_cohort_size)
    )


@lru_cache(maxsize=8)
def _compiled(text: str, source: str) -> ClaimsList:
    # Every application of a process (the tests make thousands) shares the compiled list of
    # one file's text; a changed file is new text, and is read afresh.
    return ClaimsList.from_yaml(text, source)


def init_claims(app: Flask) -> None:
    """Read the phrase list as the application starts, so a broken file stops it with the reason."""
    app.extensions[_EXTENSION] = ClaimsList.from_file(Path(app.config["DATA_DIR"]) / CLAIMS_FILE)


def active_claims() -> ClaimsList:
    """The application's phrase list, read from ``DATA_DIR`` the first time it is needed."""
    claims = current_app.extensions.get(_EXTENSION)
    if claims is None:
        claims = ClaimsList.from_file(Path(current_app.config["DATA_DIR"]) / CLAIMS_FILE)
        current_app.extensions[_EXTENSION] = claims
    return claims


def find_claims(
    texts: dict[str, str], figures_backed: bool, claims: ClaimsList | None = None
) -> dict[str, list[ClaimMatch]]:
    """The phrases found in each text, for the fields where any were found."""
    claims = claims or active_claims()
    found = {name: claims.find(name, text, figures_backed) for name, text in texts.items()}
    return {name: matches for name, matches in found.items() if matches}


def course_claims(
    course: Course | CourseChanges, claims: ClaimsList | None = None
) -> dict[str, list[ClaimMatch]]:
    """The claims a course's listing makes, per field (empty when it makes none); a save's
    changes read the same as the course they would make."""
    return find_claims(listing_texts(course), placement_figures_backed(course), claims)
