"""Backing up the whole database to one file, and restoring the database from such a file.

SQLite is copied through its online backup API: the copy is one consistent state of the
database even while the app keeps writing, and it is written beside the target and moved into
place, so a failed backup never leaves half a file under the target's name. PostgreSQL is
dumped with ``pg_dump --format=custom`` and restored with ``pg_restore --clean --if-exists
--no-owner`` in a single transaction, on the app's own database URL; the password goes to them
in ``PGPASSWORD``, never on a command line other users can read.

A restore rebuilds the search index from the restored catalog and moves the search version, so
every process drops its facet snapshot of the data that was replaced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from catalog.search import rebuild_index

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
#: What the two kinds of backup file are called in messages.
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in plain words."""


def backup_database(
    engine: Engine, path: str | os.PathLike, *, pages: int = -1, progress: Callable | None = None
) -> str:
    """Write a backup of the database behind ``engine`` to ``path``; returns the backend's name.

    For SQLite, ``pages`` and ``progress`` are those of :meth:`sqlite3.Connection.backup` (the
    copy in steps of that many pages, with a call after each step).
    """
    target = _writable_target(Path(path))
    url = engine.url
    backend = url.get_backend_name()
    partial = target.with_name(target.name + ".partial")
    try:
        # Find out before any copying that the file can be made (root's permissions included).
        partial.touch()
        if backend == "sqlite":
            _sqlite_backup(_sqlite_file(url), partial, pages, progress)
        elif backend == "postgresql":
            _run_pg("pg_dump", ["--format=custom", f"--file={partial}"], url)
        else:
            raise BackupError(f"Backups of {backend} databases are not supported.")
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        raise BackupError(f"Cannot write the backup to {target}: {reason}.") from None
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
    return backend


def restore_database(engine: Engine, path: str | os.PathLike) -> str:
    """Replace the database behind ``engine`` by the backup at ``path``; returns the backend's name.

    The file must be a backup of the same kind of database. Connections pooled by ``engine`` are
    closed first (the caller's session must be closed too).
    """
    source = Path(path)
    url = engine.url
    backend = url.get_backend_name()
    kind = _backup_kind(source)
    if kind != backend:
        raise BackupError(
            f"{source} is a {KINDS[kind]} backup, but this catalog runs on {KINDS.get(backend, backend)}: "
            f"restore it into a catalog whose DATABASE_URL is a {KINDS[kind]} database."
        )
    engine.dispose()
    if backend == "sqlite":
        _sqlite_restore(source, _sqlite_file(url))
    else:
        _run_pg(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"],
            url,
            source,
        )
    engine.dispose()
    with engine.begin() as conn:
        rebuild_index(conn)
    return backend


def _writable_target(target: Path) -> Path:
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the name of the backup file to write.")
    folder = target.parent
    if not folder.is_dir():
        raise BackupError(f"Cannot write the backup to {target}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise BackupError(f"Cannot write the backup to {target}: permission denied.")
    return target


def _sqlite_file(url: URL) -> Path:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Only a SQLite database in a file can be backed up or restored.")
    file = Path(database)
    if not file.is_file():
        raise BackupError(f"The database file {file} does not exist.")
    return file


def _sqlite_backup(database: Path, target: Path, pages: int, progress: Callable | None) -> None:
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy, pages=pages, progress=progress)
        # One self-contained file: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode = DELETE")


def _backup_kind(source: Path) -> str:
    try:
        with source.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"There is no backup file at {source}.") from None
    except OSError as error:
        raise BackupError(f"Cannot read {source}: {error.strerror or error}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{source} is not a backup of this catalog (neither SQLite nor pg_dump's custom format)."
    )


def _sqlite_restore(source: Path, database: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                raise BackupError(f"{source} is a SQLite database, but not a backup of this catalog.")
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite's check failed); nothing was restored.")
            with closing(sqlite3.connect(database)) as live:
                backup.backup(live)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Could not restore from {source}: {error}.") from None


def _run_pg(program: str, options: list[str], url: URL, source: Path | None = None) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found: install the PostgreSQL client tools "
            "(the same major version as the server, or newer) and put them on PATH."
        )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # ``URL.set`` keeps a password given as None, so build the address without one.
    dsn = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    args = [executable, *options, f"--dbname={dsn}"]
    if source is not None:
        args.append(str(source))
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        reason = detail[-1] if detail else f"exit status {result.returncode}"
        raise BackupError(f"{program} failed, nothing was changed: {reason}")
