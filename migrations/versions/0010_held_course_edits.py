"""Held course edits: a published listing's edit waits for review beside the live listing

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_changes', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('held_changes')
