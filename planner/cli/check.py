"""`planner check`: the calendar checks of one plan."""

from __future__ import annotations

import json
import sys

import click

from planner import clock
from planner.cli.base import Context, pass_context, plan_or_fail


@click.command()
@click.argument("slug")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Check as of this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_context
def check(ctx: Context, slug: str, on, as_json: bool):
    """Run the calendar checks on plan SLUG; exit 1 when there is an error."""
    from planner.domain.checks import check_plan, summary
    from planner.domain.plans import plan_contents
    from planner.domain.school_holidays import all_holidays
    from planner.enums import Severity

    with ctx.session() as session:
        plan = plan_or_fail(session, slug, plan_contents())
        findings = check_plan(plan, on.date() if on else clock.today(), all_holidays(session))
    counts = summary(findings)
    if as_json:
        click.echo(json.dumps({"plan": slug, **counts, "findings": [f.as_dict() for f in findings]},
                              ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(f"{finding.severity.value:<8} {finding.text()}")
        click.echo(f"{counts['errors']} errors, {counts['warnings']} warnings")
    if any(f.severity == Severity.ERROR for f in findings):
        sys.exit(1)
