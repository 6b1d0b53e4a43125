"""The vocabulary (``/admin/vocabulary``): topics, tools and areas with their synonyms and the
courses using them; a term's page edits it, renames it, merges it into another or deletes it."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request, url_for

from catalog.admin.actions import click_action, form_action
from catalog.admin.blueprint import bp, nav_entry
from catalog.admin.forms import ClickForm
from catalog.admin.forms_vocabulary import MergeForm, RenameForm, TermForm, split_synonyms
from catalog.extensions import db
from catalog.queries.vocabulary import TERM_MODELS, term_by_id, terms_with_counts
from catalog.security import current_staff
from catalog.services import vocabulary

#: The heading of each kind of term, singular and plural.
KIND_LABELS = {"topic": ("topic", "Topics"), "tool": ("tool", "Tools"), "area": ("area", "Areas")}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _in_use(params: dict) -> str:
    parts = [_plural(params.get("courses", 0), "course", "courses")]
    if params.get("campuses"):
        parts.append(_plural(params["campuses"], "campus", "campuses"))
    if params.get("events"):
        parts.append(_plural(params["events"], "event", "events"))
    return f"Used by {', '.join(parts)}; merge it into another term instead of deleting it."


#: What each refusal of the vocabulary services says to the admin.
MESSAGES = {
    "term-missing": lambda p: "That term no longer exists; it may have been merged or deleted meanwhile.",
    "name-required": lambda p: "Give the term a name.",
    "name-too-long": lambda p: f"Use at most {p['limit']} characters.",
    "name-taken": lambda p: f"Another term is already called {p['name']}; merge the two instead.",
    "synonym-too-long": lambda p: f"Each synonym may have at most {p['limit']} characters.",
    "too-many-synonyms": lambda p: f"Keep at most {p['limit']} synonyms.",
    "slug-invalid": lambda p: (
        f"Use lower-case letters and digits joined by hyphens, at most {p['limit']} characters."
    ),
    "slug-taken": lambda p: f"Another term already has the address {p['slug']}.",
    "term-in-use": _in_use,
    "merge-same": lambda p: "A term cannot be merged into itself; choose another.",
    "online-area": lambda p: (
        "The Online area stands for courses without a place; it cannot be renamed, merged or deleted."
    ),
    "record-clash": lambda p: (
        "Someone changed the vocabulary at the same moment; reload the page and try again."
    ),
}


def _term_or_404(kind: str, term_id: int):
    term = term_by_id(db.session, kind, term_id)
    if term is None:
        abort(404, description="There is no such term; it may have been merged or deleted.")
    return term


def _term_form(kind: str, term, formdata=None) -> TermForm:
    form = TermForm(
        formdata,
        name=term.name,
        description=getattr(term, "description", ""),
        synonyms="\n".join(getattr(term, "synonyms", None) or []),
    )
    if not vocabulary.has_description(kind):
        del form.description
    if not vocabulary.has_synonyms(kind):
        del form.synonyms
    return form


def _merge_form(kind: str, term, formdata=None) -> MergeForm:
    form = MergeForm(formdata, prefix="merge")
    form.set_targets(t for t, _ in terms_with_counts(db.session, kind) if t.id != term.id)
    return form


def _detail(kind: str, term, term_form=None, rename_form=None, merge_form=None, status=200):
    use = vocabulary.term_use(db.session, kind, term.id)
    return (
        render_template(
            "admin/vocabulary_term.html",
            kind=kind,
            kind_label=KIND_LABELS[kind][0],
            term=term,
            use=use,
            term_form=term_form or _term_form(kind, term),
            rename_form=rename_form or RenameForm(None, prefix="rename", name=term.name, slug=term.slug),
            merge_form=merge_form or _merge_form(kind, term),
            delete_form=ClickForm(None),
            in_use_message=_in_use(vars(use)) if use.in_use else "",
        ),
        status,
    )


def _kind_or_404(kind: str) -> str:
    if kind not in TERM_MODELS:
        abort(404, description="The vocabulary has topics, tools and areas.")
    return kind


@bp.get("/vocabulary")
def vocabulary_list():
    """Topics, tools and areas, each with its synonyms and the number of courses using it."""
    sections = [(kind, KIND_LABELS[kind][1], terms_with_counts(db.session, kind)) for kind in TERM_MODELS]
    return render_template("admin/vocabulary.html", sections=sections)


def _term_action(kind: str, term_id: int, slot: str, make_form: Callable, write: Callable):
    """A POST of the term's page that makes one change: ``make_form(term)`` reads the form shown
    in ``slot`` of the page, ``write(term, form)`` makes the change and returns the message and
    the term whose page follows. An invalid form or a refusal shows the page again, 400."""
    term = _term_or_404(_kind_or_404(kind), term_id)
    form = make_form(term)

    def change() -> tuple[str, str]:
        message, shown = write(term, form)
        return message, url_for("admin.vocabulary_term", kind=kind, term_id=shown.id)

    def again(form):
        # Reread: a refused write rolled back, and the term may have gone meanwhile.
        return _detail(kind, _term_or_404(kind, term_id), status=400, **{slot: form})

    return form_action(form, change, MESSAGES, again)


@bp.route("/vocabulary/<kind>/<int:term_id>", methods=["GET", "POST"])
def vocabulary_term(kind: str, term_id: int):
    """A term's page; its POST saves the name, description and synonyms."""
    if request.method == "GET":
        return _detail(kind, _term_or_404(_kind_or_404(kind), term_id))

    def save(term, form):
        changes = vocabulary.TermChanges(
            name=form.name.data or "",
            description=(form.description.data or "") if "description" in form else "",
            synonyms=split_synonyms(form.synonyms.data) if "synonyms" in form else (),
        )
        vocabulary.update_term(db.session, kind, term.id, changes, current_staff())
        return f"Saved {term.name}.", term

    return _term_action(kind, term_id, "term_form", lambda term: _term_form(kind, term, request.form), save)


