"""`planner import`: a plan from a JSON export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli.base import MAX_IMPORT_BYTES, Context, pass_context


@click.group(name="import")
def import_group():
    """Import a plan."""


@import_group.command("json")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@pass_context
def import_json(ctx: Context, file: str):
    """Create a plan from a JSON document made by `planner export json` (all or nothing)."""
    from planner.domain.codecs import DocumentError, read_json
    from planner.domain.transfer import import_plan

    raw = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1) if file == "-" else Path(file).read_bytes()
    if len(raw) > MAX_IMPORT_BYTES:
        raise click.ClickException(f"{file}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    try:
        document = read_json(raw)
        with ctx.session() as session:
            plan = import_plan(session, document)
            slug = plan.slug
    except DocumentError as exc:
        raise click.ClickException(f"{file}: {exc}; nothing was imported") from None
    click.echo(f"imported plan {slug}")
