"""Moderation of listings: a course's last published form, and the reason a change was sent back

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:47:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_snapshot', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('approved_snapshot')
