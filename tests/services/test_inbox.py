"""The inbox service: the status workflow, its refusals as codes, one transaction, CSV cells."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from catalog.models import AuditEntry, Enquiry, EnquiryEvent, EnquiryStatus, InvalidReason
from catalog.services import inbox as inbox_service
from catalog.services.errors import DomainError
from catalog.services.inbox import TRANSITIONS, StatusChange, change_status, neutralise, refusal
from tests.builders import make_course, make_enquiry, make_user

S = EnquiryStatus


@pytest.fixture
def course(db):
    return make_course(title="MLOps with Kubeflow")


@pytest.fixture
def staff(course):
    return make_user(institute=course.institute, name="Lakshmi Rao")


def reload(db, enquiry: Enquiry) -> Enquiry:
    db.session.expire_all()
    return db.session.get(Enquiry, enquiry.id)


def refused(db, enquiry: Enquiry, staff, change: StatusChange) -> DomainError:
    """The refusal ``change_status`` raises; the enquiry must keep its status and history."""
    status = enquiry.status
    with pytest.raises(DomainError) as refusal_info:
        change_status(db.session, enquiry, staff, change)
    assert reload(db, enquiry).status == status
    assert db.session.scalars(select(EnquiryEvent)).all() == []
    return refusal_info.value


# The workflow, defined once


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_a_move_is_allowed_exactly_when_the_workflow_lists_it(current, target):
    allowed = current != S.WITHDRAWN and (target == current or target in TRANSITIONS[current])
    assert (refusal(current, target) is None) == allowed


def test_no_status_leads_back_to_new_or_into_withdrawn():
    for targets in TRANSITIONS.values():
        assert S.NEW not in targets
        assert S.WITHDRAWN not in targets


@pytest.mark.parametrize(
    ("current", "target", "code"),
    [
        (S.CONTACTED, S.NEW, "new-again"),
        (S.CONTACTED, S.WITHDRAWN, "withdraw-by-learner-only"),
        (S.WITHDRAWN, S.CONTACTED, "withdrawn"),
        (S.NEW, S.ENROLLED, "move-not-allowed"),
    ],
)
def test_each_refused_move_has_its_code_on_the_target_field(current, target, code):
    assert (refusal(current, target).code, refusal(current, target).field) == (code, "target")


def test_a_move_not_allowed_names_both_statuses():
    assert refusal(S.NEW, S.ENROLLED).params == {"current": S.NEW, "target": S.ENROLLED}


# Changing the status


def test_a_move_records_history_and_audit(db, staff, course):
    enquiry = make_enquiry(course)
    event = change_status(db.session, enquiry, staff, StatusChange(S.CONTACTED, note="Called."))
    assert (event.from_status, event.to_status, event.user_id, event.note) == (
        S.NEW,
        S.CONTACTED,
        staff.id,
        "Called.",
    )
    assert reload(db, enquiry).status == S.CONTACTED
    audit = db.session.scalars(select(AuditEntry)).one()
    assert (audit.action, audit.changes) == ("status", {"status": ["new", "contacted"]})


def test_service_refuses_invalid_without_reason_even_without_the_form(db, staff, course):
    enquiry = make_enquiry(course)
    error = refused(db, enquiry, staff, StatusChange(S.INVALID))
    assert (error.code, error.field) == ("reason-required", "reason")


def test_invalid_with_a_reason_stores_the_reason(db, staff, course):
    enquiry = make_enquiry(course)
    change_status(db.session, enquiry, staff, StatusChange(S.INVALID, reason=InvalidReason.SPAM))
    assert reload(db, enquiry).invalid_reason == InvalidReason.SPAM


def test_keeping_the_status_without_a_note_is_refused_on_the_note_field(db, staff, course):
    enquiry = make_enquiry(course, status=S.CONTACTED)
    error = refused(db, enquiry, staff, StatusChange(S.CONTACTED, note="   "))
    assert (error.code, error.field) == ("note-required", "note")


def test_a_note_alone_keeps_the_status_and_is_audited_as_a_note(db, staff, course):
    enquiry = make_enquiry(course, status=S.CONTACTED)
    change_status(db.session, enquiry, staff, StatusChange(S.CONTACTED, note="Call after 6 pm."))
    assert reload(db, enquiry).status == S.CONTACTED
    assert db.session.scalars(select(AuditEntry)).one().action == "note"


def test_a_change_made_since_the_page_was_shown_is_refused_with_the_status_now(db, staff, course):
    enquiry = make_enquiry(course, status=S.CLOSED)
    error = refused(db, enquiry, staff, StatusChange(S.CONTACTED, seen_status=S.NEW))
    assert (error.code, error.field, error.params) == ("changed-meanwhile", None, {"current": S.CLOSED})


def test_a_save_that_lost_a_race_is_refused_not_applied(db, staff, course):
    enquiry = make_enquiry(course)
    assert enquiry.status == S.NEW
    # The learner withdraws between this page's read and its save.
    db.session.execute(
        update(Enquiry)
        .where(Enquiry.id == enquiry.id)
        .values(status=S.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    error = refused(db, enquiry, staff, StatusChange(S.CONTACTED, note="Called."))
    assert (error.code, error.params) == ("changed-meanwhile", {})


def test_a_move_refused_by_the_workflow_is_raised_before_anything_is_written(db, staff, course):
    enquiry = make_enquiry(course)
    assert refused(db, enquiry, staff, StatusChange(S.ENROLLED)).code == "move-not-allowed"
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_a_withdrawn_enquiry_cannot_be_changed(db, staff, course):
    enquiry = make_enquiry(course, status=S.WITHDRAWN)
    assert refused(db, enquiry, staff, StatusChange(S.CONTACTED, note="Called.")).code == "withdrawn"


def test_status_change_and_history_and_audit_are_one_transaction(db, monkeypatch, staff, course):
    enquiry = make_enquiry(course)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(inbox_service, "record_change", broken_audit)
    with pytest.raises(RuntimeError):
        change_status(db.session, enquiry, staff, StatusChange(S.CONTACTED, note="Called."))
    assert reload(db, enquiry).status == S.NEW
    assert db.session.scalars(select(EnquiryEvent)).all() == []


# CSV cells


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+919876543210", "'+919876543210"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Priya = ready", "Priya = ready"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell, written):
    assert neutralise(cell) == written
