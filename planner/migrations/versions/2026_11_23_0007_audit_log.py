"""audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:11:13.032812
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('plan_uuid', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_uuid', sa.Uuid(), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_entity_uuid'), ['entity_uuid'], unique=False)
        batch_op.create_index('ix_audit_log_plan_uuid_at', ['plan_uuid', 'at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_plan_uuid_at')
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_uuid'))

    op.drop_table('audit_log')
