"""single sign-on: a user's provider and subject, break-glass administrators, sessions started by the provider

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 06:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('break_glass', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_unique_constraint(batch_op.f('uq_users_oidc_issuer'), ['oidc_issuer', 'oidc_subject'])

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via_sso', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('oidc_sid', sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_sessions_oidc_sid'), ['oidc_sid'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_oidc_sid'))
        batch_op.drop_column('oidc_sid')
        batch_op.drop_column('via_sso')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_oidc_issuer'), type_='unique')
        batch_op.drop_column('break_glass')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
