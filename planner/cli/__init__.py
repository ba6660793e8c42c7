"""The `planner` command: serve, database, demo data, plans, JSON export and import.

Each command group lives in a module of its own, imported only when one of its commands runs (or
shows its help), so `planner --help` and small commands do not wait for the ORM, Alembic, the
document libraries or Flask. The top-level help comes from the table below; a test keeps it equal
to the commands' own help.
"""

from __future__ import annotations

import importlib

import click

# (name, "module:attribute" inside planner.cli, the command's help text)
COMMANDS = (
    ("check", "check:check", "Run the calendar checks on plan SLUG; exit 1 when there is an error."),
    ("db", "db:db", "Manage the database schema."),
    ("demo", "demo:demo", "Load the demo plans and one demo user per role (safe to run again)."),
    ("export", "export:export", "Export a plan."),
    ("feeds", "feeds:feeds_group", "Secret calendar-feed links for partners."),
    ("import", "importing:import_group", "Import a plan."),
    ("observances", "observances:observances",
     "List every observance, public holiday and school holiday of a year with its dates."),
    ("overview", "overview:overview_command",
     "Where every plan of a region stands: status, progress per phase, overdue items, next 14 days, warnings."),
    ("plans", "plans:plans", "List plans."),
    ("privacy", "privacy:privacy", "Personal data of contact persons (AVG/GDPR)."),
    ("reminders", "reminders:reminders", "Look at and send reminder e-mails."),
    ("run", "server:run", "Run the web server and the scheduler together on one machine, as two processes."),
    ("scheduler", "server:scheduler",
     "Run the scheduler: reminder e-mails, feed preparation, tombstone purge (one process; a second one waits)."),
    ("school-holidays", "observances:school_holidays", "School holidays per region."),
    ("search", "search:search_group", "The full-text search index."),
    ("serve", "server:serve", "Run the development web server (production: gunicorn 'planner.web:create_app()')."),
    ("users", "users:users", "Manage user accounts."),
)


def load_command(target: str) -> click.Command:
    """Import `module:attribute` from this package and return the command it names."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


class LazyGroup(click.Group):
    """A group whose commands are imported when asked for; its own help lists them from a table."""

    def __init__(self, *args, lazy_commands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = {name: (target, help_text) for name, target, help_text in lazy_commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(load_command(self.lazy_commands[cmd_name][0]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands as click does, with stand-ins made from the table for those not yet imported."""
        commands = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=self.lazy_commands[name][1])
            if not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):  # as click writes it (the CLI is English)
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Communication campaign planner for Dutch municipalities."""
