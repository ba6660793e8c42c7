"""The `planner` command: serve, database, demo data, plans, JSON export and import."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.orm import Session

from planner import clock, migrate
from planner.config import Settings
from planner.db import make_engine, make_session_factory
from planner.models import Plan

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class Context:
    def __init__(self):
        self.settings = Settings.load()
        self._engine = None
        click.get_current_context().call_on_close(self.close)

    def close(self):
        if self._engine is not None:
            self._engine.dispose()

    @property
    def engine(self):
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def require_current_schema(self) -> None:
        current, head = migrate.current_revision(self.engine), migrate.head_revision(self.engine)
        if current != head:
            raise click.ClickException("the database schema is not up to date; run `planner db upgrade` first")

    @contextmanager
    def session(self):
        """Yield a session on an up-to-date schema; commit once at the end, roll back on error."""
        self.require_current_schema()
        session: Session = make_session_factory(self.engine)()
        session.info["actor"] = "command line"
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


pass_context = click.make_pass_decorator(Context, ensure=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Communication campaign planner for Dutch municipalities."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show tracebacks (never in production).")
def serve(host: str, port: int, debug: bool):
    """Run the development web server (production: gunicorn 'planner.web:create_app()')."""
    from planner.web import create_app

    create_app().run(host=host, port=port, debug=debug)


@main.command()
@pass_context
def scheduler(ctx: Context):
    """Run the scheduler: reminder e-mails, feed preparation, tombstone purge (one process; a second one waits)."""
    from planner.scheduler import Scheduler
    from planner.web import create_app

    ctx.require_current_schema()
    _log_to_stderr()
    sys.exit(Scheduler(create_app()).run())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run(host: str, port: int):
    """Run the web server and the scheduler together on one machine, as two processes."""
    import subprocess

    from planner.web import create_app

    child = subprocess.Popen([sys.executable, "-m", "planner.cli", "scheduler"])
    try:
        create_app().run(host=host, port=port)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _log_to_stderr() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.group()
def db():
    """Manage the database schema."""


@db.command()
@pass_context
def upgrade(ctx: Context):
    """Create or upgrade the database schema to the newest version."""
    migrate.upgrade(ctx.engine)
    click.echo(f"database at revision {migrate.current_revision(ctx.engine)}")


@db.command()
@pass_context
def current(ctx: Context):
    """Print the schema revision of the database."""
    click.echo(migrate.current_revision(ctx.engine) or "empty database")


@main.command()
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


@main.group()
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
        plan = _plan_or_fail(session, slug)
        definitions = {d.key: d for d in catalogue(session, plan.owner)}
        copy = copy_to_year(session, plan, year, definitions, all_holidays(session))
        new_slug = copy.slug
    click.echo(f"created plan {new_slug}")


@main.command("overview")
@click.option("--region", help="Name of a region (default: every plan, grouped by region).")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="As of this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def overview_command(ctx: Context, region: str | None, on, as_json: bool):
    """Where every plan of a region stands: status, progress per phase, overdue items, next 14 days, warnings."""
    import datetime as dt

    import sqlalchemy as sa

    from planner.domain.overview import as_rows, overview
    from planner.domain.school_holidays import all_holidays
    from planner.enums import OrganisationKind
    from planner.models import Organisation

    today = on.date() if on else clock.today()
    with ctx.session() as session:
        if region:
            found = session.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == region.lower()))
            if found is None or found.kind != OrganisationKind.REGION:
                raise click.ClickException(f"no region {region!r}")
            groups = {found.name: as_rows(overview(session, today, found, school_holidays=all_holidays(session)))}
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


@main.group()
def export():
    """Export a plan."""


@export.command("json")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="File to write (default: standard output).")
@pass_context
def export_json(ctx: Context, slug: str, output: str):
    """Write the whole plan SLUG as a versioned JSON document."""
    from planner.domain.plans import get_plan
    from planner.domain.transfer import dumps, export_plan

    with ctx.session() as session:
        plan = get_plan(session, slug)
        if plan is None:
            raise click.ClickException(f"no plan with slug {slug!r} (see `planner plans list`)")
        text = dumps(export_plan(plan))
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"plan {slug} written to {output}", err=True)


def _write_document(ctx: Context, kind: str, output: str | None, make) -> None:
    """Write to OUTPUT, or under the export folder (PLANNER_EXPORT_DIR) by the document's own name."""
    from planner.exporters.pdf import PdfUnavailable

    try:
        result = make()
    except PdfUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    if output:
        target = Path(output)
    else:
        ctx.settings.export_dir.mkdir(parents=True, exist_ok=True)
        folder = ctx.settings.export_dir.resolve()
        target = folder / result.filename
        if target.resolve().parent != folder:  # a name from the database never leads out of the folder
            raise click.ClickException(f"{result.filename!r} is not a file name inside {folder}; "
                                       f"give one with --output")
    target.write_bytes(result.data)
    click.echo(f"{kind} written to {target}")


