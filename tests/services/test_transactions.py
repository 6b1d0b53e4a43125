"""Transactions: a lone write commits itself; writes inside a unit of work commit together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from catalog.models import AuditEntry, Instructor
from catalog.services.errors import DomainError
from catalog.services.instructors import InstructorChanges, apply_instructor
from catalog.services.transactions import unit_of_work
from tests.builders import make_institute


def stored_instructors(db) -> int:
    """Instructors committed, as another connection sees them."""
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count(Instructor.id)))


def test_a_lone_write_commits_with_its_audit_entry(db):
    apply_instructor(db.session, None, make_institute(), InstructorChanges("Ravi Kumar", 5))
    db.session.rollback()
    assert stored_instructors(db) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_writes_inside_a_unit_of_work_commit_together_at_its_end(db):
    institute = make_institute()
    with unit_of_work(db.session):
        apply_instructor(db.session, None, institute, InstructorChanges("Ravi Kumar", 5))
        apply_instructor(db.session, None, institute, InstructorChanges("Lakshmi Iyer", 12))
        assert db.session.scalar(select(func.count(Instructor.id))) == 2
        assert stored_instructors(db) == 0
    assert stored_instructors(db) == 2


def test_a_refusal_inside_a_unit_of_work_undoes_every_write_of_it(db):
    institute = make_institute()
    with pytest.raises(DomainError), unit_of_work(db.session):
        apply_instructor(db.session, None, institute, InstructorChanges("Ravi Kumar", 5))
        apply_instructor(db.session, None, institute, InstructorChanges("Ravi Kumar", 6))
    assert db.session.scalar(select(func.count(Instructor.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_unit_of_work_inside_another_joins_it(db):
    institute = make_institute()
    with unit_of_work(db.session):
        with unit_of_work(db.session):
            apply_instructor(db.session, None, institute, InstructorChanges("Ravi Kumar", 5))
        assert stored_instructors(db) == 0
    assert stored_instructors(db) == 1
