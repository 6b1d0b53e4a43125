"""The institute list's old area addresses: a renamed or merged area's slug in ``?area=`` leads,
permanently, to the list of the area that now answers for it, with the rest of the query kept."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from catalog.services import vocabulary
from tests.builders import make_area, make_campus, make_institute


def moved(response) -> tuple[str, dict[str, list[str]]]:
    """The path and query of a permanent redirect."""
    assert response.status_code == 301
    location = urlsplit(response.headers["Location"])
    return location.path, parse_qs(location.query)


def test_a_merged_areas_slug_redirects_to_the_survivors_list_keeping_the_page(client, db):
    survivor = make_area(name="HITEC City", slug="hitec-city")
    duplicate = make_area(name="Hitech City", slug="hitech-city")
    vocabulary.merge_terms(db.session, "area", duplicate.id, survivor.id, None)
    path, query = moved(client.get("/institutes?area=hitech-city&page=2"))
    assert path == "/institutes"
    assert query == {"area": ["hitec-city"], "page": ["2"]}


def test_a_renamed_areas_old_slug_redirects_to_its_new_one(client, db):
    area = make_area(name="Ameerpet", slug="ameerpet")
    vocabulary.rename_term(db.session, "area", area.id, "Ameerpet X Roads", "ameerpet-x-roads", None)
    assert moved(client.get("/institutes?area=ameerpet")) == ("/institutes", {"area": ["ameerpet-x-roads"]})


def test_the_survivors_list_shows_the_merged_areas_institutes(client, db):
    survivor = make_area(name="HITEC City", slug="hitec-city")
    duplicate = make_area(name="Hitech City", slug="hitech-city")
    make_campus(make_institute(name="Madhapur Institute"), duplicate)
    vocabulary.merge_terms(db.session, "area", duplicate.id, survivor.id, None)
    response = client.get("/institutes?area=hitech-city", follow_redirects=True)
    assert response.status_code == 200
    assert "Madhapur Institute" in response.get_data(as_text=True)


def test_a_live_or_unknown_area_slug_is_not_redirected(client, db):
    make_campus(make_institute(name="Ameerpet Institute"), make_area(name="Ameerpet", slug="ameerpet"))
    assert client.get("/institutes?area=ameerpet").status_code == 200
    assert client.get("/institutes?area=never-was").status_code == 200
