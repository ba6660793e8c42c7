"""undo: the trash of deleted items, changes to many rows that can be undone, and batches in the audit log

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 14:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('undo_entries',
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('undone_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_undo_entries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_undo_entries_plan_id_plans'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_undo_entries')),
    sa.UniqueConstraint('uuid', name=op.f('uq_undo_entries_uuid'))
    )
    with op.batch_alter_table('undo_entries', schema=None) as batch_op:
        batch_op.create_index('ix_undo_entries_plan_id_at', ['plan_id', 'at'], unique=False)
        batch_op.create_index('ix_undo_entries_organisation_id_at', ['organisation_id', 'at'], unique=False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('batch')
    with op.batch_alter_table('undo_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_undo_entries_organisation_id_at')
        batch_op.drop_index('ix_undo_entries_plan_id_at')
    op.drop_table('undo_entries')
