"""Vocabulary redirects: the old slugs of renamed and merged topics, tools and areas

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:16:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vocabulary_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('old_slug', sa.String(length=80), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vocabulary_redirects')),
    sa.UniqueConstraint('kind', 'old_slug', name=op.f('uq_vocabulary_redirects_kind'))
    )
    with op.batch_alter_table('vocabulary_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vocabulary_redirects_term_id'), ['term_id'], unique=False)


def downgrade():
    with op.batch_alter_table('vocabulary_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vocabulary_redirects_term_id'))

    op.drop_table('vocabulary_redirects')
