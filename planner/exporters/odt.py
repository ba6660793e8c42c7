"""Render a block document as OpenDocument Text with odfpy, written natively (not converted).

The contents list every chapter with a page-number reference to a bookmark on its heading, which
LibreOffice computes when it lays the document out: the .odt and the PDF made from it show real pages.
"""

from __future__ import annotations

import io

from odf import dc, meta, teletype
from odf.draw import Frame, Image as DrawImage
from odf.namespaces import MANIFESTNS
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle, FontFace, Footer, FooterStyle, GraphicProperties, Header, HeaderFooterProperties, HeaderStyle,
    MasterPage, PageLayout,
    ListLevelProperties, PageLayoutProperties, ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TableProperties,
    TableRowProperties, TabStop, TabStops, TextProperties,
)
from odf.svg import Desc, Title
from odf.table import Table as OdfTable, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import (
    List, ListItem, ListLevelStyleBullet, ListStyle, A, BookmarkEnd, BookmarkRef, BookmarkStart, H, IndexBody, IndexEntryLinkEnd, IndexEntryLinkStart,
    IndexEntryPageNumber, IndexEntryTabStop, IndexEntryText, IndexTitle, IndexTitleTemplate, P, PageCount,
    PageNumber, Tab, TableOfContent, TableOfContentEntryTemplate, TableOfContentSource,
)

from planner.exporters.blocks import (
    LANGUAGE_TAG, BulletList, Contents, Document, Heading, Image, Landscape, PageBreak, Paragraph, Portrait, Table, TitlePage,
)
from planner.exporters.layout import column_layout

PAGE = {"portrait": ("21cm", "29.7cm"), "landscape": ("29.7cm", "21cm")}
MARGIN_CM = 2.2
USABLE_CM = {"portrait": 21 - 2 * MARGIN_CM, "landscape": 29.7 - 2 * MARGIN_CM}
MASTER = {"portrait": "Standard", "landscape": "Landscape"}
ODF_VERSION = "1.2"  # what odfpy declares in office:version; the manifest says the same
HEADER_LOGO_CM = (5.0, 1.2)  # the logo in the page header fits this box (width, height)
# where a word must break: at a hyphenation point of the paragraph's language, at least 3 letters a side
HYPHENATION = {"hyphenate": "true", "hyphenationremaincharcount": "3", "hyphenationpushcharcount": "3"}


def _language(code: str | None) -> dict[str, str]:
    """fo:language and fo:country (and the complex-script pair, for Arabic and the like) of a BCP 47 code."""
    match = LANGUAGE_TAG.match(code or "")
    if not match:
        return {}
    attributes = {"language": match[1], "languagecomplex": match[1]}
    if match[2]:
        attributes.update(country=match[2], countrycomplex=match[2])
    return attributes


def _page_layouts(odt: OpenDocumentText, document: Document, font: str, styles: dict, logo: bytes | None) -> None:
    def footer_style(style: Style, orientation: str) -> None:
        """A footer paragraph with a right tab at the page's right margin (page numbers go there)."""
        tabs = TabStops()
        tabs.addElement(TabStop(position=f"{USABLE_CM[orientation]:.2f}cm", type="right"))
        properties = ParagraphProperties()
        properties.addElement(tabs)
        style.addElement(properties)
        odt.styles.addElement(style)

    footer_text = Style(name="Footer", family="paragraph", parentstylename="Standard", displayname="Footer")
    footer_text.addElement(TextProperties(fontname=font, fontsize="8.5pt", color="#4b4b4b"))
    footer_style(footer_text, "portrait")
    landscape_footer = Style(name="FooterLandscape", family="paragraph", parentstylename="Footer")
    footer_style(landscape_footer, "landscape")
    header_text = Style(name="Header", family="paragraph", parentstylename="Standard", displayname="Header")
    header_text.addElement(ParagraphProperties(textalign="end", marginbottom="0cm"))
    odt.styles.addElement(header_text)

    for name, orientation in (("A4Portrait", "portrait"), ("A4Landscape", "landscape")):
        width, height = PAGE[orientation]
        layout = PageLayout(name=name)
        layout.addElement(PageLayoutProperties(pagewidth=width, pageheight=height, printorientation=orientation,
                                               margintop="2cm", marginbottom="1.5cm", marginleft=f"{MARGIN_CM}cm",
                                               marginright=f"{MARGIN_CM}cm", numformat="1"))
        if logo:
            header_style = HeaderStyle()
            header_style.addElement(HeaderFooterProperties(minheight="1.2cm", marginbottom="0.4cm"))
            layout.addElement(header_style)
        footer_style = FooterStyle()
        footer_style.addElement(HeaderFooterProperties(minheight="0.6cm", margintop="0.4cm"))
        layout.addElement(footer_style)
        odt.automaticstyles.addElement(layout)

    title_page = MasterPage(name="First_20_Page", displayname="First Page", pagelayoutname="A4Portrait",
                            nextstylename="Standard")
    odt.masterstyles.addElement(title_page)
    for orientation, layout_name in (("portrait", "A4Portrait"), ("landscape", "A4Landscape")):
        master = MasterPage(name=MASTER[orientation], pagelayoutname=layout_name)
        if logo:  # every page after the title page: the logo at the right of the header
            header = Header()
            header.addElement(_image(odt, styles, logo, _fit(logo, *HEADER_LOGO_CM), document.author,
                                     f"header-logo-{orientation}", header_text))
            master.addElement(header)
        footer = Footer()
        line = P(stylename=footer_text if orientation == "portrait" else landscape_footer)
        line.addText(document.short_title)
        line.addElement(Tab())
        line.addText("pagina ")
        line.addElement(PageNumber(selectpage="current", numformat="1"))
        line.addText(" van ")
        line.addElement(PageCount(numformat="1"))
        footer.addElement(line)
        master.addElement(footer)
        odt.masterstyles.addElement(master)


