"""First impressions: the favicon, our own 404 and 500 pages, the about and contact pages."""

from __future__ import annotations

import re

from catalog import create_app


def test_favicon_svg_is_linked_from_every_page_and_served(client):
    html = client.get("/about").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def test_favicon_ico_leads_to_the_svg_icon_instead_of_404(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"


def test_missing_page_says_so_and_offers_a_search_box(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We could not find that page" in html
    assert 'action="/courses"' in html and 'name="q"' in html and 'type="search"' in html


def test_missing_record_keeps_the_reason_its_view_gave(app, client):
    from flask import abort

    app.add_url_rule("/test-gone", "test_gone", lambda: abort(404, description="There is no such course."))
    html = client.get("/test-gone").get_data(as_text=True)
    assert "There is no such course." in html and 'name="q"' in html


def test_json_clients_still_get_the_same_json_404(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "error": {
            "status": 404,
            "title": "Not Found",
            "detail": "The requested URL was not found on the server. If you entered the URL manually "
            "please check your spelling and try again.",
        }
    }


def test_server_error_page_needs_no_database(tmp_path):
    # A database file that can never be opened: anything that asks it would fail.
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/catalog.sqlite3"})

    def explode():
        raise RuntimeError("a bug")

    app.add_url_rule("/test-broken", "test_broken", explode)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a session the database would have to look up"
    response = client.get("/test-broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert 'action="/courses"' in html and 'name="q"' in html
    assert "a bug" not in html


def test_json_clients_get_a_json_500(app, client):
    def explode():
        raise RuntimeError("a bug")

    app.add_url_rule("/test-broken", "test_broken", explode)
    response = client.get("/test-broken", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["error"]["status"] == 500


def test_about_page_states_the_promise_and_how_listings_are_checked(client):
    response = client.get("/about")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for words in (
        "No hidden fees",
        "No guaranteed-placement claims",
        "No stale batches",
        "How listings are checked",
        "For learners",
        "For institutes",
        "after 365 days",
    ):
        assert words in html
    assert 'href="/portal/register"' in html


def test_contact_page_gives_the_configured_address(app, client):
    app.config["CONTACT_EMAIL"] = "team@courses.example.in"
    html = client.get("/contact").get_data(as_text=True)
    assert 'href="mailto:team@courses.example.in"' in html


def test_contact_page_explains_listing_and_reporting(client):
    html = client.get("/contact").get_data(as_text=True)
    assert 'href="/portal/register"' in html
    assert "Report a problem with this listing" in html


def test_contact_address_defaults_to_a_placeholder(app):
    assert app.config["CONTACT_EMAIL"] == "hello@localhost"


def test_footer_links_to_about_and_contact(client):
    html = client.get("/privacy").get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/about"' in footer and 'href="/contact"' in footer
