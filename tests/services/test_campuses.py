"""The campus service: one campus per area of the city, and when a campus may be deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.models import AuditEntry, BatchStatus, Campus
from catalog.services.campuses import CampusChanges, apply_campus, delete_campus
from catalog.services.errors import DomainError
from tests.builders import make_area, make_batch, make_campus, make_course, make_institute
from tests.helpers import search_titles


@pytest.fixture
def institute(db):
    return make_institute()


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value


def test_campus_add_edit_and_delete_are_audited(db, institute):
    madhapur, kondapur = make_area(name="Madhapur"), make_area(name="Kondapur")
    outcome = apply_campus(db.session, None, institute, CampusChanges(madhapur.id, "Plot 7, Ayyappa Society"))
    campus = outcome.record
    assert (outcome.code, outcome.params) == ("campus-saved", {"area": "Madhapur"})
    assert (campus.institute_id, campus.area_id) == (institute.id, madhapur.id)
    apply_campus(db.session, None, institute, CampusChanges(kondapur.id, "Botanical Garden Rd"), campus)
    assert (campus.area_id, campus.address) == (kondapur.id, "Botanical Garden Rd")
    assert delete_campus(db.session, None, campus).params == {"area": "Kondapur"}
    assert db.session.scalar(select(func.count(Campus.id))) == 0
    assert db.session.scalars(select(AuditEntry.action)).all() == ["create", "update", "delete"]


def test_second_campus_in_the_same_area_is_refused(db, institute):
    area = make_area(name="Gachibowli")
    make_campus(institute, area)
    refused = refusal(
        lambda: apply_campus(db.session, None, institute, CampusChanges(area.id, "Another road"))
    )
    assert (refused.code, refused.field, refused.params) == (
        "campus-area-taken",
        "area",
        {"area": "Gachibowli"},
    )
    assert db.session.scalar(select(func.count(Campus.id))) == 1


def test_a_campus_cannot_be_online(db, institute):
    online = make_area(name="Online", slug="online")
    refused = refusal(lambda: apply_campus(db.session, None, institute, CampusChanges(online.id, "Zoom")))
    assert (refused.code, refused.field) == ("area-not-in-city", "area")


@pytest.mark.parametrize("seats_left", [10, 0], ids=["open", "full"])
def test_campus_with_a_batch_still_to_run_cannot_be_deleted(db, institute, seats_left):
    campus = make_campus(institute, make_area())
    course = make_course(institute=institute, campuses=[campus])
    batch = make_batch(course, starts_in_days=20, campus=campus, seats_left=seats_left)
    refused = refusal(lambda: delete_campus(db.session, None, campus))
    assert (refused.code, refused.params) == ("campus-in-use", {"start_dates": (batch.start_date,)})
    assert db.session.get(Campus, campus.id) is not None


def test_campus_whose_batches_have_started_or_closed_can_be_deleted(db, institute):
    campus = make_campus(institute, make_area())
    course = make_course(institute=institute)
    make_batch(course, starts_in_days=-5, campus=campus)
    make_batch(course, starts_in_days=20, campus=campus, status=BatchStatus.CLOSED)
    delete_campus(db.session, None, campus)
    assert db.session.scalar(select(func.count(Campus.id))) == 0


def test_deleting_a_campus_removes_it_from_courses(db, institute):
    campus = make_campus(institute, make_area(name="Kukatpally"))
    course = make_course(institute=institute, campuses=[campus], title="Edge MLOps")
    assert search_titles(db, "kukatpally") == ["Edge MLOps"]
    delete_campus(db.session, None, campus)
    db.session.expire_all()
    assert course.campuses == []
    assert search_titles(db, "kukatpally") == []
