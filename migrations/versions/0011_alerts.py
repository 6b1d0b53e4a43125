"""Alerts about new batches, and extra headers on outbox messages

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.Enum('search', 'topic', 'course', name='alertkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('criteria_key', sa.String(length=64), nullable=False),
    sa.Column('link_nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('email', 'criteria_key', name=op.f('uq_alerts_email'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_email'), ['email'], unique=False)
        batch_op.create_index('ix_alerts_confirmed_sent', ['confirmed_at', 'last_sent_at'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('headers')

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_confirmed_sent')
        batch_op.drop_index(batch_op.f('ix_alerts_email'))

    op.drop_table('alerts')
