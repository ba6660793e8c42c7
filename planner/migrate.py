"""Run Alembic from code: the CLI, the tests and the demo share these helpers."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
# A revision script's `revision = '0001'` and `down_revision = ...` lines (at the start of a line: module level;
# with or without a type).
_ASSIGNMENT = re.compile(r"^(revision|down_revision)[ \t]*(?::[^=\n]*)?=[ \t]*(.+)$", re.MULTILINE)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Leave the engine-specific parts of the search index out of schema comparisons: SQLite's FTS5 table
    (and the tables it keeps its index in), PostgreSQL's generated tsvector column and its GIN index are not
    ORM metadata."""
    return not (name or "").startswith(("search_fts", "ix_search_documents_fts", "search_vector"))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to `revision` in one transaction.

    On SQLite, Alembic's batch mode rebuilds a table by copying it and dropping the old one;
    with foreign keys on, that drop would cascade into the rows that refer to it. Foreign
    keys are therefore switched off for the migration (outside the transaction, where the
    pragma takes effect) and checked afterwards.
    """
    from alembic import command

    config = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if sqlite:
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise RuntimeError(f"migration left rows that break foreign keys: {problems[:5]}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def is_current(engine: Engine) -> bool:
    """Tell whether the database is at the newest revision, without importing Alembic.

    Every command asks this before it opens a session, and importing Alembic and running each
    revision script (as Alembic does to find the head) would cost more than most commands.
    """
    import sqlalchemy as sa

    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(VERSION_TABLE):
            return False
        recorded = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return len(recorded) == 1 and recorded[0] == script_head(engine)


def script_head(engine: Engine) -> str | None:
    """The head revision, read from the revision scripts' `revision` and `down_revision` assignments.

    A script that does not spell them as plain literals, or more than one head, leaves the answer
    to Alembic itself.
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        assigned = _literal_assignments(path)
        if assigned is None:
            return head_revision(engine)
        if "revision" not in assigned:
            continue  # not a revision script (__init__.py)
        down = assigned.get("down_revision")
        revisions.add(assigned["revision"])
        parents.update(down if isinstance(down, (tuple, list)) else [down])
    heads = revisions - parents
    if len(heads) != 1:
        return head_revision(engine)
    return heads.pop()


def _literal_assignments(path: Path) -> dict | None:
    """The module-level `revision` and `down_revision` literals of a script, read from their own lines (parsing
    the whole script would cost more than the check it serves), or None when that is not certain: a value that
    is not a one-line literal, a name assigned twice, a script (other than __init__.py) that names no revision."""
    found = {}
    for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8")):
        try:
            literal = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            return None
        if name in found:
            return None
        found[name] = literal
    if "revision" not in found and path.name != "__init__.py":
        return None
    return found
