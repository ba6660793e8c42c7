"""security events: a log of logins, password changes and other security events; login failures per account

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

KINDS = ('login', 'login_failed', 'login_delayed', 'logout', 'password_reset_requested', 'password_reset',
         'password_changed', 'user_created', 'user_disabled', 'role_changed', 'privacy_export', 'privacy_erase',
         'feed_rotated', 'feed_revoked')


def upgrade() -> None:
    op.create_table('security_events',
    sa.Column('at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='securityeventkind', native_enum=False, length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_security_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index('ix_security_events_at', ['at'], unique=False)
        batch_op.create_index('ix_security_events_kind_at', ['kind', 'at'], unique=False)
        batch_op.create_index('ix_security_events_user_id_at', ['user_id', 'at'], unique=False)

    # the old per-address counter also counted reset requests: start the new counters afresh
    op.execute(sa.text('DELETE FROM login_attempts'))
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.create_index('ix_login_attempts_account_hash_address_at', ['account_hash', 'address', 'at'], unique=False)

    # the account lock (an outsider could trigger it) gives way to delays per address and account
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', planner.db.UTCDateTime(), nullable=True))

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_account_hash_address_at')
        batch_op.drop_column('account_hash')

    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index('ix_security_events_user_id_at')
        batch_op.drop_index('ix_security_events_kind_at')
        batch_op.drop_index('ix_security_events_at')

    op.drop_table('security_events')
