"""reminders: the outbox that sends each reminder once, and per-user digest preferences

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 14:11:42.886565
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminders',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('digest', 'coordinator_summary', name='reminderkind', native_enum=False, length=32), nullable=False),
    sa.Column('item', sa.String(length=64), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'superseded', 'empty', name='deliverystatus', native_enum=False, length=32), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('next_attempt_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('claimed_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('sent_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('user_id', 'kind', 'item', 'on_date', name='uq_reminders_key')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_mode', sa.Enum('daily', 'weekly', 'off', name='digestmode', native_enum=False, length=32), nullable=False, server_default='daily'))
        batch_op.add_column(sa.Column('digest_time', sa.Time(), nullable=False, server_default='07:30:00'))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('digest_time')
        batch_op.drop_column('digest_mode')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_status_next_attempt_at')

    op.drop_table('reminders')
