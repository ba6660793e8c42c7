"""The Dutch wording shared by the plan document and the partner sheets: dates, money, versions, embargoes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from planner import clock
from planner.enums import DecisionKind, DecisionStatus, PlanStatus
from planner.exporters.blocks import Document, HouseStyle, Paragraph, xml_safe
from planner.i18n import gettext as _
from planner.models import Plan

DUTCH = Locale.parse("nl")
MAX_LOGO_BYTES = 1024 * 1024
APPROVED = {PlanStatus.APPROVED, PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED}


def long_date(day: dt.date | None) -> str:
    return format_date(day, "EEEE d MMMM y", locale="nl") if day else ""


def plain_date(day: dt.date | None) -> str:
    """"11 januari 2027": the date as a sentence says it."""
    return format_date(day, "d MMMM y", locale="nl") if day else ""


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


def new_document(plan: Plan, title: str, subject: str) -> Document:
    return Document(title=xml_safe(title), author=xml_safe(plan.owner.name), subject=xml_safe(subject),
                    keywords=xml_safe(", ".join(filter(None, [_("communication plan"), plan.theme]))),
                    created=plan.created_at or clock.now(), modified=plan.updated_at or clock.now(),
                    style=house_style(plan))


def paragraphs(text: str, style: str = "body") -> list[Paragraph]:
    """One paragraph per line of user text; nothing for empty text."""
    return [Paragraph(line, style) for line in xml_safe(text).split("\n") if line.strip()]


def when(entry) -> str:
    text = short_date(entry.starts_on)
    if entry.ends_on != entry.starts_on:
        text += " – " + short_date(entry.ends_on)
    if entry.activity.start_time:
        text += " " + entry.activity.start_time.strftime("%H:%M")
    return text


def local_day(instant: dt.datetime | None) -> dt.date | None:
    return instant.astimezone(clock.AMSTERDAM).date() if instant else None


def approvals(plan: Plan) -> list[dt.date]:
    """The days the plan was approved: its approval snapshots, else its approval decisions that took place."""
    days = [local_day(s.created_at) for s in plan.snapshots if s.status == PlanStatus.APPROVED]
    if not days and plan.status in APPROVED:
        days = [d.decided_on for d in plan.decisions
                if d.kind == DecisionKind.APPROVAL and d.status == DecisionStatus.DONE]
    return sorted(days)


def version_text(plan: Plan, today: dt.date) -> str:
    """"Versie 2, vastgesteld op 3 februari 2027" once approved, else "concept van 30 november 2026"."""
    approved = approvals(plan)
    if approved and plan.status in APPROVED:
        return _("version %(number)d, approved on %(date)s", number=len(approved), date=plain_date(approved[-1]))
    return _("draft of %(date)s", date=plain_date(local_day(plan.updated_at) or today))


def embargo_text(embargo) -> str:
    """"niet vóór 11 januari 2027", "niet na 1 april 2027" or both."""
    bounds = []
    if embargo.first_allowed:
        bounds.append(_("not before %(date)s", date=plain_date(embargo.first_allowed)))
    if embargo.last_allowed:
        bounds.append(_("not after %(date)s", date=plain_date(embargo.last_allowed)))
    return ", ".join(bounds)
