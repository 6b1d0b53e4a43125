"""Learner reports

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:15:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('institute_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('wrong-fee', 'batch-not-running', 'misleading-claim', 'other', name='reportreason', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('status', sa.Enum('new', 'resolved', 'dismissed', name='reportstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(course_id IS NULL) <> (institute_id IS NULL)', name=op.f('ck_listing_reports_one_listing')),
    sa.CheckConstraint("(status = 'new') = (resolved_at IS NULL)", name=op.f('ck_listing_reports_closed_has_time')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_listing_reports_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institute_id'], ['institutes.id'], name=op.f('fk_listing_reports_institute_id_institutes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_listing_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_reports'))
    )
    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_reports_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_reports_institute_id'), ['institute_id'], unique=False)
        batch_op.create_index('ix_listing_reports_status_created', ['status', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_reports_status_created')
        batch_op.drop_index(batch_op.f('ix_listing_reports_institute_id'))
        batch_op.drop_index(batch_op.f('ix_listing_reports_course_id'))

    op.drop_table('listing_reports')
