"""`planner overview`: where every plan of a region stands."""

from __future__ import annotations

import json

import click

from planner import clock
from planner.cli.base import Context, pass_context


@click.command("overview")
@click.option("--region", help="Name of a region (default: every plan, grouped by region).")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="As of this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def overview_command(ctx: Context, region: str | None, on, as_json: bool):
    """Where every plan of a region stands: status, progress per phase, overdue items, next 14 days, warnings."""
    import sqlalchemy as sa

    from planner.domain.overview import Filters, as_rows, overview
    from planner.domain.school_holidays import all_holidays
    from planner.enums import OrganisationKind
    from planner.models import Organisation, Plan

    today = on.date() if on else clock.today()
    with ctx.session() as session:
        if region:
            found = session.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == region.lower()))
            if found is None or found.kind != OrganisationKind.REGION:
                raise click.ClickException(f"no region {region!r}")
            groups = {found.name: as_rows(overview(session, today, Filters(region=found), school_holidays=all_holidays(session)))}
        else:
            rows = as_rows(overview(session, today, school_holidays=all_holidays(session)))
            regions = {p.slug: (p.owner.region or p.owner).name for p in session.scalars(sa.select(Plan))}
            groups = {}
            for row in rows:
                groups.setdefault(regions.get(row["slug"], ""), []).append(row)
    if as_json:
        click.echo(json.dumps(groups, ensure_ascii=False, indent=2))
        return
    for name, rows in groups.items():
        click.echo(name)
        for row in rows:
            click.echo(f"  {row['slug']:<50} {row['status']:<18} I {row['progress_initiative']:>5}  "
                       f"V {row['progress_preparation']:>5}  U {row['progress_execution']:>5}  "
                       f"overdue {row['overdue_items']:>2}  next 14 days {row['activities_next_14_days']:>3}  "
                       f"errors {row['errors']}  warnings {row['warnings']}")
