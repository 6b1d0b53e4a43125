"""The institute list (by area) and an institute's own page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from catalog.extensions import db
from catalog.forms.fields import as_choices
from catalog.public.blueprint import bp
from catalog.public.forms import InstituteFilterForm
from catalog.queries import courses, events, institutes, vocabulary
from catalog.search import page_number
from catalog.timeutil import local_today

#: Institute cards per page of the list: a page costs the same at 10 or 10,000 institutes.
INSTITUTES_PER_PAGE = 24


@bp.get("/institutes")
def institute_list():
    """Approved institutes, optionally in one area (or "Online")."""
    asked = request.args.get("area")
    moved_to = vocabulary.redirected_slug(db.session, "area", asked) if asked else None
    if moved_to is not None:
        # A renamed or merged area's old slug: the list has a new address, permanently.
        args = {**request.args.to_dict(flat=False), "area": moved_to}
        return redirect(url_for("public.institute_list", **args), 301)
    form = InstituteFilterForm()
    areas = institutes.areas_with_institutes(db.session)
    form.area.choices = as_choices([("", "All areas")] + [(a.slug, a.name) for a in areas])
    area_slug = form.area.data if form.area.data in {a.slug for a in areas} else None
    ranked = institutes.ranked_institutes(db.session, area_slug)
    total = len(ranked)
    pages = max(1, -(-total // INSTITUTES_PER_PAGE))
    page = page_number(request.args.get("page"), pages)
    return render_template(
        "public/institute_list.html",
        form=form,
        area=next((a for a in areas if a.slug == area_slug), None),
        institutes=institutes.institute_rows(
            db.session, ranked[(page - 1) * INSTITUTES_PER_PAGE : page * INSTITUTES_PER_PAGE]
        ),
        total=total,
        page=page,
        pages=pages,
        args={"area": area_slug} if area_slug else {},
    )


@bp.get("/institutes/<slug>")
def institute_detail(slug: str):
    """An institute's profile, campuses, partners, courses and events."""
    institute = institutes.approved_institute(db.session, slug)
    if institute is None:
        abort(404, description="No institute has that address.")
    today = local_today()
    return render_template(
        "public/institute_detail.html",
        institute=institute,
        courses=courses.institute_courses(db.session, institute),
        events=events.upcoming_events(db.session, today, institute_id=institute.id),
        today=today,
    )
