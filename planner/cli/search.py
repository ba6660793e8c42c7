"""`planner search`: the full-text search index."""

from __future__ import annotations

import click

from planner.cli.base import Context, pass_context


@click.group("search")
def search_group():
    """The full-text search index."""


@search_group.command()
@pass_context
def reindex(ctx: Context):
    """Write the search index again from the plans (after a restore or a bulk change outside the planner)."""
    from planner.domain.search import rebuild_index

    with ctx.session() as session:
        count = rebuild_index(session)
    click.echo(f"search index rebuilt: {count} documents")
