"""feeds

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:59:35.771352
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feed_tombstones',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('deleted_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('audience_ids', sa.JSON(), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_feed_tombstones_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tombstones'))
    )
    with op.batch_alter_table('feed_tombstones', schema=None) as batch_op:
        batch_op.create_index('ix_feed_tombstones_plan_id_deleted_at', ['plan_id', 'deleted_at'], unique=False)

    op.create_table('subscriptions',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('scope', sa.Enum('plan', 'partner', 'audience', 'person', 'filter', name='feedscope', native_enum=False, length=32), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('audience_id', sa.Integer(), nullable=True),
    sa.Column('person', sa.String(length=200), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('last_fetched_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('fetch_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['audience_id'], ['audiences.id'], name=op.f('fk_subscriptions_audience_id_audiences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_subscriptions_partner_id_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_subscriptions_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_subscriptions_token_hash')),
    sa.UniqueConstraint('uuid', name=op.f('uq_subscriptions_uuid'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))



def downgrade() -> None:
    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.drop_column('sequence')

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('sequence')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('sequence')

    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriptions_plan_id'))

    op.drop_table('subscriptions')
    with op.batch_alter_table('feed_tombstones', schema=None) as batch_op:
        batch_op.drop_index('ix_feed_tombstones_plan_id_deleted_at')

    op.drop_table('feed_tombstones')
