"""Render a block document as .docx with python-docx: real Word styles, repeating table headers.

Table rows are written as XML directly: python-docx's `table.cell(r, c)` is quadratic and
`add_row().cells` costs about half a millisecond a row.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from planner.exporters.blocks import Contents, Document, Heading, Image, PageBreak, Paragraph, Table, TitlePage
from planner.resources import templates_dir

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERENCE = "documents/reference.docx"
TABLE_STYLE = "Table Grid"


def reference_template() -> Path | None:
    """An administrator's reference document (templates/documents/reference.docx), when there is one."""
    path = templates_dir() / REFERENCE
    return path if path.is_file() else None


def _apply_house_style(doc, document: Document) -> None:
    colour = RGBColor(*document.style.rgb)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = document.style.font, Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), document.style.font)
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = document.style.font, Pt(size), colour
    styles["Caption"].font.color.rgb = RGBColor(0x4B, 0x4B, 0x4B)


def _metadata(doc, document: Document) -> None:
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = document.title, document.author, document.author
    props.subject, props.keywords, props.language = document.subject, document.keywords, document.language
    props.created, props.modified = document.created.replace(tzinfo=None), document.modified.replace(tzinfo=None)
    props.comments, props.category, props.revision = "", document.subject, 1


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (TOC, PAGE) whose current result is `shown` until the reader updates fields."""
    def char(kind):
        run = OxmlElement("w:r")
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run.append(element)
        return run

    paragraph._p.append(char("begin"))
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    run.append(text)
    paragraph._p.append(run)
    paragraph._p.append(char("separate"))
    paragraph.add_run(shown)
    paragraph._p.append(char("end"))


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def _cell(text: str, width: int, bold: bool = False) -> etree._Element:
    tc = etree.Element(W + "tc")
    tc_pr = etree.SubElement(tc, W + "tcPr")
    tc_w = etree.SubElement(tc_pr, W + "tcW")
    tc_w.set(W + "w", str(width))
    tc_w.set(W + "type", "dxa")
    lines = text.split("\n") or [""]
    for line in lines:
        p = etree.SubElement(tc, W + "p")
        spacing = etree.SubElement(etree.SubElement(p, W + "pPr"), W + "spacing")
        spacing.set(W + "after", "0")
        r = etree.SubElement(p, W + "r")
        r_pr = etree.SubElement(r, W + "rPr")
        if bold:
            etree.SubElement(r_pr, W + "b")
        etree.SubElement(r_pr, W + "sz").set(W + "val", "18")  # 9 pt
        t = etree.SubElement(r, W + "t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
    return tc


def _table(doc, block: Table, usable_twips: int, style_name: str) -> None:
    total = sum(block.widths)
    widths = [int(usable_twips * w / total) for w in block.widths]
    table = doc.add_table(rows=0, cols=len(block.headers))
    if style_name in [s.name for s in doc.styles]:
        table.style = doc.styles[style_name]
    table.autofit = False  # a fixed layout (w:tblLayout), in schema order
    tbl = table._tbl
    tbl_w = tbl.tblPr.find(W + "tblW")  # python-docx writes one; change it in place to keep the schema order
    if tbl_w is not None:
        tbl_w.set(W + "w", str(sum(widths)))
        tbl_w.set(W + "type", "dxa")
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(W + "gridCol"), widths):
        col.set(W + "w", str(width))
    header = etree.SubElement(tbl, W + "tr")
    tr_pr = etree.SubElement(header, W + "trPr")
    etree.SubElement(tr_pr, W + "tblHeader")  # repeat on every page
    etree.SubElement(tr_pr, W + "cantSplit")
    for text, width in zip(block.headers, widths):
        header.append(_cell(text, width, bold=True))
    for row in block.rows:
        tr = etree.SubElement(tbl, W + "tr")
        etree.SubElement(etree.SubElement(tr, W + "trPr"), W + "cantSplit")
        for text, width in zip(row, widths):
            tr.append(_cell(text, width))
    if block.caption:
        doc.add_paragraph(block.caption, style="Caption")


def render_docx(document: Document) -> bytes:
    """The .docx bytes of `document`."""
    reference = reference_template()
    doc = new_docx(str(reference)) if reference else new_docx()
    if reference is None:
        _apply_house_style(doc, document)
    _metadata(doc, document)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    usable = int((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU to twips
    body = doc.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    footer = section.footer.paragraphs[0]
    footer.text = f"{document.title} – "
    _field(footer, "PAGE", "1")
    for block in document.blocks:
        if isinstance(block, TitlePage):
            if document.style.logo:
                try:
                    doc.add_picture(io.BytesIO(document.style.logo), width=Cm(5))
                    doc.inline_shapes[-1]._inline.docPr.set("descr", document.author)
                except Exception:  # noqa: BLE001 - an unreadable logo must not stop the document
                    pass
            doc.add_paragraph(block.title, style="Title")
            doc.add_paragraph(block.subtitle, style="Subtitle")
            for line in block.lines:
                doc.add_paragraph(line)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Contents):
            doc.add_paragraph(block.title, style="TOC Heading" if "TOC Heading" in doc.styles else "Heading 1")
            paragraph = doc.add_paragraph()
            _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u',
                   "\n".join(("    " * (level - 1)) + text for level, text in block.entries if level <= 2))
            _update_fields_on_open(doc)
        elif isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            style = {"caption": "Caption", "note": "Quote"}.get(block.style, "Normal")
            paragraph = doc.add_paragraph(block.text, style=style if style in doc.styles else "Normal")
            if block.right_to_left:
                p_pr = paragraph._p.get_or_add_pPr()
                p_pr.append(OxmlElement("w:bidi"))
                for run in paragraph.runs:
                    r_pr = run._r.get_or_add_rPr()
                    r_pr.append(OxmlElement("w:rtl"))
                    lang = OxmlElement("w:lang")
                    lang.set(qn("w:bidi"), block.language or "ar")
                    r_pr.append(lang)
        elif isinstance(block, Table):
            _table(doc, block, usable, TABLE_STYLE)
        elif isinstance(block, Image):
            doc.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            doc.inline_shapes[-1]._inline.docPr.set("descr", block.alt)
            if block.caption:
                doc.add_paragraph(block.caption, style="Caption")
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


__all__ = ["render_docx", "reference_template"]