def _styles(odt: OpenDocumentText, document: Document, logo: bytes | None) -> dict[str, Style]:
    font, colour = document.style.font, document.style.colour
    odt.fontfacedecls.addElement(FontFace(name=font, fontfamily=font, fontfamilygeneric="swiss"))
    default = DefaultStyle(family="paragraph")
    default.addElement(TextProperties(fontname=font, **_language(document.language)))
    odt.styles.addElement(default)
    styles = {}

    def paragraph_style(name, size, bold=False, colour_=None, parent=None, outline=None, display=None, **para):
        style = Style(name=name, family="paragraph", **({"parentstylename": parent} if parent else {}),
                      **({"defaultoutlinelevel": outline} if outline else {}),
                      **({"displayname": display} if display else {}))
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
    paragraph_style("Heading", 14, parent="Standard", display="Heading", margintop="0.4cm", marginbottom="0.2cm",
                    keepwithnext="always")
    paragraph_style("Title", 26, True, colour, parent="Standard", display="Title", marginbottom="0.4cm",
                    borderbottom=f"1.5pt solid {colour}", paddingbottom="0.15cm")
    paragraph_style("Subtitle", 14, False, colour, parent="Standard", display="Subtitle", marginbottom="0.6cm")
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        paragraph_style(f"Heading_20_{level}", size, True, colour, parent="Heading", outline=str(level),
                        display=f"Heading {level}", margintop="0.4cm", marginbottom="0.2cm", keepwithnext="always")
    paragraph_style("Contents_20_Heading", 16, True, colour, parent="Heading", display="Contents Heading",
                    marginbottom="0.3cm")
    for level in (1, 2):
        style = paragraph_style(f"Contents_20_{level}", 10.5, level == 1, parent="Standard",
                                display=f"Contents {level}", marginleft=f"{(level - 1) * 0.6:.1f}cm",
                                marginbottom="0.08cm")
        tabs = TabStops()
        tabs.addElement(TabStop(position=f"{USABLE_CM['portrait'] - (level - 1) * 0.6:.2f}cm", type="right",
                                leaderstyle="dotted", leadertext="."))
        style.getElementsByType(ParagraphProperties)[0].addElement(tabs)
    paragraph_style("Caption", 9, False, "#4b4b4b", parent="Standard", display="Caption", marginbottom="0.3cm")
    paragraph_style("Note", 10.5, False, "#4b4b4b", parent="Standard")
    paragraph_style("Small", 9, parent="Standard", marginbottom="0.06cm")
    paragraph_style("List_20_Bullet", 10.5, parent="Standard", display="List Bullet", marginbottom="0.08cm")
    bullets = ListStyle(name="Bullets", displayname="Bullets")
    level = ListLevelStyleBullet(level="1", bulletchar="•")
    level.addElement(ListLevelProperties(spacebefore="0.2cm", minlabelwidth="0.5cm"))
    bullets.addElement(level)
    odt.styles.addElement(bullets)
    styles["Bullets"] = bullets
    paragraph_style("Table_20_Contents", 9, parent="Standard", display="Table Contents", marginbottom="0cm")
    paragraph_style("Table_20_Heading", 9, True, parent="Table_20_Contents", display="Table Heading")
    rtl = Style(name="RightToLeft", family="paragraph", parentstylename="Standard")
    rtl.addElement(ParagraphProperties(writingmode="rl-tb", textalign="end"))
    odt.styles.addElement(rtl)
    styles["RightToLeft"] = rtl
    frame = Style(name="ImageFrame", family="graphic")
    frame.addElement(GraphicProperties(anchortype="as-char", verticalpos="top", verticalrel="baseline"))
    odt.automaticstyles.addElement(frame)
    styles["ImageFrame"] = frame
    _page_layouts(odt, document, font, styles, logo)

    for name, master, parent in (("TitlePageStart", "First_20_Page", "Title"),
                                 ("LogoPageStart", "First_20_Page", "Standard"),
                                 ("PortraitStart", MASTER["portrait"], "Standard"),
                                 ("LandscapeStart", MASTER["landscape"], "Standard")):
        style = Style(name=name, family="paragraph", parentstylename=parent, masterpagename=master)
        if parent == "Standard":  # an empty paragraph that only starts the page: keep it tiny
            style.addElement(TextProperties(fontsize="1pt"))
            style.addElement(ParagraphProperties(marginbottom="0cm", margintop="0cm"))
        odt.automaticstyles.addElement(style)
        styles[name] = style
    page_break = Style(name="PageBreak", family="paragraph", parentstylename="Standard")
    page_break.addElement(ParagraphProperties(breakbefore="page", marginbottom="0cm"))
    page_break.addElement(TextProperties(fontsize="1pt"))
    odt.automaticstyles.addElement(page_break)
    styles["PageBreak"] = page_break
    cell = Style(name="Cell", family="table-cell")
    cell.addElement(TableCellProperties(border="0.5pt solid #808080", padding="0.08cm"))
    odt.automaticstyles.addElement(cell)
    styles["Cell"] = cell
    header_cell = Style(name="HeaderCell", family="table-cell")
    header_cell.addElement(TableCellProperties(border="0.5pt solid #808080", padding="0.08cm", backgroundcolor="#eeeeee"))
    odt.automaticstyles.addElement(header_cell)
    styles["HeaderCell"] = header_cell
    row = Style(name="Row", family="table-row")
    row.addElement(TableRowProperties(keeptogether="always"))
    odt.automaticstyles.addElement(row)
    styles["Row"] = row
    return styles