@bp.post("/vocabulary/<kind>/<int:term_id>/rename")
def vocabulary_rename(kind: str, term_id: int):
    """Give the term a new name and address; its old address redirects (301) to the new one."""

    def rename(term, form):
        old_slug = term.slug
        vocabulary.rename_term(db.session, kind, term.id, form.name.data, form.slug.data, current_staff())
        return f"Renamed to {term.name}; the old address {old_slug} leads here from now on.", term

    return _term_action(
        kind, term_id, "rename_form", lambda term: RenameForm(request.form, prefix="rename"), rename
    )


@bp.post("/vocabulary/<kind>/<int:term_id>/merge")
def vocabulary_merge(kind: str, term_id: int):
    """Merge the term into another: its courses, synonyms and addresses go to the survivor."""

    def merge(term, form):
        name = term.name
        survivor = vocabulary.merge_terms(db.session, kind, term.id, form.chosen_target(), current_staff())
        return f"Merged {name} into {survivor.name}; its courses, synonyms and address moved over.", survivor

    return _term_action(
        kind, term_id, "merge_form", lambda term: _merge_form(kind, term, request.form), merge
    )


@bp.post("/vocabulary/<kind>/<int:term_id>/delete")
def vocabulary_delete(kind: str, term_id: int):
    """Delete an unused term; a term in use is refused with what uses it."""
    term = _term_or_404(_kind_or_404(kind), term_id)
    name = term.name

    def delete() -> str:
        vocabulary.delete_term(db.session, kind, term.id, current_staff())
        return f"Deleted {name}."

    back = url_for("admin.vocabulary_term", kind=kind, term_id=term_id)
    return click_action(delete, MESSAGES, back, done=url_for("admin.vocabulary_list"))


nav_entry("admin.vocabulary_list", "Vocabulary", 45)
