"""`planner feeds`: secret calendar-feed links."""

from __future__ import annotations

import json

import click

from planner.cli.base import Context, pass_context


@click.group(name="feeds")
def feeds_group():
    """Secret calendar-feed links for partners."""


@feeds_group.command("create")
@click.argument("slug")
@click.option("--partner", help="Name of a partner of the plan: its feed.")
@click.option("--audience", help="Name of an audience of the plan: its feed.")
@click.option("--person", help="Owner name: everything this person owns.")
@click.option("--label", required=True, help='For whom and where, e.g. "Veilig Thuis - Outlook".')
@pass_context
def feeds_create(ctx: Context, slug: str, partner: str | None, audience: str | None, person: str | None, label: str):
    """Create a feed link and print its URL (shown once; only a hash is stored)."""
    from planner.domain import feeds
    from planner.domain.plans import get_plan
    from planner.enums import FeedScope

    if sum(bool(x) for x in (partner, audience, person)) > 1:
        raise click.UsageError("use at most one of --partner, --audience and --person")
    with ctx.session() as session:
        plan = get_plan(session, slug)
        if plan is None:
            raise click.ClickException(f"no plan with slug {slug!r} (see `planner plans list`)")
        kwargs, scope = {}, FeedScope.PLAN
        if partner:
            scope = FeedScope.PARTNER
            kwargs["partner"] = next((p for p in plan.partners if p.name.lower() == partner.lower()), None)
            if kwargs["partner"] is None:
                raise click.ClickException(f"no partner {partner!r} in this plan; partners: "
                                           + ", ".join(p.name for p in plan.partners))
        elif audience:
            scope = FeedScope.AUDIENCE
            kwargs["audience"] = next((a for a in plan.audiences if a.name.lower() == audience.lower()), None)
            if kwargs["audience"] is None:
                raise click.ClickException(f"no audience {audience!r} in this plan; audiences: "
                                           + ", ".join(a.name for a in plan.audiences))
        elif person:
            scope, kwargs["person"] = FeedScope.PERSON, person
        try:
            subscription, token = feeds.create_subscription(session, plan, label, scope, **kwargs)
        except feeds.FeedError as exc:
            raise click.ClickException(str(exc)) from None
        public_id = subscription.uuid
    click.echo(f"{ctx.settings.base_url}/feeds/{token}.ics")
    click.echo(f"feed {public_id} created; the link is shown only now", err=True)


@feeds_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def feeds_list(ctx: Context, as_json: bool):
    """List every feed link with its plan, scope, fetches and state (never the token)."""
    import sqlalchemy as sa

    from planner.models import Subscription

    with ctx.session() as session:
        rows = [
            {"id": str(s.uuid), "plan": s.plan.slug if s.plan else "", "region": s.region.name if s.region else "",
             "label": s.label, "scope": s.scope.value,
             "target": (s.partner.name if s.partner else s.audience.name if s.audience else s.person) or "",
             "fetches": s.fetch_count,
             "last_fetched_at": s.last_fetched_at.isoformat() if s.last_fetched_at else None,
             "revoked": s.revoked_at is not None}
            for s in session.scalars(sa.select(Subscription).order_by(Subscription.created_at))
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        state = "revoked" if row["revoked"] else "active"
        click.echo(f"{row['id']}  {state:<7} {row['plan'] or row['region']:<45} {row['scope']:<8} {row['label']} "
                   f"({row['fetches']} fetches)")


@feeds_group.command("purge")
@pass_context
def feeds_purge(ctx: Context):
    """Delete cancellation records older than 30 days (feeds no longer show them)."""
    from planner.domain.feeds import purge_tombstones

    with ctx.session() as session:
        count = purge_tombstones(session)
    click.echo(f"{count} old cancellation records removed")


@feeds_group.command("revoke")
@click.argument("feed_id")
@pass_context
def feeds_revoke(ctx: Context, feed_id: str):
    """Revoke the feed link FEED_ID (as printed by `planner feeds list`)."""
    import uuid as uuid_module

    import sqlalchemy as sa

    from planner.domain import feeds
    from planner.domain.security_log import record
    from planner.enums import SecurityEventKind
    from planner.models import Subscription

    try:
        wanted = uuid_module.UUID(feed_id)
    except ValueError:
        raise click.ClickException(f"{feed_id!r} is not a feed id (see `planner feeds list`)") from None
    with ctx.session() as session:
        subscription = session.scalar(sa.select(Subscription).where(Subscription.uuid == wanted))
        if subscription is None:
            raise click.ClickException(f"no feed {feed_id}")
        feeds.revoke(subscription)
        record(session, SecurityEventKind.FEED_REVOKED, **feeds.audit_detail(subscription))
    click.echo(f"feed {feed_id} revoked")
