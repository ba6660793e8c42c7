"""What every command shares: the settings, one engine, a session on an up-to-date schema, small helpers.

Nothing here imports the ORM, Alembic or the web app at import time; a command asks for them when it runs.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from planner.config import Settings

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class Context:
    def __init__(self):
        self.settings = Settings.load()
        self._engine = None
        click.get_current_context().call_on_close(self.close)

    def close(self):
        if self._engine is not None:
            self._engine.dispose()

    @property
    def engine(self):
        if self._engine is None:
            from planner.db import make_engine

            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def require_current_schema(self) -> None:
        from planner import migrate

        if not migrate.is_current(self.engine):
            raise click.ClickException("the database schema is not up to date; run `planner db upgrade` first")

    @contextmanager
    def session(self):
        """Yield a session on an up-to-date schema; commit once at the end, roll back on error."""
        from planner.db import make_session_factory

        self.require_current_schema()
        session = make_session_factory(self.engine)()
        session.info["actor"] = "command line"
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


pass_context = click.make_pass_decorator(Context, ensure=True)


def plan_or_fail(session, slug: str, options=()):
    from planner.domain.plans import get_plan

    plan = get_plan(session, slug, options)
    if plan is None:
        raise click.ClickException(f"no plan with slug {slug!r} (see `planner plans list`)")
    return plan


def user_or_fail(session, email: str):
    import sqlalchemy as sa

    from planner.domain.accounts import normalise_email
    from planner.models import User

    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no user {email}")
    return user


def read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


def parse_day(value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-11-30") from None


def log_to_stderr() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
