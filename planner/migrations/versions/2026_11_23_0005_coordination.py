"""coordination

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:40:46.784009
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_snapshots',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', name='planstatus', native_enum=False, length=32), nullable=False),
    sa.Column('phase', sa.Enum('initiative', 'preparation', 'execution', name='phasekey', native_enum=False, length=32), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_snapshots_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_snapshots'))
    )
    with op.batch_alter_table('plan_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_snapshots_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_uuid', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('source_accepted_at', planner.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('overridden', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('audiences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_uuid', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('source_accepted_at', planner.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('overridden', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_uuid', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('source_accepted_at', planner.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('overridden', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_moment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('due_offset', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('due_unit', sa.Enum('days', 'working_days', name='offsetunit', native_enum=False, length=32), nullable=False, server_default='days'))
        batch_op.create_foreign_key(batch_op.f('fk_checklist_items_due_moment_id_moments'), 'moments', ['due_moment_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('key_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_uuid', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('source_accepted_at', planner.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('overridden', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('predecessor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_plans_predecessor_id_plans'), 'plans', ['predecessor_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plans_predecessor_id_plans'), type_='foreignkey')
        batch_op.drop_column('predecessor_id')
        batch_op.drop_column('evaluation')

    with op.batch_alter_table('key_messages', schema=None) as batch_op:
        batch_op.drop_column('overridden')
        batch_op.drop_column('source_accepted_at')
        batch_op.drop_column('source_uuid')

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checklist_items_due_moment_id_moments'), type_='foreignkey')
        batch_op.drop_column('due_unit')
        batch_op.drop_column('due_offset')
        batch_op.drop_column('due_moment_id')

    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_column('overridden')
        batch_op.drop_column('source_accepted_at')
        batch_op.drop_column('source_uuid')

    with op.batch_alter_table('audiences', schema=None) as batch_op:
        batch_op.drop_column('overridden')
        batch_op.drop_column('source_accepted_at')
        batch_op.drop_column('source_uuid')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('overridden')
        batch_op.drop_column('source_accepted_at')
        batch_op.drop_column('source_uuid')

    with op.batch_alter_table('plan_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_snapshots_plan_id'))

    op.drop_table('plan_snapshots')
