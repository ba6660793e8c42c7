"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:23:11.891886
"""

from alembic import op
import sqlalchemy as sa
import planner.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('municipality', 'region', 'partner', name='organisationkind', native_enum=False, length=32), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('school_region', sa.Enum('noord', 'midden', 'zuid', name='schoolregion', native_enum=False, length=32), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['organisations.id'], name=op.f('fk_organisations_region_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_organisations_uuid'))
    )
    op.create_table('plans',
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', name='planstatus', native_enum=False, length=32), nullable=False),
    sa.Column('phase', sa.Enum('initiative', 'preparation', 'execution', name='phasekey', native_enum=False, length=32), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('strategy', sa.Text(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('checklist_template', sa.String(length=80), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_plans_period')),
    sa.ForeignKeyConstraint(['owner_id'], ['organisations.id'], name=op.f('fk_plans_owner_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['parent_id'], ['plans.id'], name=op.f('fk_plans_parent_id_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('slug', name=op.f('uq_plans_slug')),
    sa.UniqueConstraint('uuid', name=op.f('uq_plans_uuid'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_parent_id'), ['parent_id'], unique=False)

    op.create_table('audiences',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.Enum('general_public', 'specific_group', 'professionals', 'field', name='audiencecategory', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('interest', sa.Integer(), nullable=True),
    sa.Column('influence', sa.Integer(), nullable=True),
    sa.Column('intensity', sa.Enum('inform', 'consult', 'involve', 'collaborate', name='intensity', native_enum=False, length=32), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('influence BETWEEN 1 AND 5', name=op.f('ck_audiences_influence_range')),
    sa.CheckConstraint('interest BETWEEN 1 AND 5', name=op.f('ck_audiences_interest_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_audiences_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audiences')),
    sa.UniqueConstraint('plan_id', 'name', name=op.f('uq_audiences_plan_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_audiences_uuid'))
    )
    with op.batch_alter_table('audiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audiences_plan_id'), ['plan_id'], unique=False)

    op.create_table('channels',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('letter', 'leaflet', 'press_release', 'advertisement', 'poster', 'information_meeting', 'email_website', 'local_media', 'newsletter', 'open_day', 'presentation', 'social_media', 'other', name='channelkind', native_enum=False, length=32), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('lead_time_days >= 0', name=op.f('ck_channels_lead_time_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_channels_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('plan_id', 'name', name=op.f('uq_channels_plan_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_channels_uuid'))
    )
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channels_plan_id'), ['plan_id'], unique=False)

    op.create_table('decisions',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('alignment', 'approval', name='decisionkind', native_enum=False, length=32), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('planned', 'done', name='decisionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_decisions_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_decisions_uuid'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_plan_id'), ['plan_id'], unique=False)

    op.create_table('moments',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('observance', 'milestone', 'campaign', 'meeting', 'other', name='momentkind', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_moments_period')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_moments_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moments')),
    sa.UniqueConstraint('uuid', name=op.f('uq_moments_uuid'))
    )
    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moments_plan_id'), ['plan_id'], unique=False)

    op.create_table('partners',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partners_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_partners_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('plan_id', 'organisation_id', name=op.f('uq_partners_plan_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_partners_uuid'))
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partners_plan_id'), ['plan_id'], unique=False)

    op.create_table('phases',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Enum('initiative', 'preparation', 'execution', name='phasekey', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_phases_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phases')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_phases_plan_id'))
    )
    with op.batch_alter_table('phases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phases_plan_id'), ['plan_id'], unique=False)

    op.create_table('audience_intermediaries',
    sa.Column('audience_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audience_id'], ['audiences.id'], name=op.f('fk_audience_intermediaries_audience_id_audiences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_audience_intermediaries_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('audience_id', 'partner_id', name=op.f('pk_audience_intermediaries'))
    )
    op.create_table('checklist_items',
    sa.Column('phase_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'done', 'not_applicable', name='checkliststatus', native_enum=False, length=32), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['phase_id'], ['phases.id'], name=op.f('fk_checklist_items_phase_id_phases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('uuid', name=op.f('uq_checklist_items_uuid'))
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_phase_id'), ['phase_id'], unique=False)

    op.create_table('contact_persons',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_contact_persons_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_persons')),
    sa.UniqueConstraint('uuid', name=op.f('uq_contact_persons_uuid'))
    )
    with op.batch_alter_table('contact_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_persons_partner_id'), ['partner_id'], unique=False)

    op.create_table('embargoes',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('audience_id', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.Date(), nullable=True),
    sa.Column('not_after', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('not_after IS NULL OR not_before IS NULL OR not_after >= not_before', name=op.f('ck_embargoes_period')),
    sa.CheckConstraint('not_before IS NOT NULL OR not_after IS NOT NULL', name=op.f('ck_embargoes_has_bound')),
    sa.ForeignKeyConstraint(['audience_id'], ['audiences.id'], name=op.f('fk_embargoes_audience_id_audiences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_embargoes_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_embargoes')),
    sa.UniqueConstraint('uuid', name=op.f('uq_embargoes_uuid'))
    )
    with op.batch_alter_table('embargoes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_embargoes_audience_id'), ['audience_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_embargoes_plan_id'), ['plan_id'], unique=False)

    op.create_table('key_messages',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('audience_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['audience_id'], ['audiences.id'], name=op.f('fk_key_messages_audience_id_audiences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_key_messages_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_messages')),
    sa.UniqueConstraint('uuid', name=op.f('uq_key_messages_uuid'))
    )
    with op.batch_alter_table('key_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_messages_audience_id'), ['audience_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_messages_plan_id'), ['plan_id'], unique=False)

    op.create_table('activities',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=True),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('reach', sa.Enum('external', 'internal', name='reach', native_enum=False, length=32), nullable=False),
    sa.Column('level', sa.Enum('regional', 'local', name='level', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_production', 'ready', 'done', 'cancelled', name='activitystatus', native_enum=False, length=32), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_activities_period')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_activities_channel_id_channels'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['key_messages.id'], name=op.f('fk_activities_message_id_key_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_activities_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['partners.id'], name=op.f('fk_activities_sender_id_partners'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('uuid', name=op.f('uq_activities_uuid'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_message_id'), ['message_id'], unique=False)
        batch_op.create_index('ix_activities_plan_id_starts_on', ['plan_id', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_sender_id'), ['sender_id'], unique=False)

    op.create_table('message_translations',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['key_messages.id'], name=op.f('fk_message_translations_message_id_key_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_translations')),
    sa.UniqueConstraint('message_id', 'language', name=op.f('uq_message_translations_message_id'))
    )
    with op.batch_alter_table('message_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_translations_message_id'), ['message_id'], unique=False)

    op.create_table('message_versions',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('replaced_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['key_messages.id'], name=op.f('fk_message_versions_message_id_key_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_versions')),
    sa.UniqueConstraint('message_id', 'version', name=op.f('uq_message_versions_message_id'))
    )
    with op.batch_alter_table('message_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_versions_message_id'), ['message_id'], unique=False)

    op.create_table('activity_audiences',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('audience_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_audiences_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['audience_id'], ['audiences.id'], name=op.f('fk_activity_audiences_audience_id_audiences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'audience_id', name=op.f('pk_activity_audiences'))
    )
    with op.batch_alter_table('activity_audiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_audiences_audience_id'), ['audience_id'], unique=False)

    op.create_table('observations',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('reach', 'reaction', 'question', 'adjustment', name='observationkind', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', planner.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', planner.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_observations_activity_id_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_observations_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('uuid', name=op.f('uq_observations_uuid'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_plan_id'), ['plan_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_plan_id'))
        batch_op.drop_index(batch_op.f('ix_observations_activity_id'))

    op.drop_table('observations')
    with op.batch_alter_table('activity_audiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_audiences_audience_id'))

    op.drop_table('activity_audiences')
    with op.batch_alter_table('message_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_versions_message_id'))

    op.drop_table('message_versions')
    with op.batch_alter_table('message_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_translations_message_id'))

    op.drop_table('message_translations')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_sender_id'))
        batch_op.drop_index('ix_activities_plan_id_starts_on')
        batch_op.drop_index(batch_op.f('ix_activities_message_id'))
        batch_op.drop_index(batch_op.f('ix_activities_channel_id'))

    op.drop_table('activities')
    with op.batch_alter_table('key_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_messages_plan_id'))
        batch_op.drop_index(batch_op.f('ix_key_messages_audience_id'))

    op.drop_table('key_messages')
    with op.batch_alter_table('embargoes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_embargoes_plan_id'))
        batch_op.drop_index(batch_op.f('ix_embargoes_audience_id'))

    op.drop_table('embargoes')
    with op.batch_alter_table('contact_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_persons_partner_id'))

    op.drop_table('contact_persons')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_items_phase_id'))

    op.drop_table('checklist_items')
    op.drop_table('audience_intermediaries')
    with op.batch_alter_table('phases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phases_plan_id'))

    op.drop_table('phases')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_plan_id'))
        batch_op.drop_index(batch_op.f('ix_partners_organisation_id'))

    op.drop_table('partners')
    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moments_plan_id'))

    op.drop_table('moments')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_plan_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channels_plan_id'))

    op.drop_table('channels')
    with op.batch_alter_table('audiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audiences_plan_id'))

    op.drop_table('audiences')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_parent_id'))
        batch_op.drop_index(batch_op.f('ix_plans_owner_id'))

    op.drop_table('plans')
    op.drop_table('organisations')
