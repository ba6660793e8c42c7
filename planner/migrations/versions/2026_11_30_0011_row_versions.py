"""row versions: every row people edit carries a version counter that each UPDATE checks and bumps

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 03:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

TABLES = (
    'activities', 'audiences', 'channels', 'checklist_items', 'contact_persons', 'decisions', 'embargoes',
    'key_messages', 'message_translations', 'moments', 'observances', 'observations', 'organisations', 'partners',
    'phases', 'plans', 'subscriptions',
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('row_version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('row_version')
