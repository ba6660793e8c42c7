"""calendar anchoring recurrence observances

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:43:25.906922
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('school_holidays',
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('region', sa.Enum('noord', 'midden', 'zuid', name='schoolregion', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_school_holidays_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_holidays')),
    sa.UniqueConstraint('school_year', 'name', 'region', name=op.f('uq_school_holidays_school_year'))
    )
    op.create_table('observances',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_observances_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observances')),
    sa.UniqueConstraint('organisation_id', 'key', name=op.f('uq_observances_organisation_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_observances_uuid'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anchor_moment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('anchor_offset', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('anchor_unit', sa.Enum('days', 'working_days', name='offsetunit', native_enum=False, length=32), nullable=False, server_default='days'))
        batch_op.add_column(sa.Column('anchor_edge', sa.Enum('start', 'end', name='momentedge', native_enum=False, length=32), nullable=False, server_default='start'))
        batch_op.add_column(sa.Column('recurrence', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('exdates', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_activities_anchor_moment_id'), ['anchor_moment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_activities_anchor_moment_id_moments'), 'moments', ['anchor_moment_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('audiences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_education', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('embargoes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_before_moment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('not_after_moment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_embargoes_not_after_moment_id_moments'), 'moments', ['not_after_moment_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_embargoes_not_before_moment_id_moments'), 'moments', ['not_before_moment_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('ck_embargoes_has_bound'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_embargoes_has_bound'),
            'not_before IS NOT NULL OR not_after IS NOT NULL OR not_before_moment_id IS NOT NULL '
            'OR not_after_moment_id IS NOT NULL',
        )

    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('observance_key', sa.String(length=80), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.drop_column('observance_key')

    with op.batch_alter_table('embargoes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_embargoes_has_bound'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_embargoes_has_bound'), 'not_before IS NOT NULL OR not_after IS NOT NULL')
        batch_op.drop_constraint(batch_op.f('fk_embargoes_not_before_moment_id_moments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_embargoes_not_after_moment_id_moments'), type_='foreignkey')
        batch_op.drop_column('not_after_moment_id')
        batch_op.drop_column('not_before_moment_id')

    with op.batch_alter_table('audiences', schema=None) as batch_op:
        batch_op.drop_column('in_education')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_activities_anchor_moment_id_moments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_activities_anchor_moment_id'))
        batch_op.drop_column('exdates')
        batch_op.drop_column('recurrence')
        batch_op.drop_column('anchor_edge')
        batch_op.drop_column('anchor_unit')
        batch_op.drop_column('anchor_offset')
        batch_op.drop_column('anchor_moment_id')

    op.drop_table('observances')
    op.drop_table('school_holidays')
