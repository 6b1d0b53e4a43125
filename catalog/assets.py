"""Static files: content-hashed addresses, their cache lifetimes, and ``/favicon.ico``.

``static_url('css/site.css')`` gives ``/static/css/site.css?v=<hash of the file>``. The hash
of each file is computed once per process, the first time a page asks for it, so a deploy
that changes a file changes its address. A request carrying the file's current hash may be
cached for a year and never revalidated; any other request for a static file (no hash, or
the hash of an older version) gets a short lifetime, so a stale copy cannot stick.
"""

from __future__ import annotations

import hashlib
import os
import threading

from flask import Flask, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

#: The cache lifetime of a static file asked for with its current content hash.
HASHED_CACHE_CONTROL = "public, max-age=31536000, immutable"
#: The cache lifetime of any other static file request, in seconds.
UNHASHED_MAX_AGE = 300
#: Hex digits of the SHA-256 content hash in a static address.
HASH_LENGTH = 12
_EXTENSION = "static_hashes"
_lock = threading.Lock()


def static_hash(filename: str) -> str | None:
    """The content hash of ``filename`` under the static folder (None when it is not a file)."""
    hashes: dict[str, str | None] = current_app.extensions[_EXTENSION]
    if filename not in hashes:
        with _lock:
            if filename not in hashes:
                hashes[filename] = _hash_file(current_app.static_folder, filename)
    return hashes[filename]


def _hash_file(folder: str | None, filename: str) -> str | None:
    if folder is None:
        return None
    path = os.path.join(folder, *filename.split("/"))
    if not os.path.isfile(path):
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()[:HASH_LENGTH]


def static_url(filename: str) -> str:
    """The address of a static file, with its content hash when the file exists."""
    digest = static_hash(filename)
    if digest is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=digest)


def _cache_static(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    response.headers.pop("Expires", None)
    if version and version == static_hash(filename):
        response.headers["Cache-Control"] = HASHED_CACHE_CONTROL
    else:
        response.headers["Cache-Control"] = f"public, max-age={UNHASHED_MAX_AGE}"
    return response


def favicon_ico() -> Response:
    """Browsers ask for ``/favicon.ico`` by themselves: send them to the SVG icon."""
    response = redirect(static_url("favicon.svg"), code=302)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def init_assets(app: Flask) -> None:
    """Offer ``static_url`` to templates, set static cache lifetimes, answer ``/favicon.ico``."""
    app.extensions[_EXTENSION] = {}
    app.add_template_global(static_url, "static_url")
    app.after_request(_cache_static)
    app.add_url_rule("/favicon.ico", "favicon", favicon_ico)