def _language_style(odt, styles, language: str | None, right_to_left: bool, parent: str, hyphenate: bool = False):
    """An automatic paragraph style that tells spell-checkers and screen readers the passage's language.

    With `hyphenate`, LibreOffice breaks words at the language's hyphenation points (a table column narrower
    than its longest word); elsewhere words stay whole."""
    key = f"{parent}-{language}-{right_to_left}-{hyphenate}"
    if key not in styles:
        style = Style(name=f"Lang{len(styles)}", family="paragraph", parentstylename=parent)
        if right_to_left:
            style.addElement(ParagraphProperties(writingmode="rl-tb", textalign="end"))
        text = {**_language(language), **(HYPHENATION if hyphenate else {})}
        if text:
            style.addElement(TextProperties(**text))
        odt.automaticstyles.addElement(style)
        styles[key] = style
    return styles[key]


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


def _contents(styles, block: Contents) -> TableOfContent:
    toc = TableOfContent(name="Inhoudsopgave", protected="true")
    source = TableOfContentSource(outlinelevel="2", useindexmarks="false")
    template = IndexTitleTemplate(stylename=styles["Contents_20_Heading"])
    template.addText(block.title)
    source.addElement(template)
    for level in (1, 2):  # how LibreOffice rebuilds the contents when the reader updates them
        entry = TableOfContentEntryTemplate(outlinelevel=str(level), stylename=styles[f"Contents_20_{level}"])
        for element in (IndexEntryLinkStart(), IndexEntryText(), IndexEntryTabStop(type="right", leaderchar="."),
                        IndexEntryPageNumber(), IndexEntryLinkEnd()):
            entry.addElement(element)
        source.addElement(entry)
    toc.addElement(source)
    body = IndexBody()
    title = IndexTitle(name="Inhoudsopgave_Head")
    title.addElement(_paragraph(block.title, styles["Contents_20_Heading"]))
    body.addElement(title)
    for heading in block.entries:
        if heading.level > 2:
            continue
        paragraph = P(stylename=styles[f"Contents_20_{heading.level}"])
        link = A(type="simple", href=f"#{heading.anchor}")
        teletype.addTextToElement(link, heading.label)
        link.addElement(Tab())
        page = BookmarkRef(referenceformat="page", refname=heading.anchor)
        page.addText("–")  # LibreOffice puts the real page here when it lays the document out
        link.addElement(page)
        paragraph.addElement(link)
        body.addElement(paragraph)
    toc.addElement(body)
    return toc


