"""Enquiry pages for learners (no account): send, confirm, track, withdraw.

The tracking token exists in clear only while the enquiry is created: it goes into the
learner's receipt email, and into the learner's own session (``flask.session``), keyed by
the enquiry's reference, so the confirmation page can show the private link. A second send of
the same form (double click, back and resend) finds the first enquiry and leads to the same
confirmation; if the session no longer holds the token (two sends racing each other), the
confirmation page says the link is in the receipt email instead. The confirmation page shows
nothing to a browser whose session did not send that enquiry. When the database is unavailable,
a sent form comes back with a 503 and everything typed, its submission key included, so
sending it again later stores the enquiry once.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import TooManyRequests

from catalog.enquiries.forms import EnquiryForm, WithdrawForm
from catalog.enquiries.messages import CLOSED, NOT_FOUND, NOT_SAVED, STATUS_WORDS, refusal_message
from catalog.enquiries.multiple import bp as shortlist_bp
from catalog.errors import (
    DATABASE_RETRY_AFTER,
    DATABASE_UNAVAILABLE,
    database_unavailable,
    release_session,
)
from catalog.extensions import db, limiter
from catalog.forms.fields import show_refusal
from catalog.models import Course, Enquiry
from catalog.models.contacts import normalise_email
from catalog.queries.courses import course_by_slug
from catalog.queries.enquiries import enquiry_by_reference, find_by_submission_key, find_enquiry
from catalog.ratelimits import take_from_limits
from catalog.services import enquiries as service
from catalog.services.errors import DomainError
from catalog.timeutil import local_today

bp = Blueprint("enquiries", __name__)
#: The shortlist's form that asks several institutes at once (``enquiries.shortlist.*``).
bp.register_blueprint(shortlist_bp)

#: What the learner reads when the database is unavailable as the enquiry arrives.
DATABASE_AWAY = (
    "Nothing was sent: the catalog cannot reach its database just now. Everything you typed is "
    "still here; please send it again in a minute."
)

SESSION_TOKENS = "enquiry_tokens"
#: How many of a browser's recent enquiries keep their confirmation page reachable.
SESSION_TOKENS_KEPT = 5


def _address_limits() -> str:
    return current_app.config["ENQUIRY_LIMITS_PER_ADDRESS"]


def _email_limits() -> str:
    return current_app.config["ENQUIRY_LIMITS_PER_EMAIL"]


@bp.app_template_global()
def enquiry_form_for(course: Course) -> EnquiryForm:
    """A fresh enquiry form for ``course``, for pages that embed it (the course page)."""
    return EnquiryForm(course, local_today(), formdata=None)


@bp.route("/courses/<slug>/enquire", methods=["GET", "POST"])
@limiter.limit(_address_limits, methods=["POST"])
def enquire(slug: str):
    """The enquiry form alone (GET), and where every enquiry form posts to (POST)."""
    course = course_by_slug(db.session, slug)
    if course is None:
        abort(404, description="No course has that address.")
    closed = service.closed_refusal(course)
    if closed:
        return _closed_page(closed)
    if request.method == "POST":
        earlier = find_by_submission_key(db.session, request.form.get("submission_key"))
        if earlier is not None:
            return _confirm(earlier, token=None)
    today = local_today()
    form = EnquiryForm(course, today)
    if request.method == "GET":
        _preselect_batch(form, request.args.get("batch"))
    valid = form.validate_on_submit()
    if request.method == "POST" and not form.form_errors:
        # Show the service's refusals beside the form's own, so one send reports everything.
        problems = service.enquiry_problems(course, form.to_command(), today)
        for problem in problems:
            _show(form, problem)
        valid = valid and not problems
    if not valid:
        return _form_page(form, course, 400 if request.method == "POST" else 200)
    # Counted only once the enquiry is valid, so a learner who mistypes is not locked out.
    wait = take_from_limits(_email_limits(), "enquiry-email", normalise_email(form.email.data))
    if wait is not None:
        raise TooManyRequests(retry_after=wait)
    try:
        result = service.submit_enquiry(
            db.session, course, form.to_command(), submission_key=form.submission_key.data, today=today
        )
    except DomainError as refusal:
        if refusal.code in CLOSED:
            return _closed_page(refusal)
        _show(form, refusal)
        return _form_page(form, course, 400)
    except service.EnquiryNotSaved:
        page, status = _form_page(form, course, 503, failure=NOT_SAVED)
        return page, status, DATABASE_RETRY_AFTER
    return _confirm(result.enquiry, token=result.token)


def _preselect_batch(form: EnquiryForm, batch_id: str | None) -> None:
    """Choose the batch a course page's "Enquire about this batch" link names (``?batch=<id>``).

    Only one of the form's own choices (an open batch of this course) is taken; any other value,
    a closed or another course's batch, or no number at all, leaves the form with no batch chosen.
    """
    if batch_id and any(choice.value == batch_id for choice in form.batch.choices):
        form.batch.data = batch_id


def _database_unavailable(error: Exception):
    """A sent enquiry comes back as typed, with a message, even if its course cannot be loaded."""
    if request.endpoint != "enquiries.enquire" or request.method != "POST":
        return database_unavailable(error)
    current_app.logger.warning("Enquiry not sent, database unavailable: %s", type(error).__name__)
    release_session()
    form = EnquiryForm(None, local_today())
    page = render_template(
        "enquiries/unavailable.html",
        form=form,
        course=None,
        slug=request.view_args["slug"],
        failure=DATABASE_AWAY,
    )
    return page, 503, DATABASE_RETRY_AFTER


for _error_class in DATABASE_UNAVAILABLE:
    bp.register_error_handler(_error_class, _database_unavailable)


def _show(form: EnquiryForm, refusal: DomainError) -> None:
    show_refusal(form, refusal.field, refusal_message(refusal))


def _closed_page(refusal: DomainError):
    return render_template("enquiries/closed.html", reason=refusal_message(refusal)), 404


def _form_page(form: EnquiryForm, course: Course, status: int, failure: str | None = None):
    return render_template("enquiries/enquire.html", form=form, course=course, failure=failure), status


def _session_tokens() -> dict[str, str | None]:
    """This browser's recent enquiries: reference -> tracking token (None if not known here)."""
    return {reference: token for reference, token in session.get(SESSION_TOKENS, [])}


