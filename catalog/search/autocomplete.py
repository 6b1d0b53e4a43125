"""Suggestions for the search box while a learner types: topics, tools, institutes and courses.

:func:`autocomplete` takes the text typed so far and answers with at most ``MAX_SUGGESTIONS``
plain :class:`Suggestion` values, each naming where it leads (a course's page, the search
filtered by a topic or tool, an institute's page) as an endpoint and its arguments.

Only what learners may see is suggested: published courses of approved institutes, approved
institutes, and topics and tools that such a course teaches. The cost is fixed whatever is
typed and however big the catalog: the vocabulary and the approved institutes are few, so each
process keeps them folded (accents and case removed) in memory, keyed by the search state's
version like the facet snapshot; courses are many, so their titles are matched through the
full-text index (a prefix query on the title column). A request asks the database two things:
the version, and the matching courses.

What the learner typed is never a pattern: it is cut into words (``query.words``), so ``%``,
``_`` or FTS operators are plain characters that match nothing by themselves.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, literal_column, or_, select
from sqlalchemy.orm import Session

from catalog.models import (
    Course,
    Institute,
    SearchState,
    Tool,
    Topic,
    course_tools,
    course_topics,
)
from catalog.search.index import backend_for
from catalog.search.params import SearchParams
from catalog.search.postgres_fts import CONFIG, course_search, tsquery_expression
from catalog.search.query import ParsedQuery, Synonyms, Term, parse_query, words
from catalog.search.sqlite_fts import WEIGHTS, course_fts, match_expression

#: Fewer letters and digits than this suggest nothing: one letter matches half the catalog.
MIN_PREFIX_CHARS = 2
#: The longest text read; the search box takes more, but nobody completes a paragraph.
MAX_PREFIX_CHARS = 100
#: Suggestions in one answer: what fits under the box on a phone without scrolling.
MAX_SUGGESTIONS = 8
#: Courses whose titles match that are ranked for one answer (see ``_matching_titles``).
RANKED_CANDIDATES = 200
#: Letters of each typed word a PostgreSQL title must hold (see ``_title_fragments``).
FRAGMENT_CHARS = 4
#: The kinds of suggestion, in the order an answer lists them.
KINDS = ("topic", "tool", "institute", "course")

#: The weight the PostgreSQL document gives title words (``postgres_fts.FIELD_WEIGHTS``).
TITLE_WEIGHT = literal_column("""'{a}'::"char"[]""")

_ENDPOINTS = {
    "topic": "public.course_search",
    "tool": "public.course_search",
    "institute": "public.institute_detail",
    "course": "public.course_detail",
}


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: what it is called, what kind of thing it is, and where it leads."""

    kind: str
    label: str
    slug: str

    @property
    def endpoint(self) -> str:
        """The endpoint of the page it leads to (``url_for(s.endpoint, **s.url_args)``)."""
        return _ENDPOINTS[self.kind]

    @property
    def url_args(self) -> dict[str, object]:
        """The arguments of that page: a topic or tool leads to the search filtered by it."""
        if self.kind in ("topic", "tool"):
            return SearchParams(filters={self.kind: (self.slug,)}).to_args()
        return {"slug": self.slug}


def fold(text: str) -> str:
    """``text`` without accents, in lower case ("Académie" and "ACADEMIE" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def prefix_key(text: str) -> str:
    """The folded words of ``text``, each after one space: what prefixes are compared on.

    ``" " + typed`` found in a name's key means the typed words begin a word of the name, in
    order ("model ser" in "Model serving", "kube" in "Kubernetes", never "net" in it).
    """
    return "".join(" " + word for word in words(fold(text)))


@dataclass(frozen=True)
class _Entry:
    kind: str
    label: str
    slug: str
    #: The name's key first, then its synonyms' keys.
    keys: tuple[str, ...]

    def rank(self, typed_key: str) -> tuple[int, int, str] | None:
        """How well the typed key fits (lower is better), None when it does not fit at all."""
        name = self.keys[0]
        if name.startswith(typed_key):
            place = 0
        elif typed_key in name:
            place = 1
        elif any(typed_key in key for key in self.keys[1:]):
            place = 2
        else:
            return None
        return (place, len(self.label), self.label.casefold())


@dataclass(frozen=True)
class _Vocabulary:
    """What a process keeps per search-state version: the short lists, folded once."""

    entries: tuple[_Entry, ...]
    synonyms: Synonyms


_lock = threading.Lock()
_cache: dict[str, tuple[int, _Vocabulary]] = {}


def _terms(session: Session, model, link) -> list[tuple[str, str, list[str], bool]]:
    """``(slug, name, synonyms, taught)`` of every term; ``taught`` when a visible course has it."""
    column = link.c.topic_id if model is Topic else link.c.tool_id
    taught = exists().where(column == model.id, link.c.course_id == Course.id, Course.public_condition())
    rows = session.execute(select(model.slug, model.name, model.synonyms, taught.label("taught")))
    return [(slug, name, synonyms or [], bool(used)) for slug, name, synonyms, used in rows]


def _build(session: Session) -> _Vocabulary:
    entries: list[_Entry] = []
    vocabulary: list[tuple[str, Iterable[str]]] = []
    for kind, model, link in (("topic", Topic, course_topics), ("tool", Tool, course_tools)):
        for slug, name, synonyms, taught in _terms(session, model, link):
            vocabulary.append((name, synonyms))
            if taught:
                keys = tuple(dict.fromkeys(prefix_key(phrase) for phrase in (name, *synonyms)))
                entries.append(_Entry(kind, name, slug, keys))
    approved = select(Institute.slug, Institute.name).where(Institute.is_public)
    for slug, name in session.execute(approved):
        entries.append(_Entry("institute", name, slug, (prefix_key(name),)))
    return _Vocabulary(tuple(entries), Synonyms.from_vocabulary(vocabulary))


def _vocabulary(session: Session) -> _Vocabulary:
    """The vocabulary for this session's database, rebuilt when the search state moved."""
    version = session.scalar(select(SearchState.version).where(SearchState.id == 1))
    if version is None:
        # Without the row nothing tells this process about changes: never trust a cached copy.
        return _build(session)
    key = session.get_bind().url.render_as_string(hide_password=True)
    cached = _cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != version:
            cached = (version, _build(session))
            _cache[key] = cached
    return cached[1]


