"""tombstone times: a deleted item's tombstone keeps its period, times and recurrence

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 00:45:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feed_tombstones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('start_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('end_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('recurrence', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('exdates', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('feed_tombstones', schema=None) as batch_op:
        batch_op.drop_column('exdates')
        batch_op.drop_column('recurrence')
        batch_op.drop_column('end_time')
        batch_op.drop_column('start_time')
        batch_op.drop_column('ends_on')