def _confirm(enquiry: Enquiry, token: str | None):
    tokens = _session_tokens()
    if token or enquiry.reference not in tokens:
        tokens.pop(enquiry.reference, None)
        tokens[enquiry.reference] = token
        # A list keeps the order (the session's JSON sorts mapping keys), so the oldest go first.
        session[SESSION_TOKENS] = [[ref, value] for ref, value in tokens.items()][-SESSION_TOKENS_KEPT:]
    return redirect(url_for("enquiries.confirmation", reference=enquiry.reference), 303)


@bp.get("/enquiries/<reference>/sent")
def confirmation(reference: str):
    """The reference, the institute it went to and the private tracking link, once sent."""
    tokens = _session_tokens()
    if reference not in tokens:
        abort(404, description=NOT_FOUND)
    enquiry = enquiry_by_reference(db.session, reference)
    if enquiry is None:
        abort(404, description=NOT_FOUND)
    token = tokens[reference]
    tracking_url = None
    if token:
        tracking_url = url_for("enquiries.track", reference=reference, token=token, _external=True)
    return render_template("enquiries/confirmation.html", enquiry=enquiry, tracking_url=tracking_url)


def _own_enquiry_or_404(reference: str, token: str | None) -> Enquiry:
    enquiry = find_enquiry(db.session, reference, token)
    if enquiry is None:
        abort(404, description=NOT_FOUND)
    return enquiry


@bp.get("/enquiries/<reference>")
def track(reference: str):
    """The learner's own enquiry and its status, for whoever holds its tracking link."""
    token = request.args.get("token")
    enquiry = _own_enquiry_or_404(reference, token)
    return render_template(
        "enquiries/track.html",
        enquiry=enquiry,
        status=STATUS_WORDS[enquiry.status],
        form=WithdrawForm(formdata=None, token=token),
    )


@bp.post("/enquiries/<reference>/withdraw")
def withdraw(reference: str):
    """Withdraw the enquiry and erase the learner's personal data."""
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400, description="This request could not be checked. Please open your tracking link again.")
    enquiry = _own_enquiry_or_404(reference, form.token.data)
    service.withdraw_enquiry(db.session, enquiry)
    flash("Your enquiry was withdrawn and your personal data erased.", "info")
    return redirect(url_for("enquiries.track", reference=enquiry.reference, token=form.token.data), 303)
