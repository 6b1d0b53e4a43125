"""Transactions of the write services: a lone write commits itself; several can share one.

A portal save calls one service, which commits its change together with its audit entry. A data
tool (the seed, later the importer) opens :func:`unit_of_work` and calls many services inside
it: each flushes, so later writes see earlier ones and the database checks every row as it goes,
but only the unit commits, once, at its end, and any error rolls all of it back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from catalog.search.index import reindex_once
from catalog.services.errors import DomainError, EditConflict

_DEPTH = "catalog.unit_of_work.depth"


@contextmanager
def unit_of_work(session: Session) -> Iterator[None]:
    """Commit everything written inside the block together at its end, or nothing on an error.

    A unit opened inside another joins it: only the outermost one commits or rolls back. A
    refusal raised inside a unit spoils the whole unit, so let it propagate out of the block.
    The search index is rewritten once, just before the commit, for every course the unit
    touched.
    """
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        if depth == 0:
            with reindex_once(session):
                yield
            session.commit()
        else:
            yield
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH] = depth


@contextmanager
def one_write(session: Session) -> Iterator[None]:
    """The block of one service's change: flushed, then committed unless a unit of work holds it.

    A course saved meanwhile by someone else (a stale version column) becomes
    :class:`EditConflict`; a unique-constraint clash (two people adding the same name at the
    same moment) becomes ``DomainError("record-clash")``, with the database's words as ``detail``.
    """
    try:
        with unit_of_work(session):
            yield
            session.flush()
    except StaleDataError:
        raise EditConflict() from None
    except IntegrityError as error:
        raise DomainError("record-clash", detail=str(error.orig)) from None
