"""region feeds: a subscription follows one plan or the merged calendar of one region

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 17:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.alter_column('plan_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_subscriptions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_subscriptions_organisation_id_organisations'), 'organisations',
                                    ['organisation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(batch_op.f('ck_subscriptions_plan_or_region'),
                                         '(plan_id IS NULL) <> (organisation_id IS NULL)')


def downgrade() -> None:
    # A region's feed has no plan to belong to in the older schema: its links end.
    op.execute("DELETE FROM subscriptions WHERE plan_id IS NULL")
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_subscriptions_plan_or_region'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_subscriptions_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_subscriptions_organisation_id'))
        batch_op.alter_column('plan_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('organisation_id')
