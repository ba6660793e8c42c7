"""Render a block document as .docx with python-docx: real Word styles, repeating table headers.

Table rows are written as XML directly: python-docx's `table.cell(r, c)` is quadratic and
`add_row().cells` costs about half a millisecond a row.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from xml.sax.saxutils import escape

from planner.exporters.blocks import (
    BulletList, Contents, Document, Heading, Image, Landscape, PageBreak, Paragraph, Portrait, Table, TitlePage,
)
from planner.exporters.layout import column_layout
from planner.resources import templates_dir

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERENCE = "documents/reference.docx"
TABLE_STYLE = "Table Grid"
MARGIN = Cm(2.2)
TWIPS_PER_CM = 567
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
P_PR_AFTER_SUPPRESS_AUTO_HYPHENS = tuple(f"w:{name}" for name in (  # w:pPr's children after it (ECMA-376)
    "kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing "
    "ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap "
    "outlineLvl divId cnfStyle rPr sectPr pPrChange").split())
HEADER_LOGO = (Cm(5), Cm(1.2))  # the logo in the page header fits this box (width, height)
APP_PROPERTIES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                  '<Application>planner</Application><Company>{company}</Company><DocSecurity>0</DocSecurity>'
                  '</Properties>')


def reference_template() -> Path | None:
    """An administrator's reference document (templates/documents/reference.docx), when there is one."""
    path = templates_dir() / REFERENCE
    return path if path.is_file() else None


def _set_font(style, font: str) -> None:
    """The house font for every script, replacing the template's theme fonts (which would win)."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in THEME_FONTS:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)


def _declare_language(doc, language: str) -> None:
    """The document's language in the defaults, so Word and LibreOffice spell-check Dutch as Dutch."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")


def _apply_house_style(doc, document: Document) -> None:
    colour = RGBColor(*document.style.rgb)
    font = document.style.font
    styles = doc.styles
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = defaults.find(qn("w:rFonts"))
    for attribute in THEME_FONTS:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_font(normal, font)
    for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5),
                       ("TOC Heading", 16)):
        style = styles[name]
        _set_font(style, font)
        style.font.size, style.font.color.rgb = Pt(size), colour
        style.font.italic = False
    styles["Title"].font.bold = True  # as on the .odt title page
    border = styles["Title"].element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    if border is not None:  # the title rule in the house colour, not the template's blue
        border.set(qn("w:color"), str(colour))
        border.attrib.pop(qn("w:themeColor"), None)
    styles["Caption"].font.color.rgb = RGBColor(0x4B, 0x4B, 0x4B)
    styles["Caption"].font.bold = False
    for level in (1, 2):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.bold = level == 1
        fmt = style.paragraph_format
        fmt.left_indent, fmt.space_after = Cm(0.6 * (level - 1)), Pt(2)
        fmt.tab_stops.add_tab_stop(Cm(21) - 2 * MARGIN, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _metadata(doc, document: Document) -> None:
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = document.title, document.author, document.author
    props.subject, props.keywords, props.language = document.subject, document.keywords, document.language
    props.created, props.modified = document.created.replace(tzinfo=None), document.modified.replace(tzinfo=None)
    props.comments, props.category, props.revision = "", document.subject, 1
    _drop_template_leftovers(doc, document)


def _drop_template_leftovers(doc, document: Document) -> None:
    """python-docx's template says "Microsoft Macintosh Word", 1 page, 0 words and carries a blank thumbnail."""
    package = doc.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_PROPERTIES.format(company=escape(document.author)).encode()
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a part nothing refers to is not saved
            package.rels.pop(rel_id)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, PAGEREF) showing `shown` until the reader's program computes it."""
    def char(kind):
        run = OxmlElement("w:r")
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run.append(element)
        return run

    paragraph.append(char("begin"))
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    paragraph.append(run)
    paragraph.append(char("separate"))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    paragraph.append(run)
    paragraph.append(char("end"))


# the order of w:settings' children in ECMA-376 (CT_Settings), from the one we set on: Word may refuse others
SETTINGS_ORDER = tuple(f"w:{name}" for name in (
    "defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope "
    "summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting "
    "bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
    "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning "
    "characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore "
    "savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
    "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr "
    "attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
    "decimalSymbol listSeparator").split())


def _setting(doc, tag: str, value: str = "true") -> None:
    """Set a document setting, placed among the others in the order the schema gives."""
    settings = doc.settings.element
    element = settings.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        settings.insert_element_before(element, *SETTINGS_ORDER[SETTINGS_ORDER.index(tag) + 1:])
    element.set(qn("w:val"), value)


def _update_fields_on_open(doc) -> None:
    """Word recomputes the contents' page references after asking; LibreOffice computes them by itself."""
    _setting(doc, "w:updateFields")


