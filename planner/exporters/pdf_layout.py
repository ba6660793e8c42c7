"""A second look at the PDF LibreOffice laid out: no table ends on a page with its repeated header and one row.

LibreOffice keeps a row whole, but it has no "keep with next" for table rows, so a long table can leave
its last row alone on a page under the repeated header. The tagged PDF says on which page every row of
every table starts (the repeated headers are artifacts, outside the structure tree). Where a table's
last row starts on a page of its own, the document is rendered again with the last two rows starting a
new page together (`Table.new_page_from_row`), and converted again.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Callable

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from planner.exporters.blocks import Document, Table

MAX_PASSES = 3  # a fix moves every later table; the rare knock-on gets another pass


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, list) else [kids]


def table_row_pages(pdf: bytes) -> list[list[tuple[int, int]]]:
    """Per table of the tagged PDF in document order: per body row, its first and last page (1-based)."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    page_of = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}

    def pages(node, inherited: int | None) -> list[int]:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "get"):  # a marked-content id: on the page of its element
            return [inherited] if inherited else []
        reference = node.get("/Pg")
        here = page_of.get(reference.idnum, inherited) if reference is not None else inherited
        if node.get("/Type") in ("/MCR", "/OBJR"):
            return [here] if here else []
        return [page for kid in _kids(node) for page in pages(kid, here)]

    tables = []
    stack = [(root["/StructTreeRoot"].get_object(), None)]
    while stack:  # depth first, in document order
        node, inherited = stack.pop()
        reference = node.get("/Pg")
        here = page_of.get(reference.idnum, inherited) if reference is not None else inherited
        if node.get("/S") == "/Table":
            rows = []
            for row in (kid.get_object() for kid in _kids(node)):
                if any(cell.get_object().get("/S") == "/TD" for cell in _kids(row) if hasattr(cell, "get_object")):
                    found = pages(row, here)
                    if found:
                        rows.append((min(found), max(found)))
            tables.append(rows)
            continue
        kids = [kid.get_object() for kid in _kids(node) if hasattr(kid, "get_object")]
        stack.extend((kid, here) for kid in reversed(kids) if hasattr(kid, "get"))
    return tables


def lone_last_rows(row_pages: list[list[tuple[int, int]]]) -> list[int]:
    """The tables (their index in document order) whose last row starts a page of its own."""
    return [index for index, rows in enumerate(row_pages) if len(rows) >= 2 and rows[-1][0] > rows[-2][1]]


def _pdf_tables(document: Document) -> list[int]:
    """The block index of each table of the PDF, in order: a table that starts a new page midway is two."""
    return [index for index, block in enumerate(document.blocks) if isinstance(block, Table)
            for _ in range(2 if block.new_page_from_row else 1)]


def _keep_last_rows_together(table: Table) -> Table:
    if len(table.rows) <= 2:  # the header and both rows move to the next page
        return replace(table, keep_together=True)
    return replace(table, new_page_from_row=len(table.rows) - 2)


def laid_out_pdf(document: Document, render: Callable[[Document], bytes], convert: Callable[[bytes], bytes]) -> bytes:
    """The PDF of `document`, converted again where a table left its last row alone on a page."""
    pdf = convert(render(document))
    for _ in range(MAX_PASSES - 1):
        try:
            row_pages = table_row_pages(pdf)
        except (PdfReadError, KeyError, ValueError, AttributeError):  # an untagged or odd PDF: keep it
            return pdf
        tables = _pdf_tables(document)
        if len(row_pages) != len(tables):  # the PDF's tables are not the document's one for one
            return pdf
        blocks = list(document.blocks)
        fixable = {tables[position] for position in lone_last_rows(row_pages)
                   if not blocks[tables[position]].new_page_from_row and not blocks[tables[position]].keep_together}
        if not fixable:  # nothing lone, or only what a fix cannot help (a table longer than a page kept whole)
            return pdf
        for index in fixable:
            blocks[index] = _keep_last_rows_together(blocks[index])
        document = replace(document, blocks=blocks)
        pdf = convert(render(document))
    return pdf
