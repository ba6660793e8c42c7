"""api keys: keys with which programs use the API for one organisation, in one role and scope

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

ROLES = ('administrator', 'advisor', 'coordinator', 'reader')
SCOPES = ('read', 'read_write')


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum(*ROLES, name='role', native_enum=False, length=32), nullable=False),
    sa.Column('scope', sa.Enum(*SCOPES, name='apiscope', native_enum=False, length=32), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('last_used_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('window_started_at', planner.db.UTCDateTime(), nullable=True),
    sa.Column('window_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_keys_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_api_keys_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash')),
    sa.UniqueConstraint('uuid', name=op.f('uq_api_keys_uuid'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index('ix_api_keys_organisation_id_created_at', ['organisation_id', 'created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_api_keys_created_by_id'), ['created_by_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_created_by_id'))
        batch_op.drop_index('ix_api_keys_organisation_id_created_at')
    op.drop_table('api_keys')
