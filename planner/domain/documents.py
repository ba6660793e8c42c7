"""Produce the plan document and partner overviews in every format: one path for CLI and web."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Callable

from slugify import slugify
from sqlalchemy.orm import Session

from planner import __version__
from planner.domain.document_text import house_style
from planner.domain.partner_sheet import partner_document
from planner.domain.plan_cache import plan_stamp
from planner.domain.plan_document import plan_document
from planner.domain.plans import load_activities
from planner.domain.school_holidays import all_holidays
from planner.exporters.docx import render_docx
from planner.exporters.fonts import with_installed_font
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from planner.exporters.pdf_layout import laid_out_pdf
from planner.models import (
    ContactPerson, Decision, KeyMessage, MessageTranslation, Observation, Organisation, Partner, Plan, PlanSnapshot,
)

Converter = Callable[[bytes, str], bytes]  # document bytes and suffix -> PDF bytes

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Output:
    data: bytes
    filename: str
    mimetype: str


def _render(document, fmt: str, convert: Converter) -> bytes:
    if fmt == "docx":
        return render_docx(document)
    if fmt == "odt":
        return render_odt(document)
    if fmt == "pdf":
        return laid_out_pdf(with_installed_font(document), render_odt, lambda odt: convert(odt, ".odt"))
    raise ValueError(f"unknown format {fmt!r} (docx, odt or pdf)")


def plan_output(session: Session, plan: Plan, fmt: str, today: dt.date, convert: Converter = convert_to_pdf) -> Output:
    load_activities(session, plan)
    document = plan_document(plan, today, all_holidays(session))
    return Output(_render(document, fmt, convert), plan_filename(plan, fmt), FORMATS[fmt])


def partner_output(plan: Plan, partner: Partner, fmt: str, today: dt.date,
                   convert: Converter = convert_to_pdf) -> Output:
    document = partner_document(plan, partner, today)
    return Output(_render(document, fmt, convert), partner_filename(plan, partner, fmt), FORMATS[fmt])


def plan_filename(plan: Plan, fmt: str) -> str:
    return f"{plan.slug}.{fmt}"


def partner_filename(plan: Plan, partner: Partner, fmt: str) -> str:
    return f"{plan.slug}-{slugify(partner.name, max_length=60) or 'partner'}.{fmt}"


def document_stamp(session: Session, plan_id: int) -> tuple:
    """Everything the plan document and the partner sheets show, in one statement (see plan_cache.plan_stamp)."""
    return plan_stamp(session, plan_id, extra_sources=(
        (Decision.updated_at, Decision.plan_id == plan_id, None),
        (Observation.updated_at, Observation.plan_id == plan_id, None),
        (PlanSnapshot.created_at, PlanSnapshot.plan_id == plan_id, None),
        (Organisation.updated_at, Partner.plan_id == plan_id, Partner),  # partner names
        (ContactPerson.updated_at, Partner.plan_id == plan_id, Partner),
        (MessageTranslation.updated_at, KeyMessage.plan_id == plan_id, KeyMessage),
    ))


def document_version(session: Session, plan: Plan, kind: str, today: dt.date) -> str:
    """A digest that changes when the document `kind` of the plan would come out differently.

    The plan's content, the day (documents say "draft of" and count from today), the owner's house style
    and the planner's version (a new release may lay documents out differently)."""
    style = house_style(plan)
    logo = hashlib.sha256(style.logo).hexdigest() if style.logo else ""
    key = (document_stamp(session, plan.id), today, style.colour, style.font, logo, kind, __version__)
    return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:40]
