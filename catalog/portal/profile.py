"""Portal profile: the institute's public details, partners and campuses."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, CampusForm, InstituteForm
from catalog.models import Area, Campus, Institute
from catalog.portal import bp
from catalog.security import current_institute_id, get_owned_or_404, staff_required
from catalog.services.listings import ListingError, delete_campus, save_campus, save_institute


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@staff_required
def profile():
    """Edit the institute's profile and partners; list its campuses."""
    institute = db.session.scalar(
        select(Institute)
        .where(Institute.id == current_institute_id())
        .options(selectinload(Institute.partners), selectinload(Institute.campuses).selectinload(Campus.area))
    )
    form = InstituteForm(data=InstituteForm.data_of(institute))
    if form.validate_on_submit():
        outcome = save_institute(db.session, current_user._get_current_object(), institute, form)
        flash(outcome.message, outcome.category)
        return redirect(url_for("portal.profile"))
    campuses = db.session.scalars(
        select(Campus)
        .join(Campus.area)
        .where(Campus.institute_id == institute.id)
        .options(selectinload(Campus.area))
        .order_by(Area.name)
    ).all()
    return render_template(
        "portal/profile/profile.html",
        form=form,
        institute=institute,
        campuses=campuses,
        action_form=ActionForm(),
    )


def _save_campus(form: CampusForm, campus: Campus | None):
    form.load_choices(db.session)
    if form.validate_on_submit():
        try:
            outcome = save_campus(
                db.session, current_user._get_current_object(), current_user.institute, form, campus
            )
        except ListingError as error:
            error.show_on(form)
        else:
            flash(outcome.message, outcome.category)
            return redirect(url_for("portal.profile") + "#campuses")
    return render_template("portal/profile/campus_form.html", form=form, campus=campus)


@bp.route("/campuses/new", methods=["GET", "POST"])
@login_required
@staff_required
def profile_campus_new():
    """Add a campus."""
    return _save_campus(CampusForm(), None)


@bp.route("/campuses/<int:campus_id>/edit", methods=["GET", "POST"])
@login_required
@staff_required
def profile_campus_edit(campus_id: int):
    """Change a campus's area or address."""
    campus = get_owned_or_404(Campus, campus_id, selectinload(Campus.area))
    return _save_campus(CampusForm(data={"area": campus.area_id, "address": campus.address}), campus)


@bp.post("/campuses/<int:campus_id>/delete")
@login_required
@staff_required
def profile_campus_delete(campus_id: int):
    """Delete a campus that no upcoming batch meets at."""
    campus = get_owned_or_404(Campus, campus_id, selectinload(Campus.area))
    if ActionForm().validate_on_submit():
        try:
            outcome = delete_campus(db.session, current_user._get_current_object(), campus)
        except ListingError as error:
            flash(error.message, "error")
        else:
            flash(outcome.message, outcome.category)
    return redirect(url_for("portal.profile") + "#campuses")
