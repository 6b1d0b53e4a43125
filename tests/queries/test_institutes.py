"""Reads about institutes: the list by area, and what "Online" means there."""

from __future__ import annotations

from catalog.models import CourseStatus, InstituteStatus, Mode
from catalog.queries.institutes import areas_with_institutes, institutes_with_counts
from tests.builders import make_area, make_campus, make_course, make_institute


def names(rows) -> list[str]:
    return sorted(row.institute.name for row in rows)


def test_online_area_lists_institutes_with_a_course_taught_online_or_hybrid(db):
    make_area(name="Online", slug="online", latitude=None, longitude=None)
    hitec = make_area(name="HITEC City", slug="hitec-city")
    classroom_only = make_institute(name="Classroom Only")
    make_campus(classroom_only, hitec)
    make_course(institute=classroom_only, mode=Mode.CLASSROOM)
    hybrid = make_institute(name="Hybrid Too")
    make_campus(hybrid, hitec)
    make_course(institute=hybrid, mode=Mode.HYBRID)
    make_course(institute=make_institute(name="Online Only"), mode=Mode.ONLINE)
    assert names(institutes_with_counts(db.session, area_slug="online")) == ["Hybrid Too", "Online Only"]


def test_online_area_ignores_courses_learners_cannot_see(db):
    make_course(institute=make_institute(name="Draft Online"), mode=Mode.ONLINE, status=CourseStatus.DRAFT)
    pending = make_institute(name="Pending Online", status=InstituteStatus.PENDING)
    make_course(institute=pending, mode=Mode.ONLINE)
    assert institutes_with_counts(db.session, area_slug="online") == []


def test_an_institute_without_campuses_is_not_online_unless_it_teaches_online(db):
    make_course(institute=make_institute(name="No Campus Yet"), mode=Mode.CLASSROOM)
    assert institutes_with_counts(db.session, area_slug="online") == []


def test_area_filter_lists_institutes_with_a_campus_there(db):
    ameerpet = make_area(name="Ameerpet", slug="ameerpet")
    there = make_institute(name="There")
    make_campus(there, ameerpet)
    make_institute(name="Elsewhere")
    assert names(institutes_with_counts(db.session, area_slug="ameerpet")) == ["There"]


def test_areas_list_online_last(db):
    make_area(name="Online", slug="online", latitude=None, longitude=None)
    make_campus(make_institute(), make_area(name="Madhapur", slug="madhapur"))
    assert [area.slug for area in areas_with_institutes(db.session)] == ["madhapur", "online"]
