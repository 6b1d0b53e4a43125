"""Static files: content-hashed addresses with a year's cache lifetime; compressed responses."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

from catalog import create_app
from catalog.assets import HASHED_CACHE_CONTROL, static_hash
from tests.builders import make_course, make_institute, make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def stylesheet_url(client) -> str:
    html = client.get("/about").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)">', html).group(1)


def test_pages_link_the_stylesheet_by_its_content_hash(client):
    assert re.fullmatch(r"/static/css/site\.css\?v=[0-9a-f]{12}", stylesheet_url(client))


def test_hashed_static_url_is_cached_for_a_year_and_immutable(client):
    response = client.get(stylesheet_url(client))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == HASHED_CACHE_CONTROL
    assert "Expires" not in response.headers


@pytest.mark.parametrize("query", ["", "?v=0123456789ab"], ids=["no hash", "an old hash"])
def test_static_file_without_its_current_hash_gets_a_short_lifetime(client, query):
    response = client.get(f"/static/css/site.css{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_static_hash_changes_when_the_file_changes(tmp_path):
    def hash_in_a_new_process(content: str) -> tuple[str, str]:
        (tmp_path / "site.css").write_text(content)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/unused.sqlite3"})
        app.static_folder = str(tmp_path)
        with app.test_request_context():
            first = static_hash("site.css")
            (tmp_path / "site.css").write_text(content + "/* edited while running */")
            # Computed once per process: a running process keeps the hash it first computed.
            assert static_hash("site.css") == first
        return first

    assert hash_in_a_new_process("body { color: red; }") != hash_in_a_new_process("body { color: blue; }")


def test_every_template_links_static_files_through_static_url():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"url_for\(\s*['\"]static['\"]", text), f"{template}: use static_url()"


def test_pages_are_gzipped_when_the_client_accepts_gzip(client):
    response = client.get("/about", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"No hidden fees" in gzip.decompress(response.data)


def test_pages_use_brotli_when_the_client_accepts_it(client):
    response = client.get("/about", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert b"No hidden fees" in brotli.decompress(response.data)


def test_pages_are_not_compressed_for_clients_that_do_not_ask(client):
    response = client.get("/about")
    assert "Content-Encoding" not in response.headers
    assert b"No hidden fees" in response.data


def test_static_files_are_compressed_too(client):
    response = client.get(stylesheet_url(client), headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b":root" in gzip.decompress(response.data)


def test_a_signed_in_page_is_not_compressed(client, db, auth):
    # BREACH: a signed-in account's CSRF token must not sit compressed beside reflected input.
    auth.login(make_user(make_institute()))
    response = client.get("/courses?q=mlops", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert b'name="csrf_token"' in response.data
    assert "Content-Encoding" not in response.headers


def test_a_private_no_store_page_is_not_compressed(client):
    response = client.get("/portal/login?next=/portal/", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Encoding" not in response.headers


def test_a_visitors_course_page_is_compressed_with_its_forms(client, db):
    # A visitor's token guards only what anyone may send anyway (SECURITY.md, "Compression").
    course = make_course()
    response = client.get(f"/courses/{course.slug}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'name="csrf_token"' in gzip.decompress(response.data)
