"""The databases a benchmark measures on: SQLite in a scratch folder, and PostgreSQL in a schema of its own.

PostgreSQL is the one named by PLANNER_TEST_POSTGRES_URL (as for the tests); when it cannot be reached the
benchmark measures SQLite only and says so."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import sqlalchemy as sa

from planner.db import make_engine

POSTGRES_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def database_urls(folder: Path):
    """Yield {"SQLite": url, "PostgreSQL": url}; the PostgreSQL schema is dropped afterwards."""
    backends = {"SQLite": f"sqlite:///{folder / 'bench.sqlite'}"}
    admin, schema = None, f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        base = sa.engine.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
        backends["PostgreSQL"] = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    except Exception as exc:  # no PostgreSQL here: measure SQLite only
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); SQLite only")
        admin = None
    try:
        yield backends
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
