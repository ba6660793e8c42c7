"""`planner users`: user accounts and their reminder settings."""

from __future__ import annotations

import json

import click

from planner.cli.base import Context, pass_context, read_password, user_or_fail


@click.group()
def users():
    """Manage user accounts."""


@users.command("create")
@click.argument("email")
@click.option("--org", "organisation_name", required=True, help="Name of the user's organisation.")
@click.option("--role", type=click.Choice(["administrator", "advisor", "coordinator", "reader"]), required=True)
@click.option("--name", default="", help="The person's name.")
@click.option("--break-glass", is_flag=True,
              help="An administrator who may log in with a password when local passwords are off.")
@pass_context
def users_create(ctx: Context, email: str, organisation_name: str, role: str, name: str, break_glass: bool):
    """Create a user; the password is read from standard input (or asked for twice)."""
    if break_glass and role != "administrator":
        raise click.BadParameter("a break-glass account is an administrator", param_hint="--break-glass")
    _create(ctx, email, organisation_name, role, name, read_password("Password"), break_glass)
    click.echo(f"user {email.strip().lower()} created{' (break-glass)' if break_glass else ''}")


@users.command("invite")
@click.argument("email")
@click.option("--org", "organisation_name", required=True, help="Name of the user's organisation.")
@click.option("--role", type=click.Choice(["administrator", "advisor", "coordinator", "reader"]), required=True)
@click.option("--name", default="", help="The person's name.")
@pass_context
def users_invite(ctx: Context, email: str, organisation_name: str, role: str, name: str):
    """Create a user without a password, who logs in through single sign-on (linked at the first login)."""
    _create(ctx, email, organisation_name, role, name, None, False)
    click.echo(f"user {email.strip().lower()} invited: the first single sign-on login with this address links it")


def _create(ctx: Context, email: str, organisation_name: str, role: str, name: str, password: str | None,
            break_glass: bool) -> None:
    import sqlalchemy as sa

    from planner.domain.accounts import AccountError, create_user
    from planner.enums import Role
    from planner.models import Organisation

    with ctx.session() as session:
        organisation = session.scalar(sa.select(Organisation).where(
            sa.func.lower(Organisation.name) == organisation_name.strip().lower()))
        if organisation is None:
            raise click.ClickException(f"no organisation {organisation_name!r}")
        try:
            create_user(session, email, organisation, Role(role), password, name, break_glass=break_glass)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None


@users.command("set-password")
@click.argument("email")
@pass_context
def users_set_password(ctx: Context, email: str):
    """Set a new password (from standard input); the user's sessions end."""
    from planner.domain.accounts import AccountError, set_password
    from planner.domain.security_log import record
    from planner.enums import N_, SecurityEventKind

    password = read_password("New password")
    with ctx.session() as session:
        user = user_or_fail(session, email)
        try:
            set_password(session, user, password)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
        record(session, SecurityEventKind.PASSWORD_CHANGED, user, N_("set by an administrator"))
    click.echo(f"password of {email.strip().lower()} changed")


@users.command("disable")
@click.argument("email")
@pass_context
def users_disable(ctx: Context, email: str):
    """Disable a user: their sessions end and their feed links stop working."""
    from planner.domain.accounts import disable

    with ctx.session() as session:
        disable(session, user_or_fail(session, email))
    click.echo(f"user {email.strip().lower()} disabled")


@users.command("enable")
@click.argument("email")
@pass_context
def users_enable(ctx: Context, email: str):
    """Let a disabled user log in again (their old feed links stay revoked)."""
    from planner.domain.accounts import enable

    with ctx.session() as session:
        enable(session, user_or_fail(session, email))
    click.echo(f"user {email.strip().lower()} enabled")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["administrator", "advisor", "coordinator", "reader"]))
@pass_context
def users_set_role(ctx: Context, email: str, role: str):
    """Give a user another role (recorded in the security log)."""
    from planner.domain.accounts import set_role
    from planner.enums import Role

    with ctx.session() as session:
        set_role(session, user_or_fail(session, email), Role(role))
    click.echo(f"{email.strip().lower()} is now {role}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def users_list(ctx: Context, as_json: bool):
    """List the users (never their passwords)."""
    import sqlalchemy as sa

    from planner.models import User

    with ctx.session() as session:
        rows = [{"email": u.email, "name": u.name, "organisation": u.organisation.name, "role": u.role.value,
                 "active": u.active, "single_sign_on": u.oidc_subject is not None, "break_glass": u.break_glass,
                 "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None}
                for u in session.scalars(sa.select(User).order_by(User.email))]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        login = "break-glass" if row["break_glass"] else "sso" if row["single_sign_on"] else ""
        click.echo(f"{row['email']:<36} {row['role']:<14} {'active' if row['active'] else 'disabled':<9} "
                   f"{login:<12} {row['organisation']}")


@users.command("reminders")
@click.argument("email")
@click.option("--mode", type=click.Choice(["daily", "weekly", "off"]), help="Every working day, Mondays only, or off.")
@click.option("--time", "at", help="Time of the e-mail, HH:MM (Dutch time).")
@pass_context
def users_reminders(ctx: Context, email: str, mode: str | None, at: str | None):
    """Show or change when EMAIL gets reminder e-mails."""
    import datetime as dt

    from planner.enums import DigestMode

    with ctx.session() as session:
        user = user_or_fail(session, email)
        if mode:
            user.digest_mode = DigestMode(mode)
        if at:
            try:
                user.digest_time = dt.time.fromisoformat(at).replace(second=0, microsecond=0)
            except ValueError:
                raise click.BadParameter(f"{at!r} is not a time such as 07:30") from None
        click.echo(f"{user.email}: {user.digest_mode.value} at {user.digest_time:%H:%M}")
