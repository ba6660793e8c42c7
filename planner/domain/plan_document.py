"""Assemble the plan document, following the VNG handreiking."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from babel.dates import format_date

from planner.domain.calendar import entries as calendar_entries
from planner.domain.checks import check_plan
from planner.domain.document_text import (
    embargo_text, euro, label, language_name, long_date, new_document, paragraphs, short_date, version_text, when,
)
from planner.domain.plan_chapters import (
    budget_chapter, calendar_notes, checklist_chapter, load_chapter, moments_chapter, monitoring_chapter,
    responsibilities, summary_chapter,
)
from planner.domain.stakeholders import layout
from planner.exporters.blocks import (
    Contents, Document, Heading, Image, Landscape, PageBreak, Paragraph, Portrait, Table, TitlePage, language_tag,
    xml_safe,
)
from planner.exporters.stakeholder_map import stakeholder_map_png
from planner.i18n import gettext as _
from planner.models import Plan

RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "yi"}


def plan_document(plan: Plan, today: dt.date, school_holidays=(), version: str = "") -> Document:
    """The whole plan, ready to approve and share."""
    document = new_document(plan, plan.title, _("Communication plan"))
    add = document.add
    version = version or version_text(plan, today)
    add(TitlePage(xml_safe(plan.title), _("Communication plan"), tuple(xml_safe(line) for line in (
        plan.owner.name, _("Period: %(start)s to %(end)s", start=long_date(plan.starts_on), end=long_date(plan.ends_on)),
        _("Status: %(status)s", status=label(plan.status)), _("Version: %(version)s", version=version),
        _("Date: %(date)s", date=long_date(today))))))
    body_start = len(document.blocks)
    entries = calendar_entries(plan)
    findings = check_plan(plan, today, school_holidays)

    add(*summary_chapter(plan, entries), PageBreak())
    add(Heading(1, _("Introduction")), *(paragraphs(plan.introduction) or [Paragraph(_("Not filled in yet."), "note")]))
    add(Heading(1, _("Goal")), *(paragraphs(plan.goal) or [Paragraph(_("Not filled in yet."), "note")]))
    add(Heading(1, _("Strategy")), *(paragraphs(plan.strategy) or [Paragraph(_("Not filled in yet."), "note")]))

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
            # numbered in the order of the table above, so that the legend reads like it
            legend = "; ".join(f"{p.number}. {xml_safe(p.name)}" for p in layout(plan.audiences))
            add(Image(png, 12.0, _("Stakeholder map: %(legend)s", legend=legend),
                      _("Stakeholder map: interest against influence. %(legend)s", legend=legend)))
        for embargo in plan.embargoes:
            add(Paragraph(xml_safe(_("Embargo for %(audience)s: %(bounds)s. %(reason)s", audience=embargo.audience.name,
                                     bounds=embargo_text(embargo), reason=embargo.reason))))
    else:
        add(Paragraph(_("No audiences yet."), "note"))

    add(Heading(1, _("Core messages")))
    for audience in plan.audiences:
        messages = [m for m in plan.messages if m.audience_id == audience.id or m.audience is audience]
        if not messages:
            continue
        add(Heading(2, xml_safe(audience.name)))
        for message in messages:
            add(Heading(3, xml_safe(message.title)), *paragraphs(message.body))
            for translation in message.translations:
                language = language_tag(translation.language)
                rtl = (language or "").split("-")[0] in RIGHT_TO_LEFT
                add(Paragraph(xml_safe(_("Translation (%(language)s):", language=language_name(translation.language))),
                              "caption"))
                add(*[Paragraph(p.text, "body", language, rtl) for p in paragraphs(translation.body)])
    if not plan.messages:
        add(Paragraph(_("No core messages yet."), "note"))

    add(Heading(1, _("Channel mix")))
    if plan.channels:
        add(Table((_("Channel"), _("Kind"), _("Lead time (working days)"), _("Cost")),
                  [(xml_safe(c.name), label(c.kind), str(c.lead_time_days), euro(c.cost)) for c in plan.channels],
                  (5, 4, 3, 2)))
    else:
        add(Paragraph(_("No channels yet."), "note"))

    add(*moments_chapter(plan, entries))

    add(Landscape(), Heading(1, _("Communication calendar")))
    notes = calendar_notes(findings)
    if not entries:
        add(Paragraph(_("No activities yet."), "note"))
    by_month = defaultdict(list)
    for entry in entries:
        by_month[(entry.starts_on.year, entry.starts_on.month)].append(entry)
    headers = (_("Date"), _("Activity"), _("Channel"), _("Audiences"), _("Sender"), _("Message"), _("Kind"),
               _("Status"), _("Mind"))
    for (year, month), month_entries in sorted(by_month.items()):
        add(Heading(2, format_date(dt.date(year, month, 1), "LLLL y", locale="nl").capitalize()))
        add(Table(headers, [
            (when(e), xml_safe(e.activity.title), xml_safe(e.activity.channel.name if e.activity.channel else "–"),
             xml_safe(", ".join(a.name for a in e.activity.audiences)) or "–",
             xml_safe(e.activity.sender.name if e.activity.sender else plan.owner.name),
             xml_safe(e.activity.message.title if e.activity.message else "–"),
             f"{label(e.activity.reach)}\n{label(e.activity.level)}", label(e.activity.status),
             notes.get((str(e.activity.uuid), e.starts_on), ""))
            for e in month_entries], (2.6, 4, 2.6, 3.2, 2.8, 3.2, 1.8, 1.8, 2.4),
            _("Kind: internal or external, regional or local. Mind: what the checks found for this row "
              "(see the annex).")))

    add(*load_chapter(plan, today))

    add(Heading(1, _("Decision moments and responsibilities")))  # wide too: still landscape
    add(Heading(2, _("Decision moments")))
    if plan.decisions:
        add(Table((_("Date"), _("Moment"), _("Kind"), _("With whom"), _("Status"), _("Outcome")),
                  [(short_date(d.decided_on), xml_safe(d.title), label(d.kind), xml_safe(d.participants),
                    label(d.status), xml_safe(d.outcome)) for d in plan.decisions], (3, 4, 2, 4, 2, 4)))
    else:
        add(Paragraph(_("No decision moments yet."), "note"))

    add(*responsibilities(plan))
    add(Portrait(), *budget_chapter(plan))
    add(*monitoring_chapter(plan))
    add(*checklist_chapter(plan))

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


