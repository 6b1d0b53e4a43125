"""Locks held by another process or connection, so a served app meets a busy database for real."""

from __future__ import annotations

import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

#: How long the lock holder may take to report that it holds the lock.
LOCKED_DEADLINE = 10.0

_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


@contextmanager
def sqlite_locked(database_url: str) -> Iterator[None]:
    """A second process holds ``BEGIN EXCLUSIVE`` on the SQLite file for the block.

    In WAL mode that stops every other write (each waits out the busy timeout, then gets
    "database is locked"); readers go on.
    """
    path = make_url(database_url).database
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([holder.stdout], [], [], LOCKED_DEADLINE)
        line = holder.stdout.readline() if ready else ""
        if line.strip() != "locked":
            raise RuntimeError(f"the lock holder did not lock the database: {holder.stderr.read()}")
        yield
    finally:
        if holder.poll() is None:
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=LOCKED_DEADLINE)


@contextmanager
def postgres_table_locked(database_url: str, table: str) -> Iterator[None]:
    """Another connection holds ``LOCK TABLE … IN EXCLUSIVE MODE``: reads go on, writes wait."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


def postgres_writes_waiting(database_url: str, table: str) -> int:
    """How many backends wait for a lock on ``table`` right now."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = CAST(:t AS regclass)"),
                {"t": table},
            )
    finally:
        engine.dispose()
