from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from planner import migrate
from planner.db import Base, make_engine


def test_migrations_reach_head_and_match_the_models(backend):
    engine = make_engine(backend.empty_url())
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_twice_changes_nothing(backend):
    engine = make_engine(backend.empty_url())
    try:
        migrate.upgrade(engine)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
    finally:
        engine.dispose()
