"""Rate limits when their shared storage fails: counted per process, reported once a minute.

With ``REDIS_URL`` every process counts its limits in Redis. When Redis stops answering,
Flask-Limiter falls back to each process's memory (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``),
reports the failure through its ``flask-limiter`` logger, and goes back to Redis once it
answers again. This module turns those reports, and every request served while the fallback
lasts, into one error in the application's log at most once a minute instead of one a request,
and notes the recovery.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from flask_limiter import Limiter
from limits import parse_many
from werkzeug.wrappers import Response

from catalog.extensions import limiter

#: Seconds between two reports of the same outage.
REPORT_INTERVAL = 60.0
#: The start of each message Flask-Limiter logs when its storage fails
#: (``flask_limiter/_extension.py``: the fallback warning and the "Swallowing error" ones).
STORAGE_FAILURES = (
    "Rate limit storage unreachable",
    "Failed to rate limit",
    "Failed to update rate limit headers",
    "Failed to deduct rate limit",
)
_EXTENSION = "catalog.ratelimit_storage"


class ThrottledLog:
    """Logs an error at most once per ``interval`` seconds of ``clock``, counting what it held back."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = REPORT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self.held_back = 0
        self._last: float | None = None
        # Threaded workers serve several requests at once; two must not both log.
        self._lock = threading.Lock()

    def error(self, message: str) -> bool:
        """Log ``message`` unless the last one went out less than ``interval`` ago; True if logged."""
        with self._lock:
            now = self.clock()
            if self._last is not None and now - self._last < self.interval:
                self.held_back += 1
                return False
            if self.held_back:
                message = f"{message} ({self.held_back} more reports held back since the last one)"
            self._last = now
            self.held_back = 0
        self.logger.error(message)
        return True

    def reset(self) -> None:
        """Forget the last report, so the next one goes out at once (a new outage)."""
        with self._lock:
            self._last = None
            self.held_back = 0


class StorageWatch:
    """One app's view of its rate-limit storage: whether it is down, and the log that says so."""

    def __init__(
        self, logger: logging.Logger, storage: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.logger = logger
        self.storage = storage
        self.log = ThrottledLog(logger, REPORT_INTERVAL, clock)
        self.down = False

    def failed(self, reason: str = "") -> None:
        """The storage failed (again): report it, at most once a minute."""
        self.down = True
        detail = f" ({reason})" if reason else ""
        self.log.error(
            f"Rate-limit storage {self.storage} is unreachable{detail}: "
            "limits are counted in each process's memory until it answers again"
        )

    def answered(self) -> None:
        """The storage answers: if it was down, say that limits are shared again."""
        if self.down:
            self.down = False
            self.log.reset()
            self.logger.warning(f"Rate-limit storage {self.storage} answers again: limits are shared again")


def falls_back_to_memory(extension: Limiter) -> bool:
    """True while ``extension`` counts in its in-memory fallback instead of its configured storage."""
    return extension.initialized and extension.enabled and extension.limiter.storage is not extension.storage


def storage_watch(app: Flask) -> StorageWatch:
    """The ``StorageWatch`` of ``app`` (tests give its log a clock of their own)."""
    return app.extensions[_EXTENSION]


def storage_name(uri: str) -> str:
    """``uri`` without credentials or path, fit for a log line: ``redis://cache.internal:6379``."""
    parts = urlsplit(uri)
    if not parts.hostname:
        return f"{parts.scheme}://"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


class _StorageFailureFilter(logging.Filter):
    # Flask-Limiter reports each storage failure it meets (with a traceback when it swallows
    # one, which can be every request); the app's watch reports them once a minute instead.
    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith(STORAGE_FAILURES) or not has_app_context():
            return True
        watch = current_app.extensions.get(_EXTENSION)
        if watch is None:
            return True
        error = record.exc_info[1] if record.exc_info else None
        watch.failed(f"{type(error).__name__}: {error}" if error else "")
        return False


_FILTER = _StorageFailureFilter()


def init_ratelimits(app: Flask) -> None:
    """Watch ``app``'s rate-limit storage and report its failures through ``app.logger``."""
    watch = StorageWatch(app.logger, storage_name(app.config.get("RATELIMIT_STORAGE_URI") or "memory://"))
    app.extensions[_EXTENSION] = watch
    limiter.logger.addFilter(_FILTER)

    @app.after_request
    def watch_limit_storage(response: Response) -> Response:
        if falls_back_to_memory(limiter):
            watch.failed()
        else:
            watch.answered()
        return response


def take_from_limits(limits: str, *identifiers: str) -> int | None:
    """Count one use against each of ``limits`` ("3 per hour; 10 per day") for ``identifiers``,
    atomically in the limiter's storage; the seconds to wait when one of them is used up,
    None when all allow it.

    A view calls this at the moment a use is certain (a valid enquiry about to be stored), so
    that only real uses count, and concurrent requests cannot all pass a check made before any
    of them was counted, as a count taken after the answer would let them. When the storage
    fails, the use is allowed and the failure reported, as the limiter does for its own limits.
    """
    strategy = limiter.limiter
    identifiers = (current_app.config["RATELIMIT_KEY_PREFIX"], *identifiers)
    for item in parse_many(limits):
        try:
            allowed = strategy.hit(item, *identifiers)
            reset_at = None if allowed else strategy.get_window_stats(item, *identifiers).reset_time
        except Exception as error:
            storage_watch(current_app).failed(f"{type(error).__name__}: {error}")
            return None
        if not allowed:
            current_app.logger.info("ratelimit %s (%s) exceeded", item, ":".join(identifiers[1:]))
            return max(1, math.ceil(reset_at - time.time()))
    return None
