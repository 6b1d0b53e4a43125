"""Refuse, before any page runs, request input that nothing can store or show.

Every request passes :func:`refuse_unstorable_input` (registered by ``create_app``): a path
segment, a query parameter's name or value, or a form field's name that holds a control
character (C0, DEL, C1), bytes that are not UTF-8, or a file part (no page takes uploads) is
answered 400 with a description that says what was wrong. A form field's *value* may hold the
white space of multi-line text (tab, CR, LF); other control characters in it are refused with
400 for JSON clients, but on an HTML form post they are removed from the value and recorded
(:func:`removed_characters`), so the form says so beside the field, shows what is left and
does not validate (see :class:`catalog.forms.base.CatalogForm`). So no view, form or service
ever sees such text, and neither database is asked to store it (PostgreSQL refuses NUL in text
outright). A record number in the address beyond any id answers 404 before a database is
asked about it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, g, has_app_context, request

from catalog.errors import wants_json

#: Never text: C0 controls, DEL and C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Form fields may hold the white space of multi-line text: tab, CR and LF.
FORM_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: How much of a field's name a description repeats.
NAME_CHARS = 40
#: The largest id a record can have (the id columns are 32-bit integers on PostgreSQL).
MAX_RECORD_ID = 2**31 - 1

#: What to do next, after what was wrong: form fields keep what was typed when the learner goes back.
CORRECT_ADDRESS = "Correct the address and try again."
CORRECT_FORM = "Go back to the form, remove it from that field and send the form again."

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: Where the guard keeps, for this request, the characters it removed from form field values.
_REMOVED = "unstorable_form_characters"


def register(app: Flask) -> None:
    """Run the guard before every other request hook of ``app``.

    First, because the limiter's keys and the CSRF check read the form, and once the form is
    parsed its raw bytes (the only place that tells bytes that are not UTF-8) are gone.
    """
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable_input)


def refuse_unstorable_input() -> None:
    """Abort with 400 when the path, query string or form holds what cannot be stored."""
    _check_path(_raw_path(request.environ))
    _check_query(request.environ.get("QUERY_STRING", ""))
    _check_record_ids(request.view_args or {})
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in _FORM_TYPES:
        _check_form()


def _wsgi_bytes(text: str) -> bytes:
    # WSGI hands over raw bytes as latin-1 code points; anything else came already decoded.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")


def _decoded(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _name(char: str) -> str:
    return unicodedata.name(char, "a control character").lower()


def describe_character(char: str) -> str:
    """A character as a message names it: ``U+0000, a control character``."""
    return f"U+{ord(char):04X}, {_name(char)}"


def removed_characters() -> dict[str, str]:
    """Per form field name, the first character the guard removed from its value in this request
    (empty when it removed none, or outside a request)."""
    return g.get(_REMOVED, {}) if has_app_context() else {}


def _character(text: str, pattern: re.Pattern) -> str | None:
    match = pattern.search(text)
    if match is None:
        return None
    char = match.group()
    return f"U+{ord(char):04X} ({_name(char)})"


def _refuse(where: str, what: str, advice: str = CORRECT_ADDRESS) -> None:
    abort(400, description=f"{where} {what}. {advice}")


def _raw_path(environ: dict) -> bytes:
    # The path as sent, where the server keeps it: PATH_INFO may already hold replacement
    # characters for bytes that were not UTF-8.
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    if uri.startswith("/"):
        return unquote_to_bytes(_wsgi_bytes(uri.partition("?")[0]))
    return _wsgi_bytes(environ.get("PATH_INFO", ""))


def _check_path(raw: bytes) -> None:
    path = _decoded(raw)
    if path is None:
        _refuse("The address", "holds bytes that are not UTF-8 text")
    found = _character(path, CONTROL_RE)
    if found:
        _refuse("The address", f"holds a character that cannot be stored, {found}")


def _check_query(query_string: str) -> None:
    _check_pairs(_wsgi_bytes(query_string), "query parameter", CONTROL_RE)


def _check_pairs(raw: bytes, kind: str, pattern: re.Pattern | None, advice: str = CORRECT_ADDRESS) -> None:
    """Refuse the first name or value of ``name=value&…`` that is not UTF-8, the first name that
    holds a control character, or the first value that holds a character ``pattern`` finds (the
    query string, or a form body as sent; no ``pattern``: values are checked later)."""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name_raw, _, value_raw = pair.partition(b"=")
        name = _decoded(unquote_to_bytes(name_raw.replace(b"+", b" ")))
        value = _decoded(unquote_to_bytes(value_raw.replace(b"+", b" ")))
        where = f"The {kind} “{_shown(name)}”" if name is not None else f"A {kind}"
        if name is None or value is None:
            _refuse(where, "holds bytes that are not UTF-8 text", advice)
        found = _character(name, CONTROL_RE) or (pattern and _character(value, pattern))
        if found:
            _refuse(where, f"holds a character that cannot be stored, {found}", advice)


def _check_record_ids(view_args: dict) -> None:
    # A number in the address beyond any id names no record; SQLite cannot even be asked about
    # one past 64 bits.
    if any(isinstance(value, int) and value > MAX_RECORD_ID for value in view_args.values()):
        abort(404, description="No record has that number.")


def _check_form() -> None:
    # An HTML form is answered beside its fields; a JSON client is told at once, as before.
    html = not wants_json()
    length = request.content_length
    if (
        request.mimetype == "application/x-www-form-urlencoded"
        and length is not None
        and length <= (request.max_form_memory_size or length)
    ):
        # Read before the form is parsed (which replaces bytes that are not UTF-8, and then keeps
        # no raw body); beyond the size limit the form parser answers 413 itself.
        raw = request.get_data(cache=True)
        _check_pairs(raw, "field", None if html else FORM_CONTROL_RE, CORRECT_FORM)
    if request.files:
        name = _shown(next(iter(request.files)))
        _refuse(f"The field “{name}”", "is a file, and this page takes no files", CORRECT_FORM)
    removed: dict[str, str] = {}
    pairs = []
    for name, value in request.form.items(multi=True):
        found = _character(name, CONTROL_RE) or (not html and _character(value, FORM_CONTROL_RE))
        if found:
            where = f"The field “{_shown(name)}”"
            _refuse(where, f"holds a character that cannot be stored, {found}", CORRECT_FORM)
        match = FORM_CONTROL_RE.search(value)
        if match:
            removed.setdefault(name, match.group())
            value = FORM_CONTROL_RE.sub("", value)
        pairs.append((name, value))
    if removed:
        setattr(g, _REMOVED, removed)
        # Every reader after this one (CSRF check, limiter keys, forms, views) sees only what is
        # left; the parsed form lives in the request's dict, where the form parser put it.
        request.__dict__["form"] = request.parameter_storage_class(pairs)
        request.__dict__.pop("values", None)


def _shown(name: str) -> str:
    """A field or parameter name as a description may repeat it: printable, and short."""
    printable = CONTROL_RE.sub("?", name)
    return printable if len(printable) <= NAME_CHARS else printable[:NAME_CHARS] + "…"
