"""`planner observances` and `planner school-holidays`: the days the calendar knows."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planner import clock
from planner.cli.base import MAX_IMPORT_BYTES, Context, pass_context


@click.command()
@click.option("--year", type=click.IntRange(1901, 2199), default=None, help="Calendar year (default: this year).")
@click.option("--region", type=click.Choice(["noord", "midden", "zuid"]), default=None,
              help="Only the school holidays of this region.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def observances(ctx: Context, year: int | None, region: str | None, as_json: bool):
    """List every observance, public holiday and school holiday of a year with its dates."""
    from planner.domain.observances import year_calendar
    from planner.enums import SchoolRegion

    year = year or clock.today().year
    with ctx.session() as session:
        rows = year_calendar(session, year, region=SchoolRegion(region) if region else None)
    if as_json:
        click.echo(json.dumps([{"key": o.key, "name": o.name, "kind": o.kind, "starts_on": o.starts_on.isoformat(),
                                "ends_on": o.ends_on.isoformat(), "source": o.source} for o in rows],
                              ensure_ascii=False, indent=2))
        return
    for o in rows:
        click.echo(f"{o.starts_on}  {o.ends_on}  {o.kind:<15} {o.name}")


@click.group(name="school-holidays")
def school_holidays():
    """School holidays per region."""


@school_holidays.command("list")
@pass_context
def school_holidays_list(ctx: Context):
    """List the school years the planner knows."""
    from planner.domain.school_holidays import known_school_years

    with ctx.session() as session:
        click.echo("\n".join(known_school_years(session)))


@school_holidays.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@pass_context
def school_holidays_import(ctx: Context, file: str):
    """Import school years from the Rijksoverheid open-data JSON (schoolvakanties); all or nothing."""
    from planner.domain.codecs import DocumentError, read_json
    from planner.domain.school_holidays import import_school_holidays

    raw = Path(file).read_bytes()
    if len(raw) > MAX_IMPORT_BYTES:
        raise click.ClickException(f"{file}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    try:
        document = read_json(raw)
        with ctx.session() as session:
            years = import_school_holidays(session, document)
    except DocumentError as exc:
        raise click.ClickException(f"{file}: {exc}; nothing was imported") from None
    click.echo(f"imported school years: {', '.join(years)}")
