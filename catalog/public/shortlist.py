"""The learner's shortlist (no account: it lives in the session) and the buttons that change it.

Every change is a POST form with a CSRF token; after it the browser goes back to the page it
came from, when that is a path on this site (``safe_next``), never to another site.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from catalog.extensions import db
from catalog.models import Course
from catalog.public import shortlist_store as store
from catalog.public.blueprint import bp
from catalog.public.shortlist_forms import ShortlistForm
from catalog.queries.compare import public_course, shortlisted_courses
from catalog.security import safe_next

#: The most courses the compare page puts side by side (and the fewest).
COMPARE_MAX = 4
COMPARE_MIN = 2
FULL = "Your shortlist is full: it holds {limit} courses. Remove one to add “{title}”."
GONE = "That course is no longer listed, so it cannot be shortlisted."


@bp.app_template_global()
def shortlist_count() -> int:
    """How many courses this browser has shortlisted (read from the session: no query)."""
    return len(store.shortlisted_ids())


@bp.app_template_global()
def shortlist_hidden_fields(next: str | None = None) -> Markup:
    """The hidden CSRF token and way back (``next``, or the page being shown) of the shortlist
    buttons: the same for every button of a page, so rendered once per request. A form per
    card cost a millisecond each, a fifth of a search page."""
    back = next or (request.full_path.rstrip("?") if request.query_string else request.path)
    rendered = g.setdefault("shortlist_hidden_fields", {})
    if back not in rendered:
        form = ShortlistForm(formdata=None, next=back)
        # Each field renders itself as escaped Markup.
        rendered[back] = form.csrf_token(id=False) + form.next(id=False)
    return rendered[back]


@bp.app_template_global()
def is_shortlisted(course: Course) -> bool:
    """True when ``course`` is on this browser's shortlist."""
    return store.is_shortlisted(course.id)


def _parsed_form() -> ShortlistForm:
    form = ShortlistForm()
    if not form.validate_on_submit():
        abort(
            400, description="The shortlist button sent something unexpected. Reload the page and try again."
        )
    return form


def _back(form: ShortlistForm, fallback: str):
    return redirect(safe_next(form.next.data) or fallback, 303)


@bp.post("/shortlist/add")
def shortlist_add():
    """Put a public course on the shortlist, unless it is full, and go back."""
    form = _parsed_form()
    course = public_course(db.session, form.course.data)
    if course is None:
        flash(GONE, "error")
        return _back(form, url_for("public.shortlist"))
    if store.add_to_shortlist(course.id):
        flash(f"“{course.title}” is on your shortlist.", "success")
    else:
        flash(FULL.format(limit=store.SHORTLIST_LIMIT, title=course.title), "error")
    return _back(form, url_for("public.course_detail", slug=course.slug))


@bp.post("/shortlist/remove")
def shortlist_remove():
    """Take a course off the shortlist and go back."""
    form = _parsed_form()
    store.remove_from_shortlist(form.course.data)
    flash("Removed from your shortlist.", "success")
    return _back(form, url_for("public.shortlist"))


@bp.get("/shortlist")
def shortlist():
    """The shortlisted courses that are still public, with remove buttons and "Compare these"."""
    courses = shortlisted_courses(db.session, store.shortlisted_ids())
    store.keep_only([course.id for course in courses])
    return render_template(
        "public/shortlist.html",
        courses=courses,
        limit=store.SHORTLIST_LIMIT,
        compare_min=COMPARE_MIN,
        compare_max=COMPARE_MAX,
    )