def _hyphenate_only_where_needed(doc) -> None:
    """Hyphenation on for the document, off in the paragraph defaults: only cells of a column narrower than a
    word (planner.exporters.layout) turn it back on, so Word breaks such words at Dutch hyphenation points."""
    _setting(doc, "w:autoHyphenation")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    p_pr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    if p_pr is None:  # a reference template without paragraph defaults
        p_pr = OxmlElement("w:pPr")
        default = defaults.find(qn("w:pPrDefault"))
        if default is None:
            default = OxmlElement("w:pPrDefault")
            defaults.append(default)  # after w:rPrDefault, its only sibling
        default.append(p_pr)
    if p_pr.find(qn("w:suppressAutoHyphens")) is None:
        p_pr.insert_element_before(OxmlElement("w:suppressAutoHyphens"), *P_PR_AFTER_SUPPRESS_AUTO_HYPHENS)


def _footer(section, document: Document, usable) -> None:
    """Every page after the title page: the short title, and "pagina N van M" at the right margin."""
    section.different_first_page_header_footer = True
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    _right_tab_only(paragraph, usable)
    run = paragraph.add_run(f"{document.short_title}\tpagina ")
    run.font.size = Pt(8.5)
    _field(paragraph._p, "PAGE", "1")
    paragraph.add_run(" van ").font.size = Pt(8.5)
    _field(paragraph._p, "NUMPAGES", "1")


def _right_tab_only(paragraph, position) -> None:
    """One right tab at the margin: the Footer style's centre tab would catch "pagina" halfway."""
    tabs = paragraph.paragraph_format.tab_stops
    tabs.clear_all()
    style_tabs = paragraph.style.paragraph_format.tab_stops if paragraph.style is not None else ()
    for tab in style_tabs:
        tabs.add_tab_stop(tab.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def _header(section, document: Document) -> None:
    """Every page after the title page: the organisation's logo at the right of the header."""
    if not document.style.logo:
        return
    from PIL import Image as PilImage

    try:
        with PilImage.open(io.BytesIO(document.style.logo)) as picture:
            ratio = picture.width / picture.height
        size = {"width": HEADER_LOGO[0]} if ratio * HEADER_LOGO[1] > HEADER_LOGO[0] else {"height": HEADER_LOGO[1]}
        section.header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        shape = paragraph.add_run().add_picture(io.BytesIO(document.style.logo), **size)
        shape._inline.docPr.set("descr", document.author)
    except Exception:  # noqa: BLE001 - an unreadable logo must not stop the document
        for paragraph in section.header.paragraphs:
            for run in list(paragraph.runs):
                paragraph._p.remove(run._r)


def _contents(doc, block: Contents) -> None:
    """The contents as entries linked to their headings, each with a page reference to the heading's bookmark."""
    _styled(doc, block.title, "TOC Heading" if "TOC Heading" in doc._planner_style_ids else "Heading 1")
    for heading in block.entries:
        if heading.level > 2:
            continue
        paragraph = _styled(doc, "", f"toc {heading.level}")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), heading.anchor)
        link.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = heading.label
        run.append(text)
        run.append(OxmlElement("w:tab"))
        link.append(run)
        _field(link, f"PAGEREF {heading.anchor} \\h", "–")
        paragraph._p.append(link)
    _update_fields_on_open(doc)


def _heading(doc, block: Heading, bookmark_id: int) -> None:
    paragraph = _styled(doc, "", f"Heading {block.level}")
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), block.anchor)
    paragraph._p.append(start)
    paragraph.add_run(block.label)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.append(end)


def _language_xml(language: str | None) -> str:
    return f'<w:lang w:val="{language}" w:bidi="{language}"/>' if language else ""


def _cell_xml(text: str, width: int, bold: bool, keep_with_next: bool, language: str | None = None,
              hyphenate: bool = False) -> str:
    run_properties = f"<w:rPr>{'<w:b/>' if bold else ''}<w:sz w:val=\"18\"/>{_language_xml(language)}</w:rPr>"
    keep = "<w:keepNext/>" if keep_with_next else ""
    hyphens = '<w:suppressAutoHyphens w:val="0"/>' if hyphenate else ""  # the column is narrower than a word
    paragraphs = "".join(
        f'<w:p><w:pPr>{keep}{hyphens}<w:spacing w:after="0"/></w:pPr><w:r>{run_properties}'
        f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in (text.split("\n") or [""])
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paragraphs}</w:tc>'


def _table(doc, block: Table, usable_cm: float, style_id: str | None) -> None:
    """Write the rows as one XML string parsed once: fast and linear in the number of rows."""
    widths, tight = column_layout(block.headers, block.rows, block.widths, usable_cm)
    widths = [int(w * TWIPS_PER_CM) for w in widths]
    split = block.new_page_from_row
    parts = ([block.rows[:split], block.rows[split:]] if split and 0 < split < len(block.rows) else [block.rows])
    body = doc.element.body
    for number, rows in enumerate(parts):
        if number:  # the last rows start a new page, under the header (a tiny paragraph carries the break)
            body.insert(len(body) - 1, etree.fromstring(
                f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" '
                f'w:line="20" w:lineRule="exact"/></w:pPr></w:p>'))
        body.insert(len(body) - 1, etree.fromstring(_table_xml(block, rows, widths, tight, style_id)))  # before sectPr
    if block.caption:
        _styled(doc, block.caption, "Caption")


