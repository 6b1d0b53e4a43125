"""Trigram index on course titles (PostgreSQL), for the search box's suggestions

The suggestions narrow course titles with ILIKE on each typed word's first letters; without this
index a prefix that is rare in titles read the whole courses table. SQLite answers suggestions
from its FTS5 title column and needs nothing.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 18:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_courses_title_trgm ON courses USING gin (title gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_courses_title_trgm")
