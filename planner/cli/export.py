"""`planner export`: a plan as JSON, as a plan document, or as a partner's one-page overview."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner import clock
from planner.cli.base import Context, pass_context, plan_or_fail


@click.group()
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


for _format in ("docx", "odt", "pdf"):
    def _make_command(fmt):
        @export.command(fmt, help=f"Write the plan document of SLUG as .{fmt} (Dutch, in the owner's house style).")
        @click.argument("slug")
        @click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: SLUG.ext in the export folder).")
        @pass_context
        def command(ctx: Context, slug: str, output: str | None):
            from planner.domain.documents import plan_output
            from planner.domain.plans import plan_contents

            with ctx.session() as session:
                plan = plan_or_fail(session, slug, plan_contents())
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
    from planner.domain.documents import partner_output

    with ctx.session() as session:
        plan = plan_or_fail(session, slug)
        partner = next((p for p in plan.partners if p.name.lower() == partner_name.lower()), None)
        if partner is None:
            raise click.ClickException(f"no partner {partner_name!r} in this plan; partners: "
                                       + ", ".join(p.name for p in plan.partners))
        _write_document(ctx, "partner overview", output, lambda: partner_output(plan, partner, fmt, clock.today()))
