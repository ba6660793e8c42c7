"""search: one search document per plan, activity, audience, core message, partner and channel, with the
database's own full-text index (PostgreSQL: GIN on a stored Dutch tsvector; SQLite: an FTS5 table), filled
for the rows that exist

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 14:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# Kept equal to planner.models.search (FTS_TABLE, PG_INDEX, PG_COLUMN).
PG_INDEX = 'ix_search_documents_fts'
# A stored generated column: PostgreSQL computes the Dutch tsvector once per write, not again for every match
# it ranks (an expression index alone makes each query recompute it for every row found).
PG_COLUMN = 'search_vector'
PG_EXPRESSION = "to_tsvector('dutch', title || ' ' || body)"
FTS_TABLE = 'search_fts'
SQLITE_SYNC = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(terms, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END",
    f"CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    f"CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) VALUES ('delete', old.id, old.terms); "
    f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END",
)

# kind, table, title expression, searched fields (as planner.models.search.INDEXED at this revision)
SOURCES = (
    ('plan', 'plans', 'title', ('theme', 'summary', 'introduction', 'goal', 'strategy')),
    ('activity', 'activities', 'title', ('description', 'owner_name')),
    ('audience', 'audiences', 'name', ('description',)),
    ('message', 'key_messages', 'title', ('body',)),
    ('partner', 'partners', None, ('role',)),
    ('channel', 'channels', 'name', ()),
)


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('entity_uuid', sa.Uuid(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_search_documents_plan_id_plans'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('entity_uuid', name=op.f('uq_search_documents_entity_uuid'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_plan_id_kind', ['plan_id', 'kind'], unique=False)
    connection = op.get_bind()
    if connection.dialect.name == 'postgresql':
        op.execute(f"ALTER TABLE search_documents ADD COLUMN {PG_COLUMN} tsvector "
                   f"GENERATED ALWAYS AS ({PG_EXPRESSION}) STORED")
        op.execute(f"CREATE INDEX {PG_INDEX} ON search_documents USING gin ({PG_COLUMN})")
    elif connection.dialect.name == 'sqlite':
        for statement in SQLITE_SYNC:
            op.execute(statement)
    _backfill(connection)


def _backfill(connection) -> None:
    from planner.models.search import dutch_stems

    documents = sa.table('search_documents', *(sa.column(name) for name in (
        'kind', 'entity_id', 'plan_id', 'title', 'body', 'terms')), sa.column('entity_uuid', sa.Uuid))
    for kind, table, title_field, fields in SOURCES:
        source = sa.table(table, sa.column('id'), sa.column('uuid', sa.Uuid), *(sa.column(f) for f in fields),
                          *([sa.column('plan_id')] if kind != 'plan' else []),
                          *([sa.column(title_field)] if title_field else [sa.column('organisation_id')]))
        if title_field is None:
            organisations = sa.table('organisations', sa.column('id'), sa.column('name'))
            query = sa.select(source, organisations.c.name.label('search_title')).join(
                organisations, organisations.c.id == source.c.organisation_id)
        else:
            query = sa.select(source, source.c[title_field].label('search_title'))
        rows = []
        for row in connection.execute(query).mappings():
            title = row['search_title'] or ''
            body = "\n".join(row[f] for f in fields if row[f])
            rows.append({'kind': kind, 'entity_uuid': row['uuid'], 'entity_id': row['id'],
                         'plan_id': row['id'] if kind == 'plan' else row['plan_id'], 'title': title[:300],
                         'body': body, 'terms': " ".join(dutch_stems(f"{title}\n{body}"))})
            if len(rows) == 1000:
                connection.execute(documents.insert(), rows)
                rows = []
        if rows:
            connection.execute(documents.insert(), rows)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        for trigger in ('search_documents_ai', 'search_documents_ad', 'search_documents_au'):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif connection.dialect.name == 'postgresql':
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_plan_id_kind')
    op.drop_table('search_documents')
