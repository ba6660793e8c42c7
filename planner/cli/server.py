"""Run the planner: the development web server, the scheduler, or both."""

from __future__ import annotations

import sys

import click

from planner.cli.base import Context, log_to_stderr, pass_context


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show tracebacks (never in production).")
def serve(host: str, port: int, debug: bool):
    """Run the development web server (production: gunicorn 'planner.web:create_app()')."""
    from planner.web import create_app

    create_app().run(host=host, port=port, debug=debug)


@click.command()
@pass_context
def scheduler(ctx: Context):
    """Run the scheduler: reminder e-mails, feed preparation, tombstone purge (one process; a second one waits)."""
    from planner.scheduler import Scheduler
    from planner.web import create_app

    ctx.require_current_schema()
    log_to_stderr()
    sys.exit(Scheduler(create_app()).run())


@click.command()
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