def _bullets(styles, block: BulletList) -> List:
    bullets = List(stylename=styles["Bullets"])
    for text in block.items:
        item = ListItem()
        item.addElement(_paragraph(text, styles["List_20_Bullet"]))
        bullets.addElement(item)
    return bullets


def _heading(styles, block: Heading) -> H:
    heading = H(outlinelevel=block.level, stylename=styles[f"Heading_20_{block.level}"])
    heading.addElement(BookmarkStart(name=block.anchor))
    teletype.addTextToElement(heading, block.label)
    heading.addElement(BookmarkEnd(name=block.anchor))
    return heading


def _tables(odt, styles, block: Table, number: int, usable_cm: float) -> list[OdfTable]:
    """The table, or two where the layout asks the last rows to start a new page (each with the header)."""
    columns = []
    widths, tight = column_layout(block.headers, block.rows, block.widths, usable_cm)
    for index, width in enumerate(widths):
        column_style = Style(name=f"Table{number}.C{index}", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=f"{width:.2f}cm"))
        odt.automaticstyles.addElement(column_style)
        columns.append(column_style)
    split = block.new_page_from_row
    if split and 0 < split < len(block.rows):
        return [_table(odt, styles, block, block.rows[:split], f"{number}", columns, tight, usable_cm),
                _table(odt, styles, block, block.rows[split:], f"{number}b", columns, tight, usable_cm, new_page=True)]
    return [_table(odt, styles, block, block.rows, f"{number}", columns, tight, usable_cm)]


def _table(odt, styles, block: Table, rows, name: str, columns, tight, usable_cm: float, new_page=False) -> OdfTable:
    table_style = Style(name=f"Table{name}", family="table")
    table_style.addElement(TableProperties(width=f"{usable_cm:.2f}cm", align="margins", marginbottom="0.2cm",
                                           maybreakbetweenrows="false" if block.keep_together else "true",
                                           **({"breakbefore": "page"} if new_page else {})))
    odt.automaticstyles.addElement(table_style)
    table = OdfTable(name=f"Tabel{name}", stylename=table_style)
    for column_style in columns:
        table.addElement(TableColumn(stylename=column_style))
    header_rows = TableHeaderRows()  # repeated on every page
    header = TableRow(stylename=styles["Row"])
    for text, hyphenate in zip(block.headers, tight):
        cell = TableCell(stylename=styles["HeaderCell"], valuetype="string")
        cell.addElement(_paragraph(text, _language_style(odt, styles, None, False, "Table_20_Heading", True)
                                   if hyphenate else styles["Table_20_Heading"]))
        header.addElement(cell)
    header_rows.addElement(header)
    table.addElement(header_rows)
    languages = block.languages or (None,) * len(block.headers)
    cell_styles = [_language_style(odt, styles, language, False, "Table_20_Contents", hyphenate)
                   if language or hyphenate else styles["Table_20_Contents"]
                   for language, hyphenate in zip(languages, tight)]
    for row in rows:
        tr = TableRow(stylename=styles["Row"])
        for text, style in zip(row, cell_styles):
            cell = TableCell(stylename=styles["Cell"], valuetype="string")
            for line in (text.split("\n") or [""]):
                cell.addElement(_paragraph(line, style))
            tr.addElement(cell)
        table.addElement(tr)
    return table


