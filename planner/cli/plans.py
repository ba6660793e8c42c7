"""`planner plans`: list plans and copy one to another year."""

from __future__ import annotations

import json

import click

from planner.cli.base import Context, pass_context, plan_or_fail


@click.group()
def plans():
    """List plans."""


@plans.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def list_plans_command(ctx: Context, as_json: bool):
    """List every plan with its period, status and size."""
    from planner.domain.plans import list_plans

    with ctx.session() as session:
        rows = [
            {"slug": p.slug, "title": p.title, "owner": p.owner.name, "starts_on": p.starts_on.isoformat(),
             "ends_on": p.ends_on.isoformat(), "status": p.status.value, "phase": p.phase.value,
             "activities": len(p.activities)}
            for p in list_plans(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no plans yet (load the demo with `planner demo`)")
    for row in rows:
        click.echo(f"{row['slug']:<55} {row['starts_on']} – {row['ends_on']}  {row['status']:<18} "
                   f"{row['activities']:>4} activities  {row['owner']}")


@plans.command("copy")
@click.argument("slug")
@click.option("--year", type=click.IntRange(1901, 2199), required=True, help="The year of the new plan.")
@pass_context
def copy_plan(ctx: Context, slug: str, year: int):
    """Make next year's plan from SLUG: moments re-anchored, other dates shifted by whole weeks."""
    from planner.domain.observances import catalogue
    from planner.domain.school_holidays import all_holidays
    from planner.domain.year_copy import copy_to_year

    with ctx.session() as session:
        plan = plan_or_fail(session, slug)
        definitions = {d.key: d for d in catalogue(session, plan.owner)}
        copy = copy_to_year(session, plan, year, definitions, all_holidays(session))
        new_slug = copy.slug
    click.echo(f"created plan {new_slug}")
