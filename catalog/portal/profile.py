"""Portal profile: the institute's public details, partners and campuses."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from catalog.extensions import db
from catalog.forms.catalog import ActionForm, CampusForm, InstituteForm
from catalog.forms.editing import save_posted
from catalog.forms.messages import flash_outcome, flash_refusal
from catalog.models import Campus
from catalog.portal.blueprint import bp
from catalog.queries.portal import campus_edit_options, campuses_of, institute_profile
from catalog.security import current_institute_id, current_staff, get_owned_or_404
from catalog.services.campuses import apply_campus, delete_campus
from catalog.services.errors import DomainError
from catalog.services.institutes import apply_institute


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """Edit the institute's profile and partners; list its campuses."""
    institute = institute_profile(db.session, current_institute_id())
    if institute is None:
        abort(404)
    form = InstituteForm(data=InstituteForm.data_of(institute))
    if save_posted(form, lambda changes: apply_institute(db.session, current_staff(), institute, changes)):
        return redirect(url_for("portal.profile"))
    return render_template(
        "portal/profile/profile.html",
        form=form,
        institute=institute,
        campuses=campuses_of(db.session, institute.id),
        action_form=ActionForm(),
    )


def _save_campus(form: CampusForm, campus: Campus | None):
    form.load_choices(db.session)
    if save_posted(
        form,
        lambda changes: apply_campus(db.session, current_staff(), current_user.institute, changes, campus),
    ):
        return redirect(url_for("portal.profile") + "#campuses")
    return render_template("portal/profile/campus_form.html", form=form, campus=campus)


@bp.route("/campuses/new", methods=["GET", "POST"])
def profile_campus_new():
    """Add a campus."""
    return _save_campus(CampusForm(), None)


@bp.route("/campuses/<int:campus_id>/edit", methods=["GET", "POST"])
def profile_campus_edit(campus_id: int):
    """Change a campus's area or address."""
    campus = get_owned_or_404(Campus, campus_id, *campus_edit_options())
    return _save_campus(CampusForm(data={"area": campus.area_id, "address": campus.address}), campus)


@bp.post("/campuses/<int:campus_id>/delete")
def profile_campus_delete(campus_id: int):
    """Delete a campus that no upcoming batch meets at."""
    campus = get_owned_or_404(Campus, campus_id, *campus_edit_options())
    if ActionForm().validate_on_submit():
        try:
            outcome = delete_campus(db.session, current_staff(), campus)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash_outcome(outcome)
    return redirect(url_for("portal.profile") + "#campuses")
