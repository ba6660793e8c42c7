"""`planner demo`: the demo plans and users."""

from __future__ import annotations

import click

from planner import clock
from planner.cli.base import Context, pass_context


@click.command()
@pass_context
def demo(ctx: Context):
    """Load the demo plans and one demo user per role (safe to run again)."""
    from planner.domain.demo import DEMO_PASSWORD, MUNICIPAL_SLUG, load_demo, load_demo_users, reminder_example_day
    from planner.domain.plans import get_plan
    from planner.enums import Role

    today = clock.today()
    with ctx.session() as session:
        created = load_demo(session, today)
        slugs = [plan.slug for plan in created]
        users = [(u.email, u.role, u.organisation.name) for u in load_demo_users(session)]
        example = reminder_example_day(get_plan(session, MUNICIPAL_SLUG), today)
    click.echo(f"demo plans created: {', '.join(slugs)}" if slugs else "demo plans already present")
    click.echo(f"demo logins (password for all: {DEMO_PASSWORD}; never use them in production):")
    for email, role, organisation in users:
        click.echo(f"  {email:<36} {role.value:<14} {organisation}")
    advisor = next(email for email, role, _ in users if role == Role.ADVISOR)
    if example is not None:
        click.echo(f"the advisor's reminder e-mail: planner reminders preview --user {advisor} --date {example}")
