"""The `planner` command starts at once: its help imports no heavy library, and `check` loads a plan in a
constant number of statements."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from importlib import import_module

import click
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import Engine

import planner.cli
from planner.cli import COMMANDS, load_command, main
from planner.db import make_engine, make_session_factory
from tests.factories import build_large_plan
from tests.helpers import child_env

HEAVY = ("sqlalchemy", "alembic", "docx", "odf", "PIL", "flask", "jinja2", "holidays", "icalendar")

LIST_MODULES_AFTER = """
import contextlib, io, json, sys
from planner.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main({args!r})
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules_imported_by(*args: str, **settings: str) -> list[str]:
    """The modules a fresh `planner ARGS` process has imported when it ends."""
    result = subprocess.run([sys.executable, "-c", LIST_MODULES_AFTER.format(args=list(args))],
                            capture_output=True, text=True, env=child_env(**settings), check=True)
    return json.loads(result.stdout)


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in HEAVY]


def test_help_imports_no_orm_migrations_documents_images_or_web():
    modules = _modules_imported_by("--help")
    assert "planner.cli" in modules
    assert _heavy(modules) == []
    assert [m for m in modules if m.startswith("planner.cli.")] == []


def test_help_of_a_command_group_imports_only_that_group():
    modules = _modules_imported_by("users", "--help")
    assert "planner.cli.users" in modules
    assert _heavy(modules) == []
    assert {m for m in modules if m.startswith("planner.cli.")} == {"planner.cli.base", "planner.cli.users"}


def _top_level_commands() -> set[click.Command]:
    """Every command defined in a module of planner.cli that is not a subcommand of a group."""
    commands = set()
    for info in pkgutil.iter_modules(planner.cli.__path__):
        if info.name == "__main__":  # runs the command when imported
            continue
        module = import_module(f"planner.cli.{info.name}")
        found = {value for value in vars(module).values() if isinstance(value, click.Command)}
        nested = {sub for group in found if isinstance(group, click.Group) for sub in group.commands.values()}
        commands |= found - nested
    return commands


def test_command_table_names_every_command_with_its_own_help():
    assert {(c.name, c.help) for c in _top_level_commands()} == {(name, text) for name, _, text in COMMANDS}
    for name, target, text in COMMANDS:
        command = load_command(target)
        assert (command.name, command.help) == (name, text)


def test_help_lists_the_commands_as_a_plain_group_would():
    plain = click.Group(name=main.name, help=main.help, context_settings=main.context_settings,
                        commands={name: load_command(target) for name, target, _ in COMMANDS})
    runner = CliRunner()
    expected = runner.invoke(plain, ["--help"], prog_name="planner").output
    assert "check            Run the calendar checks on plan SLUG; exit 1 when there..." in expected
    lazy = planner.cli.LazyGroup(name=main.name, help=main.help, context_settings=main.context_settings,
                                 lazy_commands=COMMANDS)
    assert runner.invoke(lazy, ["--help"], prog_name="planner").output == expected
    assert lazy.commands == {}
    assert runner.invoke(lazy, ["-h"], prog_name="planner").output == expected


def _statements_of_check(cli, slug: str) -> list[str]:
    statements = []

    def count(connection, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(Engine, "before_cursor_execute", count)  # every engine, so also the one the command makes
    try:
        result = cli("check", slug)
    finally:
        sa.event.remove(Engine, "before_cursor_execute", count)
    assert result.exit_code in (0, 1), result.output
    assert result.output.rstrip().endswith("warnings")
    return statements


def test_check_issues_as_many_statements_for_a_large_plan_as_for_a_small_one(cli, engine):
    session = make_session_factory(engine)()
    small = build_large_plan(session, 10, title="Klein plan").slug
    large = build_large_plan(session, 200, title="Groot plan").slug
    session.commit()
    session.close()
    for_small, for_large = _statements_of_check(cli, small), _statements_of_check(cli, large)
    assert len(for_small) == len(for_large), (len(for_small), len(for_large))
    assert len(for_large) < 30


def test_schema_check_knows_the_head_alembic_knows(engine, backend):
    from planner import migrate

    assert migrate.script_head(engine) == migrate.head_revision(engine) is not None
    assert migrate.is_current(engine)
    empty = make_engine(backend.empty_url())
    try:
        assert not migrate.is_current(empty)
        migrate.upgrade(empty, "0001")
        assert migrate.current_revision(empty) == "0001" and not migrate.is_current(empty)
    finally:
        empty.dispose()


def test_check_imports_no_migrations_templates_stemmer_documents_or_web(tmp_path):
    from planner import migrate
    from planner.domain.demo import REGIONAL_SLUG, load_demo

    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_session_factory(engine)() as session:
        load_demo(session)
        session.commit()
    engine.dispose()
    modules = _modules_imported_by("check", REGIONAL_SLUG, PLANNER_DATABASE_URL=url)
    assert "planner.domain.checks" in modules
    assert {m.split(".")[0] for m in _heavy(modules)} == {"sqlalchemy"}
    assert not {"yaml", "snowballstemmer"} & {m.split(".")[0] for m in modules}


def test_models_load_without_the_public_holiday_library():
    result = subprocess.run([sys.executable, "-c", "import sys, planner.models; print('holidays' in sys.modules)"],
                            capture_output=True, text=True, env=child_env(), check=True)
    assert result.stdout.strip() == "False"


def test_the_schema_check_reads_only_one_line_literals_of_the_module(tmp_path):
    from planner import migrate

    script = tmp_path / "0002_x.py"
    script.write_text('"""revision = \'not this\'"""\nrevision = \'0002\'\ndown_revision = (\'0001\', \'0000\')\n'
                      'def upgrade():\n    revision = "nor this"\n', encoding="utf-8")
    assert migrate._literal_assignments(script) == {"revision": "0002", "down_revision": ("0001", "0000")}
    script.write_text("revision = make_one()\ndown_revision = None\n", encoding="utf-8")
    assert migrate._literal_assignments(script) is None  # Alembic itself decides then
    script.write_text("revision = '0003'  # a comment\ndown_revision = (\n    '0002',\n)\n", encoding="utf-8")
    assert migrate._literal_assignments(script) is None  # over several lines
    script.write_text("revision: str = '0004'\ndown_revision: str | None = '0003'\n", encoding="utf-8")
    assert migrate._literal_assignments(script) == {"revision": "0004", "down_revision": "0003"}
    script.write_text('revision = \'0005\'\nSQL = """\nrevision = 5\n"""\n', encoding="utf-8")
    assert migrate._literal_assignments(script) is None  # named twice: not certain which
    script.write_text("def upgrade():\n    pass\n", encoding="utf-8")
    assert migrate._literal_assignments(script) is None  # a script that names no revision
    init = tmp_path / "__init__.py"
    init.write_text("", encoding="utf-8")
    assert migrate._literal_assignments(init) == {}
