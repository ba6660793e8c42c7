"""`planner reminders`: look at and send reminder e-mails."""

from __future__ import annotations

import sys

import click

from planner import clock
from planner.cli.base import Context, log_to_stderr, parse_day, pass_context, user_or_fail


@click.group()
def reminders():
    """Look at and send reminder e-mails."""


@reminders.command("preview")
@click.option("--user", "email", required=True, help="E-mail address of the user.")
@click.option("--date", "day", required=True, help="The day, as YYYY-MM-DD.")
@pass_context
def reminders_preview(ctx: Context, email: str, day: str):
    """Print what USER would be sent on DATE, without sending or recording anything."""
    from planner.outbox import Outbox
    from planner.web import create_app

    on_date = parse_day(day)
    with ctx.session() as session:
        user = user_or_fail(session, email)
    app = create_app()
    try:
        result = Outbox(app).preview(user, on_date)
    finally:
        app.extensions["planner.engine"].dispose()
    if not result:
        click.echo(f"no reminder is scheduled for {user.email} on {on_date} "
                   f"(setting: {user.digest_mode.value}, {user.digest_time:%H:%M})")
    for kind, message in result:
        if message is None:
            click.echo(f"{kind.value}: nothing to report for {user.email} on {on_date}; no e-mail is sent")
            continue
        click.echo(f"{kind.value} to {message['To']} from {message['From']}")
        click.echo(f"Subject: {message['Subject']}")
        click.echo("")
        click.echo(message.get_body(("plain",)).get_content())


@reminders.command("send-now")
@click.option("--date", "day", help="Send what is due on this day (YYYY-MM-DD) instead of now.")
@pass_context
def reminders_send_now(ctx: Context, day: str | None):
    """Create the reminders that are due and send every one that waits; never sends one twice."""
    from planner.domain.localtime import end_of_day_utc
    from planner.outbox import Outbox
    from planner.web import create_app

    on_date = parse_day(day)
    if not ctx.settings.smtp_host:
        raise click.ClickException("no SMTP server configured: set PLANNER_SMTP_HOST (see README)")
    ctx.require_current_schema()
    now = clock.now() if on_date is None else end_of_day_utc(on_date)
    log_to_stderr()
    app = create_app()
    try:
        report = Outbox(app).run(now)
    finally:
        app.extensions["planner.engine"].dispose()
    click.echo(f"{report.created} reminder(s) created, {report.sent} sent, {report.retried} to retry later, "
               f"{report.failed} refused")
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    if report.retried or report.failed:
        sys.exit(1)
