"""Render a block document as OpenDocument Text with odfpy, written natively (not converted)."""

from __future__ import annotations

import io

from odf import dc, meta, teletype
from odf.draw import Frame, Image as DrawImage
from odf.opendocument import OpenDocumentText
from odf.style import (
    FontFace, GraphicProperties, ParagraphProperties, Style, TableCellProperties, TableColumnProperties,
    TableProperties, TextProperties,
)
from odf.svg import Desc, Title
from odf.table import Table as OdfTable, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, IndexBody, IndexTitle, P, TableOfContent, TableOfContentSource

from planner.exporters.blocks import Contents, Document, Heading, Image, PageBreak, Paragraph, Table, TitlePage

USABLE_CM = 16.6


def _styles(odt: OpenDocumentText, document: Document) -> dict[str, Style]:
    font, colour = document.style.font, document.style.colour
    odt.fontfacedecls.addElement(FontFace(name=font, fontfamily=font, fontfamilygeneric="swiss"))
    styles = {}

    def paragraph_style(name, size, bold=False, colour_=None, family="paragraph", parent=None, outline=None, **para):
        style = Style(name=name, family=family, **({"parentstylename": parent} if parent else {}),
                      **({"defaultoutlinelevel": outline} if outline else {}))
        text = {"fontname": font, "fontsize": f"{size}pt"}
        if bold:
            text["fontweight"] = "bold"
        if colour_:
            text["color"] = colour_
        style.addElement(TextProperties(**text))
        if para:
            style.addElement(ParagraphProperties(**para))
        odt.styles.addElement(style)
        styles[name] = style
        return style

    paragraph_style("Standard", 10.5, marginbottom="0.2cm")
    paragraph_style("Title", 26, True, colour, marginbottom="0.4cm")
    paragraph_style("Subtitle", 14, False, colour, marginbottom="0.6cm")
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        paragraph_style(f"Heading_20_{level}", size, True, colour, outline=str(level), margintop="0.4cm",
                        marginbottom="0.2cm", keepwithnext="always")
    paragraph_style("Caption", 9, False, "#4b4b4b", marginbottom="0.3cm")
    paragraph_style("Note", 10.5, False, "#4b4b4b")
    paragraph_style("Table_20_Contents", 9)
    paragraph_style("Table_20_Heading", 9, True)
    rtl = Style(name="RightToLeft", family="paragraph", parentstylename="Standard")
    rtl.addElement(ParagraphProperties(writingmode="rl-tb", textalign="end"))
    odt.styles.addElement(rtl)
    styles["RightToLeft"] = rtl
    page_break = Style(name="PageBreak", family="paragraph", parentstylename="Standard")
    page_break.addElement(ParagraphProperties(breakbefore="page"))
    odt.automaticstyles.addElement(page_break)
    styles["PageBreak"] = page_break
    cell = Style(name="Cell", family="table-cell")
    cell.addElement(TableCellProperties(border="0.5pt solid #808080", padding="0.08cm"))
    odt.automaticstyles.addElement(cell)
    styles["Cell"] = cell
    frame = Style(name="ImageFrame", family="graphic")
    frame.addElement(GraphicProperties(anchortype="as-char", verticalpos="top", verticalrel="baseline"))
    odt.automaticstyles.addElement(frame)
    styles["ImageFrame"] = frame
    return styles


def _metadata(odt: OpenDocumentText, document: Document) -> None:
    odt.meta.addElement(dc.Title(text=document.title))
    odt.meta.addElement(dc.Subject(text=document.subject))
    odt.meta.addElement(dc.Creator(text=document.author))
    odt.meta.addElement(meta.InitialCreator(text=document.author))
    odt.meta.addElement(dc.Language(text=document.language))
    odt.meta.addElement(meta.Keyword(text=document.keywords))
    odt.meta.addElement(meta.CreationDate(text=document.created.replace(tzinfo=None).isoformat(timespec="seconds")))
    odt.meta.addElement(dc.Date(text=document.modified.replace(tzinfo=None).isoformat(timespec="seconds")))


def _paragraph(text: str, style) -> P:
    paragraph = P(stylename=style)
    teletype.addTextToElement(paragraph, text)
    return paragraph


