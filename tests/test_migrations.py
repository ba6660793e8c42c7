from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest

from planner import migrate
from planner.db import Base, make_engine


def test_migrations_reach_head_and_match_the_models(backend):
    engine = make_engine(backend.empty_url())
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                    "include_name": migrate.include_name})
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


def _uuid(engine, n: int) -> str:
    """A UUID literal as each backend stores it (SQLite: 32 hex digits)."""
    import uuid

    value = uuid.UUID(int=n)
    return value.hex if engine.dialect.name == "sqlite" else str(value)


def test_upgrade_from_the_first_revision_keeps_existing_rows(backend):
    import sqlalchemy as sa

    engine = make_engine(backend.empty_url())
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, name, kind, uuid, created_at, updated_at) "
                "VALUES (1, 'Regio', 'region', :uuid, '2026-01-01', '2026-01-01')"), {"uuid": _uuid(engine, 1)})
            connection.execute(sa.text(
                "INSERT INTO plans (id, slug, title, theme, owner_id, starts_on, ends_on, status, phase, introduction, "
                "goal, strategy, checklist_template, uuid, created_at, updated_at) VALUES (1, 'p', 'P', '', 1, "
                "'2027-01-01', '2027-02-01', 'draft', 'initiative', '', '', '', '', :uuid, '2026-01-01', '2026-01-01')"),
                {"uuid": _uuid(engine, 2)})
            connection.execute(sa.text(
                "INSERT INTO activities (id, plan_id, title, description, notes, starts_on, reach, level, status, "
                "owner_name, uuid, created_at, updated_at) VALUES (1, 1, 'A', '', '', '2027-01-05', 'external', "
                "'local', 'planned', '', :uuid, '2026-01-01', '2026-01-01')"),
                {"uuid": _uuid(engine, 3)})
            connection.execute(sa.text(
                "INSERT INTO audiences (id, plan_id, name, category, description, intensity, languages, uuid, "
                "created_at, updated_at) VALUES (1, 1, 'Ouders', 'general_public', '', 'inform', '[]', :uuid, "
                "'2026-01-01', '2026-01-01')"),
                {"uuid": _uuid(engine, 4)})
            connection.execute(sa.text("INSERT INTO activity_audiences (activity_id, audience_id) VALUES (1, 1)"))
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT title FROM plans")).scalar_one() == "P"
            row = connection.execute(sa.text("SELECT anchor_offset, anchor_unit, recurrence FROM activities")).one()
            assert tuple(row) == (0, "days", "")
            # rebuilding tables on SQLite must not cascade into the rows that refer to them
            assert connection.execute(sa.text("SELECT count(*) FROM activity_audiences")).scalar_one() == 1
    finally:
        engine.dispose()


def _downgrade(engine, revision: str) -> None:
    """Step the schema back to `revision` as `migrate.upgrade` steps forward (SQLite: foreign keys off)."""
    from alembic import command

    config = migrate.alembic_config(engine)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, revision)


def test_region_feeds_migration_downgrades_and_upgrades_again(backend):
    import sqlalchemy as sa

    engine = make_engine(backend.empty_url())
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, name, kind, uuid, created_at, updated_at, row_version, "
                "primary_colour, font) VALUES (1, 'Regio', 'region', :uuid, '2026-01-01', '2026-01-01', 1, "
                "'#154273', 'Calibri')"), {"uuid": _uuid(engine, 1)})
            connection.execute(sa.text(
                "INSERT INTO plans (id, slug, title, theme, owner_id, starts_on, ends_on, status, phase, introduction, "
                "goal, strategy, checklist_template, uuid, created_at, updated_at) VALUES (1, 'p', 'P', '', 1, "
                "'2027-01-01', '2027-02-01', 'draft', 'initiative', '', '', '', '', :uuid, '2026-01-01', '2026-01-01')"),
                {"uuid": _uuid(engine, 2)})
            for n, (plan_id, organisation_id) in enumerate(((1, None), (None, 1)), start=3):
                connection.execute(sa.text(
                    "INSERT INTO subscriptions (id, plan_id, organisation_id, label, scope, person, filters, "
                    "token_hash, fetch_count, uuid, created_at, updated_at, row_version) VALUES (:id, :plan, :org, "
                    "'L', 'plan', '', '{}', :hash, 0, :uuid, '2026-01-01', '2026-01-01', 1)"),
                    {"id": n, "plan": plan_id, "org": organisation_id, "hash": str(n), "uuid": _uuid(engine, n)})
        with engine.begin() as connection, pytest.raises(sa.exc.IntegrityError):  # neither a plan nor a region
            connection.execute(sa.text(
                "INSERT INTO subscriptions (id, label, scope, person, filters, token_hash, fetch_count, uuid, "
                "created_at, updated_at, row_version) VALUES (9, 'L', 'plan', '', '{}', 'x', 0, :uuid, '2026-01-01', "
                "'2026-01-01', 1)"), {"uuid": _uuid(engine, 9)})
        _downgrade(engine, "0017")
        assert migrate.current_revision(engine) == "0017"
        with engine.connect() as connection:  # the region's link has no plan to belong to: it ends
            assert connection.execute(sa.text("SELECT id, plan_id FROM subscriptions")).all() == [(3, 1)]
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
    finally:
        engine.dispose()
