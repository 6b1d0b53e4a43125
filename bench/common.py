"""What the benchmarks share: percentiles, a fresh migrated database, and a generated catalog to
measure against."""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask
from flask_migrate import upgrade

from catalog import create_app
from catalog.data.generator import generate_catalog
from catalog.extensions import db


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.5 for p50, 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@contextmanager
def fresh_app(**config) -> Iterator[Flask]:
    """The app on a fresh, migrated SQLite database in a temporary folder, inside an app
    context (``config`` added to the app's settings)."""
    with tempfile.TemporaryDirectory(prefix="catalog-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'catalog.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only", **config})
        with app.app_context():
            upgrade()
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


@contextmanager
def generated_catalog(size: int, seed: int) -> Iterator[tuple[Flask, str, float]]:
    """A migrated SQLite catalog of ``size`` generated courses in a temporary folder, inside an
    app context: the app, the generator's summary and the seconds generating took."""
    with fresh_app() as app:
        started = time.perf_counter()
        summary = generate_catalog(db.session, size, seed)
        seconds = time.perf_counter() - started
        db.session.remove()
        yield app, summary, seconds