def _table(odt, styles, block: Table, number: int) -> OdfTable:
    total = sum(block.widths)
    table_style = Style(name=f"Table{number}", family="table")
    table_style.addElement(TableProperties(width=f"{USABLE_CM}cm", align="margins"))
    odt.automaticstyles.addElement(table_style)
    table = OdfTable(name=f"Tabel{number}", stylename=table_style)
    for index, width in enumerate(block.widths):
        column_style = Style(name=f"Table{number}.C{index}", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=f"{USABLE_CM * width / total:.2f}cm"))
        odt.automaticstyles.addElement(column_style)
        table.addElement(TableColumn(stylename=column_style))
    header_rows = TableHeaderRows()  # repeated on every page
    header = TableRow()
    for text in block.headers:
        cell = TableCell(stylename=styles["Cell"], valuetype="string")
        cell.addElement(_paragraph(text, styles["Table_20_Heading"]))
        header.addElement(cell)
    header_rows.addElement(header)
    table.addElement(header_rows)
    for row in block.rows:
        tr = TableRow()
        for text in row:
            cell = TableCell(stylename=styles["Cell"], valuetype="string")
            for line in (text.split("\n") or [""]):
                cell.addElement(_paragraph(line, styles["Table_20_Contents"]))
            tr.addElement(cell)
        table.addElement(tr)
    return table


def _image(odt, styles, png: bytes, width_cm: float, alt: str, name: str) -> P:
    from PIL import Image as PilImage

    with PilImage.open(io.BytesIO(png)) as picture:
        ratio = picture.height / picture.width
    href = odt.addPicture(f"Pictures/{name}.png", "image/png", png)
    frame = Frame(stylename=styles["ImageFrame"], width=f"{width_cm}cm", height=f"{width_cm * ratio:.2f}cm",
                  anchortype="as-char", name=name)
    frame.addElement(DrawImage(href=href))
    frame.addElement(Title(text=alt[:500]))
    frame.addElement(Desc(text=alt))
    paragraph = P(stylename=styles["Standard"])
    paragraph.addElement(frame)
    return paragraph


def render_odt(document: Document) -> bytes:
    """The .odt bytes of `document`."""
    odt = OpenDocumentText()
    styles = _styles(odt, document)
    _metadata(odt, document)
    text = odt.text
    tables = images = 0
    add = text.addElement

    for block in document.blocks:
        if isinstance(block, TitlePage):
            if document.style.logo:
                try:
                    images += 1
                    add(_image(odt, styles, _as_png(document.style.logo), 5.0, document.author, f"logo{images}"))
                except Exception:  # noqa: BLE001 - an unreadable logo must not stop the document
                    pass
            add(_paragraph(block.title, styles["Title"]))
            add(_paragraph(block.subtitle, styles["Subtitle"]))
            for line in block.lines:
                add(_paragraph(line, styles["Standard"]))
            add(P(stylename=styles["PageBreak"]))
        elif isinstance(block, Contents):
            toc = TableOfContent(name="Inhoudsopgave", protected="true")
            toc.addElement(TableOfContentSource(outlinelevel="2"))
            body = IndexBody()
            title = IndexTitle(name="Inhoudsopgave_Head")
            title.addElement(_paragraph(block.title, styles["Heading_20_1"]))
            body.addElement(title)
            for level, entry in block.entries:
                if level <= 2:
                    body.addElement(_paragraph(("    " * (level - 1)) + entry, styles["Standard"]))
            toc.addElement(body)
            add(toc)
        elif isinstance(block, Heading):
            heading = H(outlinelevel=block.level, stylename=styles[f"Heading_20_{block.level}"])
            teletype.addTextToElement(heading, block.text)
            add(heading)
        elif isinstance(block, Paragraph):
            style = {"caption": "Caption", "note": "Note"}.get(block.style, "Standard")
            add(_paragraph(block.text, styles["RightToLeft" if block.right_to_left else style]))
        elif isinstance(block, Table):
            tables += 1
            add(_table(odt, styles, block, tables))
            if block.caption:
                add(_paragraph(block.caption, styles["Caption"]))
        elif isinstance(block, Image):
            images += 1
            add(_image(odt, styles, block.png, block.width_cm, block.alt, f"image{images}"))
            if block.caption:
                add(_paragraph(block.caption, styles["Caption"]))
        elif isinstance(block, PageBreak):
            add(P(stylename=styles["PageBreak"]))
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


def _as_png(data: bytes) -> bytes:
    from PIL import Image as PilImage

    with PilImage.open(io.BytesIO(data)) as picture:
        buffer = io.BytesIO()
        picture.convert("RGBA").save(buffer, "PNG")
        return buffer.getvalue()
