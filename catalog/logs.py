"""Log lines that carry no personal data: masking, plain or JSON lines, and a request id.

Every line the application, Werkzeug's request log, Flask-Limiter or gunicorn writes passes
:class:`MaskingFilter`, which rewrites email addresses (``a***@d***``), phone numbers (all but
the last two digits starred) and secrets in links (``token=***``, ``/password/reset/***``,
long random strings) before any handler formats the record. ``LOG_FORMAT=json`` writes one
JSON object per line (time, level, logger, message, request id); the default is plain text.

Each request has an id: a well-formed incoming ``X-Request-ID`` header is kept (so a proxy's id
follows the request through), anything else is replaced by a new random one, and the response
echoes it in ``X-Request-ID``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import IO

from flask import Flask, g, has_request_context, request
from gunicorn import glogging

REQUEST_ID_HEADER = "X-Request-ID"
#: What an incoming request id may look like: short, printable, nothing a log reader could trip on.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] [%(request_id)s] %(message)s"

# A secret in a link: a query parameter named like one, the password-reset path, or a long
# random-looking run of URL-safe characters (the shape of every token the catalog issues).
_SECRET_PARAM_RE = re.compile(r"(?i)\b([\w-]*(?:token|key|secret|password|signature)=)[^&\s\"'#<>]+")
_RESET_PATH_RE = re.compile(r"(/password/reset/)[^/?#\s\"'<>]+")
_RANDOM_RUN_RE = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{32,}(?![\w-])")
_EMAIL_RE = re.compile(r"(?P<local>[\w.+-]+)(?:@|%40)(?P<domain>[\w-]+(?:\.[\w-]+)+)")
# International numbers (E.164 and written with spaces, also URL-encoded), then Indian mobile
# and landline numbers written without a country code.
_PHONE_RES = (
    re.compile(r"(?<![\w%])(?:\+|%2B)\d(?:[\s.()+-]|%20)*(?:\d(?:[\s.()+-]|%20)*){6,13}\d(?!\w)"),
    re.compile(r"(?<![\w+.:/-])(?:0|91)?[6-9]\d{4}[\s-]?\d{5}(?![\w.:/-])"),
    re.compile(r"(?<![\w+.:/-])0\d{2,4}[\s-]\d{6,8}(?![\w.:/-])"),
)


def _mask_random_run(match: re.Match) -> str:
    run = match.group(0)
    looks_random = (
        re.search(r"[A-Z]", run) and re.search(r"[a-z]", run) and re.search(r"\d", run) and "__" not in run
    )
    return "***" if looks_random else run


def _mask_email(match: re.Match) -> str:
    return f"{match.group('local')[0]}***@{match.group('domain')[0]}***"


def _mask_phone(match: re.Match) -> str:
    # Percent-escapes (``%2B``, ``%20``) are one unit each, so their digits stay as they are.
    parts = re.findall(r"%[0-9A-Fa-f]{2}|.", match.group(0), re.S)
    seen = 0
    masked = []
    for part in reversed(parts):
        if part.isdigit():
            seen += 1
            part = part if seen <= 2 else "*"
        masked.append(part)
    return "".join(reversed(masked))


def mask(text: str) -> str:
    """``text`` with email addresses, phone numbers and secrets in links masked."""
    text = _SECRET_PARAM_RE.sub(r"\1***", text)
    text = _RESET_PATH_RE.sub(r"\1***", text)
    text = _RANDOM_RUN_RE.sub(_mask_random_run, text)
    text = _EMAIL_RE.sub(_mask_email, text)
    for pattern in _PHONE_RES:
        text = pattern.sub(_mask_phone, text)
    return text


class MaskingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack in their masked form (once per record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "catalog_masked", False):
            return True
        record.msg, record.args = mask(record.getMessage()), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        record.catalog_masked = True
        return True


def current_request_id() -> str | None:
    """The id of the request being handled (assigned on first use), or None outside a request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


class TextFormatter(logging.Formatter):
    """``time LEVEL [logger] [request id] message``, with ``-`` outside a request."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = current_request_id() or "-"
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


class LogHandler(logging.Handler):
    """Writes formatted lines to ``stream``, or to whatever ``sys.stderr`` is at the time."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = self.stream or sys.stderr
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def installed_handler() -> LogHandler | None:
    """The handler :func:`init_logging` put on the root logger, if any."""
    return next((h for h in logging.getLogger().handlers if isinstance(h, LogHandler)), None)


def _add_masking(logger: logging.Logger, masking: MaskingFilter) -> None:
    if not any(isinstance(f, MaskingFilter) for f in logger.filters):
        logger.addFilter(masking)


def init_logging(app: Flask) -> None:
    """Send the app's, Werkzeug's and the libraries' records through one masked handler.

    A filter on a logger does not see records its children propagate, so the handler on the
    root logger masks too; the loggers keep their own filter for handlers others attach.
    """
    from flask.logging import default_handler

    masking = MaskingFilter()
    handler = LogHandler()
    handler.setFormatter(JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter())
    handler.addFilter(masking)
    root = logging.getLogger()
    previous = installed_handler()
    if previous is not None:
        root.removeHandler(previous)
    root.addHandler(handler)
    app.logger.removeHandler(default_handler)
    for name in (app.logger.name, "flask-limiter"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
    for logger in (root, app.logger, logging.getLogger("werkzeug"), logging.getLogger("flask-limiter")):
        _add_masking(logger, masking)

    @app.after_request
    def echo_request_id(response):
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response


class GunicornLogger(glogging.Logger):
    """Gunicorn's error and access logs, masked like the app's (``gunicorn.conf.py`` names it)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        masking = MaskingFilter()
        for logger in (self.error_log, self.access_log):
            _add_masking(logger, masking)
