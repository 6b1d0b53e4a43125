"""Staleness reminders: when an admin last asked an institute to review a course's syllabus

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staleness_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_staleness_reminders_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_staleness_reminders_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staleness_reminders'))
    )
    with op.batch_alter_table('staleness_reminders', schema=None) as batch_op:
        batch_op.create_index('ix_staleness_reminders_course_sent', ['course_id', 'sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('staleness_reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_staleness_reminders_course_sent')

    op.drop_table('staleness_reminders')
