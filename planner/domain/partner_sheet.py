"""The one-page partner sheet: what a partner sends and passes on, when, to whom, with which message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from babel.dates import format_date

from planner.domain.calendar import entries as calendar_entries
from planner.domain.document_text import (
    embargo_text, language_name, new_document, paragraphs, plain_date, short_date, version_text,
)
from planner.enums import ActivityStatus, ChannelKind
from planner.exporters.blocks import Document, Heading, Paragraph, Table, xml_safe
from planner.i18n import gettext as _
from planner.models import Partner, Plan

# What an intermediary hands on to its own people; a press release or an advertisement it does not.
PASSED_ON_KINDS = {ChannelKind.LETTER, ChannelKind.LEAFLET, ChannelKind.POSTER, ChannelKind.EMAIL_WEBSITE,
                   ChannelKind.NEWSLETTER, ChannelKind.SOCIAL_MEDIA}
FINISHED = {ActivityStatus.DONE, ActivityStatus.CANCELLED}
COLUMNS = (2.0, 3.0, 4.4, 3.4, 1.8, 2.2)


@dataclass(frozen=True)
class Item:
    entry: object  # the first date still to come; a recurring activity is one item
    audiences: tuple  # only the audiences this partner reaches with the item
    last: object = None  # the last date of a recurring activity
    count: int = 1


def partner_items(plan: Plan, partner: Partner) -> tuple[list[Item], list[Item]]:
    """What the partner sends, and what it passes on: on a channel it uses for that audience, not yet done."""
    used = {(a.channel_id, audience.id) for a in plan.activities if a.sender_id == partner.id
            for audience in a.audiences}
    intermediary_for = {a.id for a in plan.audiences if any(p.id == partner.id for p in a.intermediaries)}
    sends, passes_on, seen = [], [], {}
    for entry in calendar_entries(plan):
        activity = entry.activity
        if activity.status in FINISHED:
            continue
        if activity.id in seen:  # the next date of a recurring activity widens its item
            items, index = seen[activity.id]
            items[index] = replace(items[index], last=entry, count=items[index].count + 1)
            continue
        if activity.sender_id == partner.id:
            seen[activity.id] = (sends, len(sends))
            sends.append(Item(entry, tuple(activity.audiences)))
        elif activity.channel is not None:
            reached = tuple(a for a in activity.audiences if a.id in intermediary_for and (
                activity.channel.kind in PASSED_ON_KINDS or (activity.channel_id, a.id) in used))
            if reached:
                seen[activity.id] = (passes_on, len(passes_on))
                passes_on.append(Item(entry, reached))
    return sends, passes_on


def _translations(message, audiences) -> str:
    """Which of the languages the audiences need the message has, and which it still lacks."""
    needed = {code for audience in audiences for code in audience.languages or [] if code.split("-")[0] != "nl"}
    have = {t.language for t in message.translations}
    parts = []
    if needed & have:
        parts.append(_("translated into %(languages)s", languages=", ".join(sorted(language_name(c) for c in needed & have))))
    if needed - have:
        parts.append(_("not yet into %(languages)s", languages=", ".join(sorted(language_name(c) for c in needed - have))))
    return xml_safe("; ".join(parts))


def _embargo_cell(plan: Plan, audiences) -> str:
    ids = {a.id for a in audiences}
    bounds = dict.fromkeys(embargo_text(e) for e in plan.embargoes if e.audience_id in ids)
    return xml_safe("; ".join(bounds)) or "–"


def _day_format(plan: Plan):
    """Dates without the year when the plan's period cannot make them ambiguous."""
    if (plan.ends_on - plan.starts_on).days < 360:
        return lambda day: format_date(day, "EEE d MMM", locale="nl").replace(" ", "\u00a0") if day else ""
    return short_date


def _table(plan: Plan, items: list[Item]) -> Table:
    short_date = _day_format(plan)
    rows = []
    for item in items:
        entry, activity = item.entry, item.entry.activity
        day = short_date(entry.starts_on) + (f" {activity.start_time:%H:%M}" if activity.start_time else "")
        if item.count > 1:
            day = _("%(first)s to %(last)s (%(count)d times)", first=day, last=short_date(item.last.starts_on),
                    count=item.count)
        rows.append((day,
                     xml_safe(activity.channel.name if activity.channel else activity.title),
                     xml_safe(", ".join(a.name for a in item.audiences)) or "–",
                     xml_safe(activity.message.title) if activity.message else "–",
                     short_date(entry.production_starts_on) or "–", _embargo_cell(plan, item.audiences)))
    headers = (_("Date"), _("Channel"), _("Audience"), _("Message"), _("Production"), _("Embargo"))
    if all(row[-1] == "–" for row in rows):  # no embargo to mention: the room goes to the other columns
        return Table(headers[:-1], [row[:-1] for row in rows], COLUMNS[:-1])
    return Table(headers, rows, COLUMNS)


def partner_document(plan: Plan, partner: Partner, today: dt.date) -> Document:
    """What this partner does when, for whom, with which message, and whom to call: one A4 page."""
    title = _("%(partner)s in %(plan)s", partner=partner.name, plan=plan.title)
    document = new_document(plan, title, _("Partner overview"))
    add = document.add
    add(Heading(1, xml_safe(partner.name), numbered=False))
    caption = _("Your part in %(plan)s, %(start)s to %(end)s", plan=plan.title, start=plain_date(plan.starts_on),
                end=plain_date(plan.ends_on))
    role = " ".join(p.text for p in paragraphs(partner.role))
    add(Paragraph(xml_safe(f"{caption}. {role}" if role else caption), "small"))
    sends, passes_on = partner_items(plan, partner)
    for heading, items, empty in ((_("What you send"), sends, _("You send nothing yourself in this plan.")),
                                  (_("What you pass on to your people"), passes_on, _("Nothing to pass on."))):
        if items:
            add(Heading(3, heading, numbered=False), _table(plan, items))
        else:  # one line instead of a heading: the page is for what the partner does
            add(Paragraph(empty, "small"))
    messages = {}
    for item in sends + passes_on:
        message = item.entry.activity.message
        if message is not None:
            messages.setdefault(message.id, (message, set()))[1].update(item.audiences)
    if messages:
        add(Heading(3, _("The core messages"), numbered=False))
        for message, audiences in messages.values():
            text = " ".join(p.text for p in paragraphs(message.body))
            translations = _translations(message, audiences)
            add(Paragraph(xml_safe(f"{message.title}: {text}") + (f" ({translations})" if translations else ""),
                          "small"))
    if plan.contact_name:
        contact = ", ".join(xml_safe(part) for part in (plan.contact_name, plan.owner.name, plan.contact_phone,
                                                       plan.contact_email) if part)
        ask = _("Questions? Call or e-mail %(contact)s.", contact=contact)
    else:
        ask = xml_safe(_("Questions? Contact %(organisation)s.", organisation=plan.owner.name))
    add(Paragraph(ask + " " + _("Plan %(version)s; this sheet was made on %(date)s.",
                                version=version_text(plan, today), date=plain_date(today)), "small"))
    return document
