"""``/shortlist/enquire?course=<id>&course=<id>…``: one form that asks several institutes at once.

The shortlist page links here with its courses' ids (the address is the list, as with compare).
The learner types their details once, ticks the courses to ask about (the open ones are ticked
at first; closed ones are shown with the reason and cannot be ticked) and agrees, once per
institute, to that institute's consent sentence. One send stores a separate enquiry per chosen
course, each to its own institute, with its own reference and tracking link, all or none
(``catalog.services.enquiries.submit_enquiries``). It keeps every guard of the single form: CSRF,
honeypot and signed time stamp, the per-address and per-email rate limits (one send counts
once), and its submission key, so a second send of the same form stores nothing more and leads
to the same confirmation. The confirmation lists what this browser's session sent, nothing else.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.exceptions import TooManyRequests

from catalog.enquiries.messages import NOT_FOUND, NOT_SAVED, refusal_message, shortlist_refusal_message
from catalog.enquiries.multiple_forms import ShortlistEnquiryForm, consent_field_name, shortlist_enquiry_form
from catalog.errors import DATABASE_RETRY_AFTER
from catalog.extensions import db, limiter
from catalog.forms.fields import show_refusal
from catalog.models import Course, CourseStatus
from catalog.models.contacts import normalise_email
from catalog.queries.courses import courses_by_ids
from catalog.queries.enquiries import enquiry_by_reference
from catalog.ratelimits import take_from_limits
from catalog.services import enquiries as service
from catalog.services.errors import DomainError
from catalog.timeutil import local_today

bp = Blueprint("shortlist", __name__)

#: The most courses one send asks about (as many as a shortlist holds).
COURSES_MAX = 12
#: Courses that were public once: a closed one is still listed, by title, with the reason.
ONCE_PUBLIC = (CourseStatus.PUBLISHED, CourseStatus.ARCHIVED)
SESSION_SENT = "shortlist_enquiries"


def _address_limits() -> str:
    return current_app.config["ENQUIRY_LIMITS_PER_ADDRESS"]


def _listed_courses() -> list[Course]:
    """The courses the address names, in its order, each once; never-published ones left out."""
    ids = [value for value in request.args.getlist("course", type=int) if 0 < value < 2**31]
    ids = list(dict.fromkeys(ids))[:COURSES_MAX]
    found = courses_by_ids(db.session, ids)
    return [found[i] for i in ids if i in found and found[i].status in ONCE_PUBLIC]


@bp.route("/shortlist/enquire", methods=["GET", "POST"])
@limiter.limit(_address_limits, methods=["POST"])
def enquire():
    """The form (GET), and where it posts to (POST): one enquiry per chosen course."""
    courses = _listed_courses()
    if request.method == "POST":
        earlier = service.sent_with_key(db.session, request.form.get("submission_key"), courses)
        if earlier:
            return _confirm([service.Submission(enquiry, None, created=False) for enquiry in earlier])
    today = local_today()
    form = shortlist_enquiry_form(courses)
    valid = form.validate_on_submit()
    if request.method == "POST" and not form.form_errors:
        # The service's refusals beside the form's own, so one send reports everything.
        problems = service.enquiries_problems(
            form.chosen_courses(), form.to_command(), form.consented(), today
        )
        for problem in problems:
            _show(form, problem)
        valid = valid and not problems
    if not valid:
        return _form_page(form, 400 if request.method == "POST" else 200)
    # Counted only once the send is valid, so a learner who mistypes is not locked out.
    wait = take_from_limits(
        current_app.config["ENQUIRY_LIMITS_PER_EMAIL"], "enquiry-email", normalise_email(form.email.data)
    )
    if wait is not None:
        raise TooManyRequests(retry_after=wait)
    try:
        submissions = service.submit_enquiries(
            db.session,
            form.chosen_courses(),
            form.to_command(),
            form.consented(),
            submission_key=form.submission_key.data,
            today=today,
        )
    except DomainError as refusal:
        _show(form, refusal)
        return _form_page(form, 400)
    except service.EnquiryNotSaved:
        page, status = _form_page(form, 503, failure=NOT_SAVED)
        return page, status, DATABASE_RETRY_AFTER
    return _confirm(submissions)


def _show(form: ShortlistEnquiryForm, refusal: DomainError) -> None:
    field = refusal.field
    if field == "consent":
        field = consent_field_name(refusal.params["institute_id"])
    show_refusal(form, field, shortlist_refusal_message(refusal))


def _form_page(form: ShortlistEnquiryForm, status: int, failure: str | None = None):
    refusals = {course.id: service.closed_refusal(course) for course in form.listed}
    closed = {course_id: refusal_message(refusal) for course_id, refusal in refusals.items() if refusal}
    page = render_template("enquiries/shortlist_enquire.html", form=form, closed=closed, failure=failure)
    return page, status


def _confirm(submissions: list[service.Submission]):
    """Keep the references and tracking tokens of this send in the session, then confirm."""
    known = dict(session.get(SESSION_SENT, []))
    session[SESSION_SENT] = [
        [s.enquiry.reference, s.token or known.get(s.enquiry.reference)] for s in submissions
    ]
    return redirect(url_for(".sent"), 303)


@bp.get("/shortlist/enquiries/sent")
def sent():
    """Each enquiry of this browser's last send: course, institute, reference, tracking link."""
    sent_here = session.get(SESSION_SENT) or []
    rows = []
    for reference, token in sent_here:
        enquiry = enquiry_by_reference(db.session, reference)
        if enquiry is None:
            continue
        link = url_for("enquiries.track", reference=reference, token=token, _external=True) if token else None
        rows.append((enquiry, link))
    if not rows:
        abort(404, description=NOT_FOUND)
    return render_template("enquiries/shortlist_sent.html", rows=rows)
