"""Refuse, before any page runs, request input that nothing can store or show.

Every request passes :func:`refuse_unstorable_input` (registered by ``create_app``): a path
segment, a query parameter's name or value, or a form field's name that holds a control
character (C0, DEL, C1), bytes that are not UTF-8, or a file part (only a page registered with
:func:`accept_files` takes one, in its own fields and up to its size limit) is answered 400
with a description that says what was wrong. A form field's *value* may hold the
white space of multi-line text (tab, CR, LF); other control characters in it are refused with
400 for JSON clients, but on an HTML form post they are removed from the value and recorded
(:func:`removed_characters`), so the form says so beside the field, shows what is left and
does not validate (see :class:`catalog.forms.base.CatalogForm`). So no view, form or service
ever sees such text, and neither database is asked to store it (PostgreSQL refuses NUL in text
outright). A record number in the address beyond any id answers 404 before a database is
asked about it.

The form's part of this is the parsing itself: ``create_app`` makes every request a
:class:`GuardedRequest`, whose parsed ``form`` is the cleaned one, whoever reads it first.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote_to_bytes

from flask import Flask, Request, abort, current_app, has_request_context, request
from werkzeug.exceptions import HTTPException

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
#: What a multipart body may hold besides its file: the other fields, the parts' headers.
UPLOAD_FORM_BYTES = 64 * 1024
#: The pages that take a file: endpoint -> (its file fields, the setting bounding the file's bytes).
_UPLOADS: dict[str, tuple[frozenset[str], str]] = {}


def accept_files(endpoint: str, fields: tuple[str, ...], limit_setting: str) -> None:
    """Let the page at ``endpoint`` take files in ``fields``, of at most the setting
    ``limit_setting`` bytes; a larger body is refused with 413 before it is read. Every other
    page still refuses file parts."""
    _UPLOADS[endpoint] = (frozenset(fields), limit_setting)


def upload_limit(endpoint: str | None) -> int | None:
    """The most bytes a file sent to ``endpoint`` may hold (None: the page takes no file)."""
    upload = _UPLOADS.get(endpoint or "")
    return None if upload is None else current_app.config[upload[1]]


class GuardedRequest(Request):
    """Flask's request, whose form holds only what can be stored.

    Parsing the form (on its first read; the guard reads it before any other hook) refuses with
    400 a body that is not UTF-8, a field name with a control character and a file part; then
    an HTML form's values lose their other control characters, the first one of each field
    recorded in :attr:`removed_characters`, while a JSON client's are refused. Every reader
    (CSRF check, limiter keys, forms, views) sees only what is left.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Per form field name, the first character the guard removed from its value.
        self.removed_characters: dict[str, str] = {}

    def load_form(self) -> None:
        """Parse, and so guard, the form now (once; later reads reuse it)."""
        self._load_form_data()

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        try:
            self._check_raw_form()
            limit = upload_limit(self.endpoint)
            if limit is not None:
                self.max_content_length = limit + UPLOAD_FORM_BYTES
            super()._load_form_data()
            self._check_file_parts()
            self.__dict__["form"] = self._cleaned_form(self.__dict__["form"])
        except HTTPException:
            # Refused: a hook that reads the form after the refusal finds it empty, not refused again.
            self.__dict__["form"] = self.parameter_storage_class()
            self.__dict__["files"] = self.parameter_storage_class()
            raise

    def _check_raw_form(self) -> None:
        """Refuse a urlencoded body that is not UTF-8 (or, for a JSON client, holds a control
        character), read before parsing: the parser replaces such bytes and keeps no raw body.
        Beyond the size limit the form parser answers 413 itself."""
        length = self.content_length
        if (
            self.mimetype == "application/x-www-form-urlencoded"
            and length is not None
            and length <= (self.max_form_memory_size or length)
        ):
            html = not wants_json()
            _check_pairs(self.get_data(cache=True), "field", None if html else FORM_CONTROL_RE, CORRECT_FORM)

    def _check_file_parts(self) -> None:
        """The file-part policy, in this one place: a file part is refused, but in the fields of
        a page that takes files (:func:`accept_files`)."""
        accepted = _UPLOADS.get(self.endpoint or "", (frozenset(), ""))[0]
        unexpected = [name for name in self.files if name not in accepted]
        if unexpected:
            what = "takes a file in another field" if accepted else "takes no files"
            _refuse(f"The field “{_shown(unexpected[0])}”", f"is a file, and this page {what}", CORRECT_FORM)

    def _cleaned_form(self, form):
        """The parsed form without the control characters of its values (refused for a JSON
        client, or in a field's name)."""
        html = not wants_json()
        removed: dict[str, str] = {}
        pairs = []
        for name, value in form.items(multi=True):
            found = _character(name, CONTROL_RE) or (not html and _character(value, FORM_CONTROL_RE))
            if found:
                where = f"The field “{_shown(name)}”"
                _refuse(where, f"holds a character that cannot be stored, {found}", CORRECT_FORM)
            match = FORM_CONTROL_RE.search(value)
            if match:
                removed.setdefault(name, match.group())
                value = FORM_CONTROL_RE.sub("", value)
            pairs.append((name, value))
        if not removed:
            return form
        self.removed_characters = removed
        return self.parameter_storage_class(pairs)


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
        request.load_form()


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
    return request.removed_characters if has_request_context() else {}


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


def _shown(name: str) -> str:
    """A field or parameter name as a description may repeat it: printable, and short."""
    printable = CONTROL_RE.sub("?", name)
    return printable if len(printable) <= NAME_CHARS else printable[:NAME_CHARS] + "…"
