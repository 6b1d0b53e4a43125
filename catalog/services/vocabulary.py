"""Changes to the vocabulary: edit a topic, tool or area, rename it, delete it while unused, or
merge a duplicate into the term that survives; the importer adds terms and sets their details.

Every change is one transaction with its audit entry. A rename and a merge keep the old slug in
``vocabulary_redirects`` so old links arrive at the survivor; a merge moves every course, event
and campus of the duplicate to the survivor in bulk, so it tells the search index itself which
courses changed (``courses_changed``), as the index contract asks of bulk writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from catalog.models import (
    Campus,
    Event,
    User,
    VocabularyRedirect,
    course_campuses,
    course_tools,
    course_topics,
    event_topics,
)
from catalog.queries.vocabulary import TERM_MODELS
from catalog.search.index import courses_changed, courses_of
from catalog.services.audit import audit_change, diff, record_change, snapshot
from catalog.services.course_listing import move_held_choice
from catalog.services.errors import DomainError
from catalog.services.slugs import is_slug
from catalog.services.transactions import one_write

#: The model of each kind of term.
MODELS = TERM_MODELS
#: The longest name, slug and synonym a term takes (the columns' widths).
NAME_MAX = 80
#: The most synonyms one term keeps.
SYNONYMS_MAX = 40


@dataclass(frozen=True)
class TermChanges:
    """What the term's page edits: its name, and (for the kinds that have them) its description
    and synonyms."""

    name: str
    description: str = ""
    synonyms: tuple[str, ...] = ()


def has_description(kind: str) -> bool:
    """Whether terms of this kind carry a description (topics do)."""
    return hasattr(MODELS[kind], "description")


def has_synonyms(kind: str) -> bool:
    """Whether terms of this kind carry synonyms (topics and tools do)."""
    return hasattr(MODELS[kind], "synonyms")


def clean_synonyms(names: Iterable[str], name: str) -> list[str]:
    """Synonyms trimmed, each once whatever its case, without the term's own name."""
    seen = {name.strip().casefold()}
    kept = []
    for synonym in names:
        text = " ".join(synonym.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return kept


def _fields(kind: str) -> list[str]:
    return (
        ["name", "slug"]
        + (["description"] if has_description(kind) else [])
        + (["synonyms"] if has_synonyms(kind) else [])
    )


def _term(session: Session, kind: str, term_id: int, field: str | None = None):
    model = MODELS.get(kind)
    term = session.get(model, term_id) if model is not None else None
    if term is None:
        raise DomainError("term-missing", field)
    return term


def _check_name(session: Session, kind: str, term, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("name-required", "name")
    if len(name) > NAME_MAX:
        raise DomainError("name-too-long", "name", limit=NAME_MAX)
    model = MODELS[kind]
    clash = session.scalar(
        select(model.id).where(func.lower(model.name) == name.lower(), model.id != term.id)
    )
    if clash is not None:
        raise DomainError("name-taken", "name", name=name)
    return name


def _check_synonyms(synonyms: Iterable[str], name: str) -> list[str]:
    kept = clean_synonyms(synonyms, name)
    if any(len(synonym) > NAME_MAX for synonym in kept):
        raise DomainError("synonym-too-long", "synonyms", limit=NAME_MAX)
    if len(kept) > SYNONYMS_MAX:
        raise DomainError("too-many-synonyms", "synonyms", limit=SYNONYMS_MAX)
    return kept


def _set_term(session: Session, kind: str, term, changes: TermChanges) -> None:
    term.name = _check_name(session, kind, term, changes.name)
    if has_description(kind):
        term.description = changes.description.strip()
    if has_synonyms(kind):
        term.synonyms = _check_synonyms(changes.synonyms, term.name)


def update_term(session: Session, kind: str, term_id: int, changes: TermChanges, actor: User | None):
    """Save a term's name, description and synonyms (its slug stays; :func:`rename_term` moves it)."""
    with one_write(session):
        term = _term(session, kind, term_id)
        before = snapshot(term, _fields(kind))
        _set_term(session, kind, term, changes)
        session.flush()
        audit_change(
            session,
            actor,
            "update",
            term,
            before,
            snapshot(term, _fields(kind)),
            f"Edited {kind} {term.name}",
        )
    return term


#: What a term of each kind holds besides name, description and synonyms (the vocabulary page
#: leaves them; the seed and the importer set them).
DETAILS = {"topic": (), "tool": ("category",), "area": ("latitude", "longitude")}


def save_term(
    session: Session, kind: str, slug: str, changes: TermChanges, details: dict, actor: User | None, term=None
):
    """Add a term with this slug (or save ``term``): its name, description, synonyms and
    :data:`DETAILS`, with the audit entry. The importer's write; the page uses :func:`update_term`."""
    fields = [*_fields(kind), *DETAILS[kind]]
    creating = term is None
    with one_write(session):
        if creating:
            if not is_slug(slug) or len(slug) > NAME_MAX:
                raise DomainError("slug-invalid", "slug", limit=NAME_MAX)
            if _slug_taken(session, kind, slug, -1):
                raise DomainError("slug-taken", "slug", slug=slug)
            term = MODELS[kind](slug=slug)
        before = {} if creating else snapshot(term, fields)
        _set_term(session, kind, term, changes)
        for name in DETAILS[kind]:
            setattr(term, name, details.get(name))
        session.add(term)
        session.flush()
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            term,
            before,
            snapshot(term, fields),
            f"{'Added' if creating else 'Edited'} {kind} {term.name}",
        )
    return term


def _slug_taken(session: Session, kind: str, slug: str, term_id: int) -> bool:
    model = MODELS[kind]
    return session.scalar(select(model.id).where(model.slug == slug, model.id != term_id)) is not None


def _keep_old_slug(session: Session, kind: str, old_slug: str, term_id: int) -> None:
    """Point ``old_slug`` at ``term_id`` from now on."""
    existing = session.scalar(
        select(VocabularyRedirect).where(
            VocabularyRedirect.kind == kind, VocabularyRedirect.old_slug == old_slug
        )
    )
    if existing is None:
        session.add(VocabularyRedirect(kind=kind, old_slug=old_slug, term_id=term_id))
    else:
        existing.term_id = term_id


def rename_term(session: Session, kind: str, term_id: int, name: str, slug: str, actor: User | None):
    """Give a term a new name and address; the old address redirects to it from now on."""
    with one_write(session):
        term = _term(session, kind, term_id)
        if term.slug == "online" and kind == "area":
            raise DomainError("online-area", "slug")
        slug = slug.strip().lower()
        if not is_slug(slug) or len(slug) > NAME_MAX:
            raise DomainError("slug-invalid", "slug", limit=NAME_MAX)
        if _slug_taken(session, kind, slug, term.id):
            raise DomainError("slug-taken", "slug", slug=slug)
        before = snapshot(term, ["name", "slug"])
        term.name = _check_name(session, kind, term, name)
        if slug != term.slug:
            # The new address is live again if it was an old one.
            session.execute(
                delete(VocabularyRedirect).where(
                    VocabularyRedirect.kind == kind, VocabularyRedirect.old_slug == slug
                )
            )
            _keep_old_slug(session, kind, term.slug, term.id)
            term.slug = slug
        session.flush()
        audit_change(
            session,
            actor,
            "rename",
            term,
            before,
            snapshot(term, ["name", "slug"]),
            f"Renamed {kind} {term.name}",
        )
    return term


@dataclass(frozen=True)
class TermUse:
    """How much of the catalog uses a term: courses, and for areas campuses and events too."""

    courses: int
    campuses: int = 0
    events: int = 0

    @property
    def in_use(self) -> bool:
        return bool(self.courses or self.campuses or self.events)


def term_use(session: Session, kind: str, term_id: int) -> TermUse:
    """What uses the term now (any course, draft or published, counts)."""
    conn = session.connection()
    courses = len(courses_of(conn, **{f"{kind}s": [term_id]}))
    if kind == "topic":
        events = session.scalar(
            select(func.count()).select_from(event_topics).where(event_topics.c.topic_id == term_id)
        )
        return TermUse(courses, events=events or 0)
    if kind == "area":
        campuses = session.scalar(select(func.count(Campus.id)).where(Campus.area_id == term_id))
        events = session.scalar(select(func.count(Event.id)).where(Event.area_id == term_id))
        return TermUse(courses, campuses=campuses or 0, events=events or 0)
    return TermUse(courses)


def delete_term(session: Session, kind: str, term_id: int, actor: User | None) -> None:
    """Delete a term no course, event or campus uses; one in use can only be merged."""
    with one_write(session):
        term = _term(session, kind, term_id)
        if kind == "area" and term.is_online:
            raise DomainError("online-area")
        use = term_use(session, kind, term.id)
        if use.in_use:
            raise DomainError(
                "term-in-use", None, courses=use.courses, campuses=use.campuses, events=use.events
            )
        before = snapshot(term, _fields(kind))
        record_change(session, actor, "delete", term, diff(before, {}), f"Deleted {kind} {term.name}")
        session.execute(
            delete(VocabularyRedirect).where(
                VocabularyRedirect.kind == kind, VocabularyRedirect.term_id == term.id
            )
        )
        session.delete(term)


def _merge_links(session: Session, table, column: str, owner: str, source_id: int, target_id: int) -> None:
    """Move the rows of a link table from the source term to the target, once per owner."""
    term_col, owner_col = table.c[column], table.c[owner]
    already = select(owner_col).where(term_col == target_id)
    moved = select(owner_col, literal(target_id, term_col.type)).where(
        term_col == source_id, owner_col.not_in(already)
    )
    session.execute(insert(table).from_select([owner, column], moved))
    session.execute(delete(table).where(term_col == source_id))


def _merge_areas(session: Session, source_id: int, target_id: int) -> None:
    """Campuses in the source area move to the target; an institute with a campus in both keeps
    the target's, which takes over the other's courses."""
    target_campus = {
        institute_id: campus_id
        for campus_id, institute_id in session.execute(
            select(Campus.id, Campus.institute_id).where(Campus.area_id == target_id)
        )
    }
    for campus_id, institute_id in session.execute(
        select(Campus.id, Campus.institute_id).where(Campus.area_id == source_id)
    ).all():
        keeper = target_campus.get(institute_id)
        if keeper is None:
            session.execute(update(Campus).where(Campus.id == campus_id).values(area_id=target_id))
            continue
        _merge_links(session, course_campuses, "campus_id", "course_id", campus_id, keeper)
        session.execute(delete(Campus).where(Campus.id == campus_id))
    session.execute(update(Event).where(Event.area_id == source_id).values(area_id=target_id))


def merge_terms(session: Session, kind: str, source_id: int, target_id: int, actor: User | None):
    """Merge the duplicate ``source_id`` into ``target_id``: everything that used the duplicate
    uses the survivor (once), its name and synonyms become the survivor's synonyms, its old
    addresses redirect to the survivor, it is deleted, and the search index follows."""
    with one_write(session):
        source = _term(session, kind, source_id)
        target = _term(session, kind, target_id, "target")
        if source.id == target.id:
            raise DomainError("merge-same", "target")
        if kind == "area" and (source.is_online or target.is_online):
            raise DomainError("online-area", "target")
        conn = session.connection()
        affected = courses_of(conn, **{f"{kind}s": [source.id]})
        before = snapshot(target, _fields(kind))
        source_name, source_slug = source.name, source.slug
        if kind == "topic":
            _merge_links(session, course_topics, "topic_id", "course_id", source.id, target.id)
            _merge_links(session, event_topics, "topic_id", "event_id", source.id, target.id)
            move_held_choice(session, "topics", source.id, target.id)
        elif kind == "tool":
            _merge_links(session, course_tools, "tool_id", "course_id", source.id, target.id)
            move_held_choice(session, "tools", source.id, target.id)
        else:
            _merge_areas(session, source.id, target.id)
        if has_synonyms(kind):
            target.synonyms = clean_synonyms([*target.synonyms, source.name, *source.synonyms], target.name)
        session.execute(
            update(VocabularyRedirect)
            .where(VocabularyRedirect.kind == kind, VocabularyRedirect.term_id == source.id)
            .values(term_id=target.id)
        )
        session.delete(source)
        session.flush()
        _keep_old_slug(session, kind, source_slug, target.id)
        session.flush()
        courses_changed(session.connection(), affected)
        after = {**snapshot(target, _fields(kind)), "merged": source_name}
        audit_change(
            session,
            actor,
            "merge",
            target,
            before,
            after,
            f"Merged {kind} {source_name} into {target.name} ({len(affected)} courses)",
        )
    return target