def _plan_or_fail(session, slug: str):
    from planner.domain.plans import get_plan

    plan = get_plan(session, slug)
    if plan is None:
        raise click.ClickException(f"no plan with slug {slug!r} (see `planner plans list`)")
    return plan


for _format in ("docx", "odt", "pdf"):
    def _make_command(fmt):
        @export.command(fmt, help=f"Write the plan document of SLUG as .{fmt} (Dutch, in the owner's house style).")
        @click.argument("slug")
        @click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: SLUG.ext in the export folder).")
        @pass_context
        def command(ctx: Context, slug: str, output: str | None):
            import datetime as dt

            from planner.domain.documents import plan_output

            with ctx.session() as session:
                plan = _plan_or_fail(session, slug)
                _write_document(ctx, "plan document", output, lambda: plan_output(session, plan, fmt, clock.today()))

        return command

    _make_command(_format)


@export.command("partner")
@click.argument("slug")
@click.option("--partner", "partner_name", required=True, help="Name of a partner of the plan.")
@click.option("--format", "fmt", type=click.Choice(["docx", "odt", "pdf"]), default="docx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: in the export folder).")
@pass_context
def export_partner(ctx: Context, slug: str, partner_name: str, fmt: str, output: str | None):
    """Write the one-page overview for one partner: what it does when, for whom, with which message."""
    import datetime as dt

    from planner.domain.documents import partner_output

    with ctx.session() as session:
        plan = _plan_or_fail(session, slug)
        partner = next((p for p in plan.partners if p.name.lower() == partner_name.lower()), None)
        if partner is None:
            raise click.ClickException(f"no partner {partner_name!r} in this plan; partners: "
                                       + ", ".join(p.name for p in plan.partners))
        _write_document(ctx, "partner overview", output, lambda: partner_output(plan, partner, fmt, clock.today()))


@main.group(name="import")
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


@main.command()
@click.option("--year", type=click.IntRange(1901, 2199), default=None, help="Calendar year (default: this year).")
@click.option("--region", type=click.Choice(["noord", "midden", "zuid"]), default=None,
              help="Only the school holidays of this region.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def observances(ctx: Context, year: int | None, region: str | None, as_json: bool):
    """List every observance, public holiday and school holiday of a year with its dates."""
    import datetime as dt

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


@main.command()
@click.argument("slug")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Check as of this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_context
def check(ctx: Context, slug: str, on, as_json: bool):
    """Run the calendar checks on plan SLUG; exit 1 when there is an error."""
    import datetime as dt

    from planner.domain.checks import check_plan, summary
    from planner.domain.plans import get_plan
    from planner.domain.school_holidays import all_holidays
    from planner.enums import Severity

    with ctx.session() as session:
        plan = get_plan(session, slug)
        if plan is None:
            raise click.ClickException(f"no plan with slug {slug!r} (see `planner plans list`)")
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


@main.group(name="school-holidays")
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


@main.group()
def users():
    """Manage user accounts."""


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


def _user_or_fail(session, email: str):
    import sqlalchemy as sa

    from planner.domain.accounts import normalise_email
    from planner.models import User

    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no user {email}")
    return user


@users.command("create")
@click.argument("email")
@click.option("--org", "organisation_name", required=True, help="Name of the user's organisation.")
@click.option("--role", type=click.Choice(["administrator", "advisor", "coordinator", "reader"]), required=True)
@click.option("--name", default="", help="The person's name.")
@pass_context
def users_create(ctx: Context, email: str, organisation_name: str, role: str, name: str):
    """Create a user; the password is read from standard input (or asked for twice)."""
    import sqlalchemy as sa

    from planner.domain.accounts import AccountError, create_user
    from planner.enums import Role
    from planner.models import Organisation

    password = _read_password("Password")
    with ctx.session() as session:
        organisation = session.scalar(sa.select(Organisation).where(
            sa.func.lower(Organisation.name) == organisation_name.strip().lower()))
        if organisation is None:
            raise click.ClickException(f"no organisation {organisation_name!r}")
        try:
            create_user(session, email, organisation, Role(role), password, name)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"user {email.strip().lower()} created")


@users.command("set-password")
@click.argument("email")
@pass_context
def users_set_password(ctx: Context, email: str):
    """Set a new password (from standard input); the user's sessions end."""
    from planner.domain.accounts import AccountError, set_password
    from planner.domain.security_log import record
    from planner.enums import SecurityEventKind

    password = _read_password("New password")
    with ctx.session() as session:
        user = _user_or_fail(session, email)
        try:
            set_password(session, user, password)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
        record(session, SecurityEventKind.PASSWORD_CHANGED, user, detail="set by an administrator")
    click.echo(f"password of {email.strip().lower()} changed")