def _title_fragments(query: ParsedQuery):
    """A condition every title that matches ``query`` meets: it holds the first letters of a
    word of each term (an alternative's words, for a term with synonyms).

    Only a start is looked for, because PostgreSQL matches stems: "pipelines" finds the title
    "Pipeline". A stem keeps a word's first ``FRAGMENT_CHARS`` letters.
    """
    return and_(
        *(
            or_(
                *(
                    and_(*(Course.title.icontains(word[:FRAGMENT_CHARS], autoescape=True) for word in phrase))
                    for phrase in term.alternatives
                )
            )
            for term in query.terms
        )
    )


def _matching_titles(session: Session, query: ParsedQuery, limit: int) -> list[tuple[str, str]]:
    """``(slug, title)`` of up to ``limit`` visible courses whose title matches, best first.

    Only the first ``RANKED_CANDIDATES`` matches (in index order) are ranked: ranking every
    course a two-letter prefix matches would cost a hundred times what the answer is worth.
    """
    if backend_for(session).name == "sqlite":
        fts = literal_column("course_fts")
        candidates = (
            select(Course.slug, Course.title, Course.id, func.bm25(fts, *WEIGHTS).label("rank"))
            .join(course_fts, course_fts.c.rowid == Course.id)
            # An FTS5 column filter: every term must match within the title.
            .where(fts.op("MATCH")(f"title : ({match_expression(query)})"), Course.public_condition())
            .limit(RANKED_CANDIDATES)
            .subquery("candidates")
        )
        ranked = select(candidates.c.slug, candidates.c.title).order_by(candidates.c.rank)
    else:
        tsquery = func.to_tsquery(CONFIG, tsquery_expression(query))
        document = course_search.c.document
        # The document holds every field, so a word common in descriptions would have the GIN
        # index hand over most courses to be read: the titles are narrowed by their letters
        # first (cheap), then their words (weight A) must match.
        title_matches = exists().where(
            course_search.c.course_id == Course.id,
            document.op("@@")(tsquery),
            func.ts_filter(document, TITLE_WEIGHT).op("@@")(tsquery),
        )
        candidates = (
            select(Course.slug, Course.title, Course.id)
            .where(_title_fragments(query), Course.public_condition(), title_matches)
            .limit(RANKED_CANDIDATES)
            .subquery("candidates")
        )
        ranked = (
            select(candidates.c.slug, candidates.c.title)
            .join(course_search, course_search.c.course_id == candidates.c.id)
            .order_by(func.ts_rank(document, tsquery).desc())
        )
    stmt = ranked.order_by(candidates.c.title, candidates.c.id).limit(limit)
    return [(slug, title) for slug, title in session.execute(stmt)]


def _title_query(typed: str, synonyms: Synonyms) -> ParsedQuery:
    """The typed words as a title query: every word required, the last one as a prefix.

    The search reads a word of the vocabulary ("kube", a synonym of Kubernetes) as the whole
    word; while it is being typed it may still become another ("kubeflow"), so every
    alternative of the last term is read as a prefix here.
    """
    query = parse_query(fold(typed), synonyms)
    if not query:
        return query
    *complete, last = query.terms
    return ParsedQuery((*complete, Term(last.alternatives, prefix=True)), query.text)


def _interleave(groups: dict[str, list[Suggestion]], limit: int) -> list[Suggestion]:
    """At most ``limit`` suggestions taken in turn from each kind, then listed kind by kind."""
    taken: dict[str, list[Suggestion]] = {kind: [] for kind in KINDS}
    position = 0
    remaining = limit
    while remaining and any(len(groups[kind]) > position for kind in KINDS):
        for kind in KINDS:
            if remaining and len(groups[kind]) > position:
                taken[kind].append(groups[kind][position])
                remaining -= 1
        position += 1
    return [suggestion for kind in KINDS for suggestion in taken[kind]]


def autocomplete(session: Session, text: str | None, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Suggestions for the text typed so far (none for fewer than ``MIN_PREFIX_CHARS`` letters
    or digits), at most ``limit``, taken in turn from each kind and listed kind by kind."""
    typed = (text or "").strip()[:MAX_PREFIX_CHARS]
    typed_key = prefix_key(typed)
    if len(typed_key.replace(" ", "")) < MIN_PREFIX_CHARS:
        # Only letters and digits count: "%", "_a" or "--" say nothing to complete.
        return []
    vocabulary = _vocabulary(session)
    groups: dict[str, list[Suggestion]] = {kind: [] for kind in KINDS}
    fitting = [(rank, entry) for entry in vocabulary.entries if (rank := entry.rank(typed_key)) is not None]
    for _rank, entry in sorted(fitting, key=lambda pair: pair[0]):
        if len(groups[entry.kind]) < limit:
            groups[entry.kind].append(Suggestion(entry.kind, entry.label, entry.slug))
    query = _title_query(typed, vocabulary.synonyms)
    if query:
        groups["course"] = [
            Suggestion("course", title, slug) for slug, title in _matching_titles(session, query, limit)
        ]
    return _interleave(groups, limit)
