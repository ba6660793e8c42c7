"""Produce the plan document and partner overviews in every format: one path for CLI and web."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from slugify import slugify
from sqlalchemy.orm import Session

from planner.domain.partner_sheet import partner_document
from planner.domain.plan_document import plan_document
from planner.domain.school_holidays import all_holidays
from planner.exporters.docx import render_docx
from planner.exporters.fonts import with_installed_font
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from planner.models import Partner, Plan

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


def _render(document, fmt: str) -> bytes:
    if fmt == "docx":
        return render_docx(document)
    if fmt == "odt":
        return render_odt(document)
    if fmt == "pdf":
        return convert_to_pdf(render_odt(with_installed_font(document)), ".odt")
    raise ValueError(f"unknown format {fmt!r} (docx, odt or pdf)")


def plan_output(session: Session, plan: Plan, fmt: str, today: dt.date) -> Output:
    document = plan_document(plan, today, all_holidays(session))
    return Output(_render(document, fmt), f"{plan.slug}.{fmt}", FORMATS[fmt])


def partner_output(plan: Plan, partner: Partner, fmt: str, today: dt.date) -> Output:
    document = partner_document(plan, partner, today)
    name = slugify(partner.name, max_length=60) or "partner"
    return Output(_render(document, fmt), f"{plan.slug}-{name}.{fmt}", FORMATS[fmt])