@users.command("disable")
@click.argument("email")
@pass_context
def users_disable(ctx: Context, email: str):
    """Disable a user: their sessions end and their feed links stop working."""
    from planner.domain.accounts import disable

    with ctx.session() as session:
        disable(session, _user_or_fail(session, email))
    click.echo(f"user {email.strip().lower()} disabled")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["administrator", "advisor", "coordinator", "reader"]))
@pass_context
def users_set_role(ctx: Context, email: str, role: str):
    """Give a user another role (recorded in the security log)."""
    from planner.domain.accounts import set_role
    from planner.enums import Role

    with ctx.session() as session:
        set_role(session, _user_or_fail(session, email), Role(role))
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
                 "active": u.active,
                 "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None}
                for u in session.scalars(sa.select(User).order_by(User.email))]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['email']:<36} {row['role']:<14} {'active' if row['active'] else 'disabled':<9} "
                   f"{row['organisation']}")


@main.group()
def privacy():
    """Personal data of contact persons (AVG/GDPR)."""


@privacy.command("export")
@click.argument("person")
@pass_context
def privacy_export(ctx: Context, person: str):
    """Print, as JSON, everything held about the contact person with this e-mail address or name."""
    from planner.domain.privacy import export_person, find_person

    with ctx.session() as session:
        found = find_person(session, person)
        if not found.found:
            raise click.ClickException(f"no contact person {person!r}")
        click.echo(json.dumps(export_person(session, found), ensure_ascii=False, indent=2))
        _record_privacy(session, "PRIVACY_EXPORT", found)


@privacy.command("erase")
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def privacy_erase(ctx: Context, person: str, yes: bool):
    """Erase the name, function, e-mail and phone of this contact person everywhere (plans stay intact)."""
    from planner.domain.privacy import erase_person, find_person
    from planner.feed_store import FeedStore
    from planner.web.pdf_cache import PdfCache

    with ctx.session() as session:
        found = find_person(session, person)
        if not found.found:
            raise click.ClickException(f"no contact person {person!r}")
        if not yes:
            click.confirm(f"erase {len(found.contacts)} contact person record(s) and every copy of their data?",
                          abort=True)
        _record_privacy(session, "PRIVACY_ERASE", found)
        erased, copies = erase_person(session, found)
    FeedStore(ctx.settings.instance_path / "feed-cache").discard_all()  # stored feeds may hold a copy
    PdfCache(ctx.settings.instance_path / "pdf-cache").discard_all()  # and so may made PDFs
    click.echo(f"{erased} contact person record(s) erased; {copies} other row(s) held a copy and were scrubbed")


def _record_privacy(session, kind: str, person) -> None:
    """A security event per contact person record, naming the record, not the person."""
    from planner.domain.security_log import record
    from planner.enums import SecurityEventKind

    for contact in person.contacts:
        record(session, SecurityEventKind[kind],
               detail=f"plan {contact.partner.plan.slug}: contact person {contact.uuid} of {contact.partner.name}")
    if not person.contacts:  # only copies are left of a contact person deleted earlier
        record(session, SecurityEventKind[kind], detail="copies of deleted contact person(s) "
               + ", ".join(sorted(str(uid) for uid in person.uuids)))


@main.group(name="feeds")
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
            {"id": str(s.uuid), "plan": s.plan.slug, "label": s.label, "scope": s.scope.value,
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
        click.echo(f"{row['id']}  {state:<7} {row['plan']:<45} {row['scope']:<8} {row['label']} "
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
        record(session, SecurityEventKind.FEED_REVOKED,
               detail=f"plan {subscription.plan.slug}: {subscription.label} ({subscription.uuid})")
    click.echo(f"feed {feed_id} revoked")


@main.group()
def reminders():
    """Look at and send reminder e-mails."""


def _parse_day(value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-11-30") from None


@reminders.command("preview")
@click.option("--user", "email", required=True, help="E-mail address of the user.")
@click.option("--date", "day", required=True, help="The day, as YYYY-MM-DD.")
@pass_context
def reminders_preview(ctx: Context, email: str, day: str):
    """Print what USER would be sent on DATE, without sending or recording anything."""
    from planner.outbox import Outbox
    from planner.web import create_app

    on_date = _parse_day(day)
    with ctx.session() as session:
        user = _user_or_fail(session, email)
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

    on_date = _parse_day(day)
    if not ctx.settings.smtp_host:
        raise click.ClickException("no SMTP server configured: set PLANNER_SMTP_HOST (see README)")
    ctx.require_current_schema()
    now = clock.now() if on_date is None else end_of_day_utc(on_date)
    _log_to_stderr()
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
        user = _user_or_fail(session, email)
        if mode:
            user.digest_mode = DigestMode(mode)
        if at:
            try:
                user.digest_time = dt.time.fromisoformat(at).replace(second=0, microsecond=0)
            except ValueError:
                raise click.BadParameter(f"{at!r} is not a time such as 07:30") from None
        click.echo(f"{user.email}: {user.digest_mode.value} at {user.digest_time:%H:%M}")


if __name__ == "__main__":  # pragma: no cover
    main()