def _image(odt, styles, png: bytes, width_cm: float, alt: str, name: str, paragraph_style=None) -> P:
    from PIL import Image as PilImage

    with PilImage.open(io.BytesIO(png)) as picture:
        ratio = picture.height / picture.width
    href = odt.addPicture(f"Pictures/{name}.png", "image/png", png)
    frame = Frame(stylename=styles["ImageFrame"], width=f"{width_cm}cm", height=f"{width_cm * ratio:.2f}cm",
                  anchortype="as-char", name=name)
    frame.addElement(DrawImage(href=href))
    frame.addElement(Title(text=alt[:500]))
    frame.addElement(Desc(text=alt))
    paragraph = P(stylename=paragraph_style or styles["Standard"])
    paragraph.addElement(frame)
    return paragraph


def _logo_png(document: Document) -> bytes | None:
    """The organisation's logo as PNG, or None when there is none or it cannot be read."""
    if not document.style.logo:
        return None
    try:
        return _as_png(document.style.logo)
    except Exception:  # noqa: BLE001 - an unreadable logo must not stop the document
        return None


def _fit(png: bytes, width_cm: float, height_cm: float) -> float:
    """The width in cm at which the picture fits the box."""
    from PIL import Image as PilImage

    with PilImage.open(io.BytesIO(png)) as picture:
        return min(width_cm, height_cm * picture.width / picture.height)


def _declare_manifest_version(odt: OpenDocumentText) -> None:
    """odfpy writes a manifest without manifest:version; ODF 1.2 asks for it on the root and on "/"."""
    write_manifest = odt._OpenDocument__manifestxml

    def versioned() -> str:
        odt.manifest.setAttrNS(MANIFESTNS, "version", ODF_VERSION)
        for entry in odt.manifest.childNodes:
            if entry.getAttrNS(MANIFESTNS, "full-path") == "/":
                entry.setAttrNS(MANIFESTNS, "version", ODF_VERSION)
        return write_manifest()

    odt._OpenDocument__manifestxml = versioned


def render_odt(document: Document) -> bytes:
    """The .odt bytes of `document`."""
    odt = OpenDocumentText()
    _declare_manifest_version(odt)
    logo = _logo_png(document)
    styles = _styles(odt, document, logo)
    _metadata(odt, document)
    text = odt.text
    tables = images = 0
    add = text.addElement
    orientation = "portrait"
    first = True

    for block in document.blocks:
        if isinstance(block, TitlePage):
            title_style = styles["TitlePageStart"] if first else styles["Title"]
            if logo:
                images += 1
                add(_image(odt, styles, logo, 5.0, document.author, f"logo{images}",
                           styles["LogoPageStart"] if first else None))
                title_style = styles["Title"]
            add(_paragraph(block.title, title_style))
            add(_paragraph(block.subtitle, styles["Subtitle"]))
            for line in block.lines:
                add(_paragraph(line, styles["Standard"]))
            add(P(stylename=styles["PortraitStart"]))  # the body pages carry the page numbers
        elif isinstance(block, Contents):
            add(_contents(styles, block))
        elif isinstance(block, Heading):
            add(_heading(styles, block))
        elif isinstance(block, BulletList):
            add(_bullets(styles, block))
        elif isinstance(block, Paragraph):
            style = {"caption": "Caption", "note": "Note", "small": "Small"}.get(block.style, "Standard")
            if block.language or block.right_to_left:
                add(_paragraph(block.text, _language_style(odt, styles, block.language, block.right_to_left, style)))
            else:
                add(_paragraph(block.text, styles[style]))
        elif isinstance(block, Table):
            tables += 1
            for table in _tables(odt, styles, block, tables, USABLE_CM[orientation]):
                add(table)
            if block.caption:
                add(_paragraph(block.caption, styles["Caption"]))
        elif isinstance(block, Image):
            images += 1
            add(_image(odt, styles, block.png, block.width_cm, block.alt, f"image{images}"))
            if block.caption:
                add(_paragraph(block.caption, styles["Caption"]))
        elif isinstance(block, PageBreak):
            add(P(stylename=styles["PageBreak"]))
        elif isinstance(block, (Landscape, Portrait)):
            orientation = "landscape" if isinstance(block, Landscape) else "portrait"
            add(P(stylename=styles[f"{orientation.capitalize()}Start"]))
        first = False
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


def _as_png(data: bytes) -> bytes:
    from PIL import Image as PilImage

    with PilImage.open(io.BytesIO(data)) as picture:
        buffer = io.BytesIO()
        picture.convert("RGBA").save(buffer, "PNG")
        return buffer.getvalue()
