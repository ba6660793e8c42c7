"""checklist items remember the day they were marked done, for the burn-up charts

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 18:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_on', sa.Date(), nullable=True))
    # Items done before this revision: the day of their last change is the best record there is.
    items = sa.table('checklist_items', sa.column('status', sa.String), sa.column('updated_at', sa.DateTime),
                     sa.column('completed_on', sa.Date))
    op.execute(items.update().where(items.c.status == 'done').values(completed_on=sa.func.date(items.c.updated_at)))


def downgrade() -> None:
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('completed_on')
