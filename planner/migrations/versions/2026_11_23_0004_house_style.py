"""house style

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:26:04.015022
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('primary_colour', sa.String(length=7), nullable=False, server_default='#154273'))
        batch_op.add_column(sa.Column('font', sa.String(length=60), nullable=False, server_default='Calibri'))
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('logo')
        batch_op.drop_column('font')
        batch_op.drop_column('primary_colour')

