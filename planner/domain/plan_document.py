"""Assemble the plan document and the per-partner overview, following the VNG handreiking."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from planner.domain.calendar import entries as calendar_entries
from planner.domain.checks import check_plan
from planner import clock
from planner.enums import ChecklistStatus
from planner.exporters.blocks import (
    Contents, Document, Heading, HouseStyle, Image, Landscape, PageBreak, Paragraph, Portrait, Table, TitlePage,
    language_tag, xml_safe,
)
from planner.exporters.stakeholder_map import stakeholder_map_png
from planner.i18n import gettext as _
from planner.models import Partner, Plan

DUTCH = Locale.parse("nl")
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "yi"}
MAX_LOGO_BYTES = 1024 * 1024


def long_date(day: dt.date | None) -> str:
    return format_date(day, "EEEE d MMMM y", locale="nl") if day else ""


@lru_cache(maxsize=4096)
def short_date(day: dt.date | None) -> str:
    return format_date(day, "EEE d MMM y", locale="nl") if day else ""


def euro(amount: Decimal | None) -> str:
    return format_currency(amount, "EUR", locale="nl") if amount is not None else "–"


def language_name(code: str) -> str:
    """The Dutch name of a language code ("ar" gives "Arabisch"); the code itself when babel does not know it."""
    code = xml_safe(code).strip()
    return DUTCH.languages.get(code.replace("_", "-").split("-")[0].lower(), code)


def label(member) -> str:
    return _(member.label) if member is not None else ""


def house_style(plan: Plan) -> HouseStyle:
    owner = plan.owner
    logo = owner.logo if owner.logo and len(owner.logo) <= MAX_LOGO_BYTES else None
    return HouseStyle(owner.primary_colour or "#154273", owner.font or "Calibri", logo)


def _new_document(plan: Plan, title: str, subject: str) -> Document:
    return Document(title=xml_safe(title), author=xml_safe(plan.owner.name), subject=xml_safe(subject),
                    keywords=xml_safe(", ".join(filter(None, [_("communication plan"), plan.theme]))),
                    created=plan.created_at or clock.now(), modified=plan.updated_at or clock.now(),
                    style=house_style(plan))


def _para(text: str, style: str = "body") -> list[Paragraph]:
    """One paragraph per line of user text; nothing for empty text."""
    return [Paragraph(xml_safe(line), style) for line in xml_safe(text).split("\n") if line.strip()]


def _when(entry) -> str:
    text = short_date(entry.starts_on)
    if entry.ends_on != entry.starts_on:
        text += " – " + short_date(entry.ends_on)
    if entry.activity.start_time:
        text += " " + entry.activity.start_time.strftime("%H:%M")
    return text


def plan_document(plan: Plan, today: dt.date, school_holidays=(), version: str = "") -> Document:
    """The whole plan, ready to approve and share."""
    document = _new_document(plan, plan.title, _("Communication plan"))
    add = document.add
    if not version:
        version = plan.updated_at.strftime("%Y%m%d.%H%M") if plan.updated_at else "1"
    add(TitlePage(xml_safe(plan.title), _("Communication plan"), tuple(xml_safe(line) for line in (
        plan.owner.name, _("Period: %(start)s to %(end)s", start=long_date(plan.starts_on), end=long_date(plan.ends_on)),
        _("Status: %(status)s", status=label(plan.status)), _("Version: %(version)s", version=version),
        _("Date: %(date)s", date=long_date(today))))))
    body_start = len(document.blocks)

    add(Heading(1, _("Introduction")), *(_para(plan.introduction) or [Paragraph(_("Not filled in yet."), "note")]))
    add(Heading(1, _("Goal")), *(_para(plan.goal) or [Paragraph(_("Not filled in yet."), "note")]))
    add(Heading(1, _("Strategy")), *(_para(plan.strategy) or [Paragraph(_("Not filled in yet."), "note")]))

    add(Heading(1, _("Partners and their roles")))
    sends = defaultdict(set)
    for activity in plan.activities:
        if activity.sender is not None and activity.channel is not None:
            sends[activity.sender.id].add(activity.channel.name)
    if plan.partners:
        add(Table((_("Partner"), _("Role in this plan"), _("Sends")),
                  [(xml_safe(p.name), xml_safe(p.role), xml_safe(", ".join(sorted(sends[p.id])) or "–"))
                   for p in plan.partners], (3, 5, 4)))
    else:
        add(Paragraph(_("No partners yet."), "note"))

    add(Heading(1, _("Audiences and stakeholders")))
    if plan.audiences:
        # "Belang" and "Invloed" hold one digit: abbreviated headers leave the words room (legend in the caption)
        add(Table((_("Audience"), _("Category"), _("Int."), _("Infl."), _("Intensity"), _("Languages"),
                   _("Via partners")),
                  [(xml_safe(a.name), label(a.category), str(a.interest or "–"), str(a.influence or "–"),
                    label(a.intensity), xml_safe(", ".join(language_name(code) for code in a.languages or [])),
                    xml_safe(", ".join(p.name for p in a.intermediaries)) or "–") for a in plan.audiences],
                  (4, 3, 1, 1, 2, 2, 3), _("Int. = interest, Infl. = influence, each from 1 (low) to 5 (high).")))
        png = stakeholder_map_png(plan.audiences, {
            "satisfied": _("Keep satisfied"), "manage": _("Manage closely"), "monitor": _("Monitor"),
            "inform": _("Keep informed"), "interest": _("Interest"), "influence": _("Influence")},
            document.style.rgb)
        if png:
            placed = [a for a in plan.audiences if a.on_stakeholder_map]
            from planner.domain.stakeholders import layout

            legend = "; ".join(f"{p.number}. {xml_safe(p.name)}" for p in layout(placed))
            add(Image(png, 12.0, _("Stakeholder map: %(legend)s", legend=legend),
                      _("Stakeholder map: interest against influence. %(legend)s", legend=legend)))
        for embargo in plan.embargoes:
            bounds = []
            if embargo.first_allowed:
                bounds.append(_("not before %(date)s", date=long_date(embargo.first_allowed)))
            if embargo.last_allowed:
                bounds.append(_("not after %(date)s", date=long_date(embargo.last_allowed)))
            add(Paragraph(xml_safe(_("Embargo for %(audience)s: %(bounds)s. %(reason)s", audience=embargo.audience.name,
                                     bounds=", ".join(bounds), reason=embargo.reason))))
    else:
        add(Paragraph(_("No audiences yet."), "note"))

    add(Heading(1, _("Core messages")))
    for audience in plan.audiences:
        messages = [m for m in plan.messages if m.audience_id == audience.id or m.audience is audience]
        if not messages:
            continue
        add(Heading(2, xml_safe(audience.name)))
        for message in messages:
            add(Heading(3, xml_safe(message.title)), *_para(message.body))
            for translation in message.translations:
                language = language_tag(translation.language)
                rtl = (language or "").split("-")[0] in RIGHT_TO_LEFT
                add(Paragraph(xml_safe(_("Translation (%(language)s):", language=language_name(translation.language))),
                              "caption"))
                add(*[Paragraph(p.text, "body", language, rtl) for p in _para(translation.body)])
    if not plan.messages:
        add(Paragraph(_("No core messages yet."), "note"))

    add(Heading(1, _("Channel mix")))
    if plan.channels:
        add(Table((_("Channel"), _("Kind"), _("Lead time (working days)"), _("Cost")),
                  [(xml_safe(c.name), label(c.kind), str(c.lead_time_days), euro(c.cost)) for c in plan.channels],
                  (5, 4, 3, 2)))
    else:
        add(Paragraph(_("No channels yet."), "note"))

    add(Landscape(), Heading(1, _("Communication calendar")))
    entries = calendar_entries(plan)
    if not entries:
        add(Paragraph(_("No activities yet."), "note"))
    by_month = defaultdict(list)
    for entry in entries:
        by_month[(entry.starts_on.year, entry.starts_on.month)].append(entry)
    headers = (_("Date"), _("Activity"), _("Channel"), _("Audiences"), _("Sender"), _("Message"), _("Status"))
    for (year, month), month_entries in sorted(by_month.items()):
        add(Heading(2, format_date(dt.date(year, month, 1), "LLLL y", locale="nl").capitalize()))
        add(Table(headers, [
            (_when(e), xml_safe(e.activity.title), xml_safe(e.activity.channel.name if e.activity.channel else "–"),
             xml_safe(", ".join(a.name for a in e.activity.audiences)) or "–",
             xml_safe(e.activity.sender.name if e.activity.sender else plan.owner.name),
             xml_safe(e.activity.message.title if e.activity.message else "–"), label(e.activity.status))
            for e in month_entries], (3, 5, 3, 4, 3.4, 4, 2.3)))

    add(Heading(1, _("Decision moments and responsibilities")))  # wide too: still landscape
    if plan.decisions:
        add(Table((_("Date"), _("Moment"), _("Kind"), _("With whom"), _("Status"), _("Outcome")),
                  [(short_date(d.decided_on), xml_safe(d.title), label(d.kind), xml_safe(d.participants),
                    label(d.status), xml_safe(d.outcome)) for d in plan.decisions], (3, 4, 2, 4, 2, 4)))
    else:
        add(Paragraph(_("No decision moments yet."), "note"))

    add(Portrait(), Heading(1, _("Budget")))
    channel_costs = sum((c.cost or Decimal(0) for c in plan.channels), Decimal(0))
    rows = [(_("Budget"), euro(plan.budget)), (_("Cost of the channels"), euro(channel_costs))]
    if plan.budget is not None:
        rows.append((_("Remaining"), euro(plan.budget - channel_costs)))
    add(Table((_("Item"), _("Amount")), rows, (6, 3)))

    add(Heading(1, _("Monitoring and evaluation")))
    add(*_para(plan.evaluation))
    if plan.observations:
        add(Table((_("Date"), _("Kind"), _("Activity"), _("What came back"), _("Number")),
                  [(short_date(o.observed_on), label(o.kind), xml_safe(o.activity.title if o.activity else "–"),
                    xml_safe(o.text), str(o.count) if o.count is not None else "–") for o in plan.observations],
                  (3, 2, 4, 7, 1.5)))
    else:
        add(Paragraph(_("No observations yet."), "note"))

    add(Heading(1, _("Checklist status")))
    rows = []
    for phase in plan.phases:
        relevant = [i for i in phase.items if i.status != ChecklistStatus.NOT_APPLICABLE]
        done = [i for i in relevant if i.status == ChecklistStatus.DONE]
        rows.append((xml_safe(phase.name), _("%(done)d of %(total)d done", done=len(done), total=len(relevant)),
                     xml_safe(", ".join(i.title for i in relevant if i.status != ChecklistStatus.DONE)[:2000]) or "–"))
    add(Table((_("Phase"), _("Progress"), _("Still open")), rows, (3, 3, 10)))

    findings = check_plan(plan, today, school_holidays)
    add(PageBreak(), Heading(1, _("Annex: calendar checks"), numbered=False))
    if findings:
        add(Table((_("Kind"), _("Finding")),
                  [(label(f.severity), xml_safe(f.text(_, short_date))) for f in findings], (2, 12)))
    else:
        add(Paragraph(_("The checks found no problems in this plan.")))

    document.number_headings()
    document.blocks.insert(body_start, Contents(_("Contents"), document.headings()))
    document.blocks.insert(body_start + 1, PageBreak())
    return document


def partner_document(plan: Plan, partner: Partner, today: dt.date) -> Document:
    """What this partner does when, for whom, with which message: one page where the plan allows."""
    title = _("%(partner)s in %(plan)s", partner=partner.name, plan=plan.title)
    document = _new_document(plan, title, _("Partner overview"))
    add = document.add
    add(Heading(1, xml_safe(title)))
    add(Paragraph(xml_safe(_("Period: %(start)s to %(end)s", start=long_date(plan.starts_on),
                             end=long_date(plan.ends_on))), "caption"))
    if partner.role:
        add(*_para(partner.role))
    passed_on = {a.id for a in plan.audiences if partner in a.intermediaries}
    rows = []
    for entry in calendar_entries(plan):
        activity = entry.activity
        sends = activity.sender_id == partner.id
        if not sends and not any(a.id in passed_on for a in activity.audiences):
            continue
        rows.append((_when(entry), xml_safe(activity.title), xml_safe(", ".join(a.name for a in activity.audiences)),
                     xml_safe(activity.message.title if activity.message else "–"),
                     _("sends") if sends else _("passes on")))
    add(Heading(2, _("What you do when")))
    if rows:
        add(Table((_("Date"), _("Activity"), _("Audiences"), _("Message"), _("Your part")), rows, (3, 5, 4, 4, 2)))
    else:
        add(Paragraph(_("There are no activities for this partner yet."), "note"))
    messages = {m.id: m for e in calendar_entries(plan) for m in [e.activity.message] if m is not None
                and (e.activity.sender_id == partner.id or any(a.id in passed_on for a in e.activity.audiences))}
    if messages:
        add(Heading(2, _("The messages")))
        for message in messages.values():
            add(Heading(3, xml_safe(f"{message.title} ({message.audience.name})")), *_para(message.body))
    add(Paragraph(xml_safe(_("Questions? Contact %(organisation)s.", organisation=plan.owner.name)), "note"))
    return document
