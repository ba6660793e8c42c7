"""`planner db`: the database schema."""

from __future__ import annotations

import click

from planner.cli.base import Context, pass_context


@click.group()
def db():
    """Manage the database schema."""


@db.command()
@pass_context
def upgrade(ctx: Context):
    """Create or upgrade the database schema to the newest version."""
    from planner import migrate

    migrate.upgrade(ctx.engine)
    click.echo(f"database at revision {migrate.current_revision(ctx.engine)}")


@db.command()
@pass_context
def current(ctx: Context):
    """Print the schema revision of the database."""
    from planner import migrate

    click.echo(migrate.current_revision(ctx.engine) or "empty database")