def _table_xml(block: Table, rows, widths: list[int], tight: list[bool], style_id: str | None) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    style = f'<w:tblStyle w:val="{style_id}"/>' if style_id else ""
    languages = block.languages or (None,) * len(block.headers)
    header = "".join(_cell_xml(text, width, True, True, hyphenate=hyphenate)
                     for text, width, hyphenate in zip(block.headers, widths, tight))
    xml_rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{header}</w:tr>"]
    last = len(rows) - 1
    for index, row in enumerate(rows):
        # Word keeps a row whose paragraphs keep with the next one on the next row's page: the last two rows
        # always share a page, so no page holds the repeated header and a single row
        keep = index < last and (block.keep_together or index == last - 1)
        cells = "".join(_cell_xml(text, width, False, keep, language, hyphenate)
                        for text, width, language, hyphenate in zip(row, widths, languages, tight))
        xml_rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    return (f'<w:tbl xmlns:w="{W[1:-1]}"><w:tblPr>{style}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f'{"".join(xml_rows)}</w:tbl>')


def _style_ids(doc) -> dict[str, str]:
    """Map style names to ids once: python-docx scans every style on each lookup by name."""
    return {style.name: style.style_id for style in doc.styles}


def _styled(doc, text: str, style_name: str):
    """Add a paragraph with a style given by name (falling back to Normal), without a lookup per call."""
    paragraph = doc.add_paragraph(text)
    style_id = doc._planner_style_ids.get(style_name)
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def _switch_orientation(doc, landscape: bool) -> None:
    """End the current section with a copy of its properties and turn the pages from here on."""
    body_section = doc.element.body.find(qn("w:sectPr"))
    paragraph = doc.add_paragraph()
    paragraph._p.get_or_add_pPr().append(copy.deepcopy(body_section))
    title_page = body_section.find(qn("w:titlePg"))
    if title_page is not None:  # only the very first page goes without a footer
        body_section.remove(title_page)
    section = doc.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    _right_tab_only(section.footer.paragraphs[0], section.page_width - 2 * MARGIN)


def _bullets(doc, block: BulletList) -> None:
    """Word's List Bullet style; a bullet character where a reference template lacks it."""
    has_style = "List Bullet" in doc._planner_style_ids
    for item in block.items:
        _styled(doc, item if has_style else f"• {item}", "List Bullet")


def _paragraph(doc, block: Paragraph) -> None:
    paragraph = _styled(doc, block.text, {"caption": "Caption", "note": "Quote"}.get(block.style, "Normal"))
    if block.style == "small":
        paragraph.paragraph_format.space_after = Pt(3)
        for run in paragraph.runs:
            run.font.size = Pt(9)
    if block.right_to_left:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    if block.language or block.right_to_left:
        for run in paragraph.runs:
            r_pr = run._r.get_or_add_rPr()
            if block.right_to_left:
                r_pr.append(OxmlElement("w:rtl"))
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), block.language or "ar")
            lang.set(qn("w:bidi"), block.language or "ar")
            r_pr.append(lang)


def render_docx(document: Document) -> bytes:
    """The .docx bytes of `document`."""
    reference = reference_template()
    doc = new_docx(str(reference)) if reference else new_docx()
    if reference is None:
        _apply_house_style(doc, document)
    _declare_language(doc, document.language)
    _hyphenate_only_where_needed(doc)
    _metadata(doc, document)
    doc._planner_style_ids = _style_ids(doc)
    table_style = doc._planner_style_ids.get(TABLE_STYLE)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = MARGIN
    body = doc.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    _header(section, document)
    _footer(section, document, section.page_width - 2 * MARGIN)
    usable_cm = 21 - 2 * MARGIN.cm
    bookmarks = 0
    for block in document.blocks:
        if isinstance(block, TitlePage):
            if document.style.logo:
                try:
                    doc.add_picture(io.BytesIO(document.style.logo), width=Cm(5))
                    doc.inline_shapes[-1]._inline.docPr.set("descr", document.author)
                except Exception:  # noqa: BLE001 - an unreadable logo must not stop the document
                    pass
            _styled(doc, block.title, "Title")
            _styled(doc, block.subtitle, "Subtitle")
            for line in block.lines:
                doc.add_paragraph(line)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Contents):
            _contents(doc, block)
        elif isinstance(block, Heading):
            bookmarks += 1
            _heading(doc, block, bookmarks)
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, BulletList):
            _bullets(doc, block)
        elif isinstance(block, Table):
            _table(doc, block, usable_cm, table_style)
        elif isinstance(block, Image):
            doc.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            doc.inline_shapes[-1]._inline.docPr.set("descr", block.alt)
            if block.caption:
                _styled(doc, block.caption, "Caption")
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, (Landscape, Portrait)):
            _switch_orientation(doc, isinstance(block, Landscape))
            usable_cm = (29.7 if isinstance(block, Landscape) else 21) - 2 * MARGIN.cm
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


__all__ = ["render_docx", "reference_template"]
