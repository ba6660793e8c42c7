"""`planner privacy`: personal data of contact persons (AVG/GDPR)."""

from __future__ import annotations

import json

import click

from planner.cli.base import Context, pass_context


@click.group()
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
    from planner.enums import N_, SecurityEventKind

    for contact in person.contacts:
        record(session, SecurityEventKind[kind], detail=N_("plan %(plan)s: contact person %(contact)s of %(partner)s"),
               plan=contact.partner.plan.slug, contact=str(contact.uuid), partner=contact.partner.name)
    if not person.contacts:  # only copies are left of a contact person deleted earlier
        record(session, SecurityEventKind[kind], detail=N_("copies of deleted contact persons %(contacts)s"),
               contacts=", ".join(sorted(str(uid) for uid in person.uuids)))
