"""Where tables break, read back from LibreOffice's PDF and Word's XML: no page holds a table's repeated
header and a single row, and a word wider than its column breaks at a Dutch hyphenation point."""

import datetime as dt
import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pyphen
import pytest
from lxml import etree

from planner import clock
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.documents import partner_output, plan_output
from planner.domain.plans import get_plan
from planner.exporters.blocks import Document, Heading, HouseStyle, Paragraph, Table
from planner.exporters.docx import render_docx
from planner.exporters.layout import column_layout
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from planner.exporters.pdf_layout import laid_out_pdf, lone_last_rows, table_row_pages
from tests.exporters.test_document_layout import needs_pdftotext
from tests.exporters.test_documents import needs_libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def agenda(rows: int, **table) -> Document:
    document = Document(title="Proefplan", author="Gemeente Proef", subject="Proef", keywords="proef",
                        created=dt.datetime(2027, 1, 4), modified=dt.datetime(2027, 1, 4), style=HouseStyle())
    document.add(Heading(level=1, text="Agenda"),
                 Table(headers=("Nummer", "Activiteit"), rows=[(f"Rij{i:03d}", "Gastles op school " * 3)
                                                               for i in range(rows)],
                       widths=(1, 3), caption="Alle activiteiten", **table),
                 Paragraph("Einde van het plan."))
    return document


def rows_per_page(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "table.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.findall(r"Rij\d{3}", page) for page in text.split("\f") if page.strip()]


def odt_pdf(document: Document) -> bytes:
    return convert_to_pdf(render_odt(document), ".odt")


@pytest.fixture(scope="module")
def lone_row_count(tmp_path_factory) -> int:
    """A row count at which LibreOffice puts the table's last row alone on the third page."""
    pages = rows_per_page(odt_pdf(agenda(150)), tmp_path_factory.mktemp("probe"))
    return len(pages[0]) + len(pages[1]) + 1


@needs_libreoffice
@needs_pdftotext
def test_the_last_row_never_stands_alone_under_a_repeated_header(lone_row_count, tmp_path):
    document = agenda(lone_row_count)
    before = rows_per_page(odt_pdf(document), tmp_path)
    assert before[-1] == [f"Rij{lone_row_count - 1:03d}"]  # what LibreOffice does on its own

    pages = rows_per_page(laid_out_pdf(document, render_odt, lambda odt: convert_to_pdf(odt, ".odt")), tmp_path)
    assert pages[-1] == [f"Rij{lone_row_count - 2:03d}", f"Rij{lone_row_count - 1:03d}"]
    assert [row for page in pages for row in page] == [f"Rij{i:03d}" for i in range(lone_row_count)]
    assert len(pages) == len(before)


@needs_libreoffice
@needs_pdftotext
def test_the_moved_rows_keep_the_header_and_the_caption_and_the_contents_its_pages(lone_row_count, tmp_path):
    pdf = laid_out_pdf(agenda(lone_row_count), render_odt, lambda odt: convert_to_pdf(odt, ".odt"))
    path = tmp_path / "table.pdf"
    path.write_bytes(pdf)
    last = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Nummer" in last and "Activiteit" in last and "Alle activiteiten" in last
    assert [len(rows) for rows in table_row_pages(pdf)] == [lone_row_count - 2, 2]


def with_introduction(lines: int) -> Document:
    document = agenda(2)
    document.blocks[1:1] = [Paragraph(f"Regel {n:03d} van de inleiding.") for n in range(lines)]
    return document


@needs_libreoffice
@needs_pdftotext
def test_a_table_of_two_rows_moves_whole(tmp_path):
    path = tmp_path / "probe.pdf"
    path.write_bytes(odt_pdf(with_introduction(120)))
    first_page = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    fits = len(re.findall(r"Regel \d{3}", first_page))
    for lines in range(fits, fits - 8, -1):  # fewer lines until the header and the first row fit, the second not
        document = with_introduction(lines)
        if lone_last_rows(table_row_pages(odt_pdf(document))) == [0]:
            break
    else:
        pytest.fail("no introduction length leaves the second row alone")
    pdf = laid_out_pdf(document, render_odt, lambda odt: convert_to_pdf(odt, ".odt"))
    assert table_row_pages(pdf) == [[(2, 2), (2, 2)]]


def test_lone_last_rows_reads_the_pages_of_each_row():
    assert lone_last_rows([[(1, 1), (1, 2), (3, 3)], [(3, 3), (4, 4)], [(4, 4), (4, 4)], [(5, 5)]]) == [0, 1]
    assert lone_last_rows([[(1, 1), (1, 2), (2, 2)]]) == []  # the row before ends on the last row's page


def test_an_untagged_or_foreign_pdf_is_kept_as_it_is():
    calls = []

    def convert(data: bytes) -> bytes:
        calls.append(data)
        return b"%PDF-1.4 not really"

    assert laid_out_pdf(agenda(3), render_odt, convert) == b"%PDF-1.4 not really"
    assert len(calls) == 1


def _rows(body) -> list[list]:
    return [table.findall(f"{W}tr") for table in body.iter(f"{W}tbl")]


def test_word_keeps_the_last_two_rows_together_and_honours_a_new_page():
    with zipfile.ZipFile(io.BytesIO(render_docx(agenda(5)))) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    [rows] = _rows(body)
    keeps = [bool(row.findall(f".//{W}keepNext")) for row in rows]
    assert keeps == [True, False, False, False, True, False]  # the header, then only the row before the last

    with zipfile.ZipFile(io.BytesIO(render_docx(agenda(5, new_page_from_row=3)))) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    first, second = _rows(body)
    assert len(first) == 4 and len(second) == 3  # each under its own copy of the header
    between = first[0].getparent().getnext()
    assert between.tag == f"{W}p" and between.find(f"{W}pPr/{W}pageBreakBefore") is not None
    assert between.getnext() is second[0].getparent()


@needs_libreoffice
@pytest.mark.parametrize("slug", [MUNICIPAL_SLUG, REGIONAL_SLUG])
def test_no_demo_document_leaves_a_row_alone_on_a_page(demo_session, slug):
    plan = get_plan(demo_session, slug)
    documents = [plan_output(demo_session, plan, "pdf", clock.today())]
    documents += [partner_output(plan, partner, "pdf", clock.today()) for partner in plan.partners]
    for output in documents:
        assert not lone_last_rows(table_row_pages(output.data)), output.filename


COMPOUNDS = ("Arbeidsongeschiktheidsverzekering", "Kindermishandelingspreventie", "Communicatiemiddelenoverzicht",
             "Verantwoordelijkheidsverdeling", "Jeugdgezondheidszorgmedewerkers", "Huiselijkgeweldprofessionals")
needs_dutch_hyphenation = pytest.mark.skipif(
    not Path("/usr/share/hyphen/hyph_nl_NL.dic").is_file() and os.environ.get("CI", "").lower() != "true",
    reason="LibreOffice's Dutch hyphenation (Debian: hyphen-nl) is not installed; .ci/run installs it")


def compounds_table(**document) -> Document:
    table = Table(headers=("Eerste", "Tweede", "Derde", "Vierde", "Vijfde", "Zesde"), rows=[COMPOUNDS],
                  widths=(1,) * 6)
    result = agenda(0)
    result.blocks = [table, Paragraph("Samengestelde woorden in smalle kolommen.")]
    return result


def test_only_columns_narrower_than_their_longest_word_are_marked_for_hyphenation():
    _, tight = column_layout(("Nummer", "Activiteit"), [("1", "Gastles")], (1, 3), 16.6)
    assert tight == [False, False]
    _, tight = column_layout(("Nummer", "Woord", "Woord"), [("1", COMPOUNDS[0] * 3, "kort")], (1, 3, 1), 16.6)
    assert tight == [False, True, False]  # a URL-like run of letters may take at most 45 % and must break


@needs_libreoffice
@needs_pdftotext
@needs_dutch_hyphenation
def test_a_word_wider_than_its_column_breaks_at_a_dutch_hyphenation_point(tmp_path):
    path = tmp_path / "compounds.pdf"
    path.write_bytes(odt_pdf(compounds_table()))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pieces = re.sub(r"-\n", "|", text).split()  # LibreOffice's hyphen at a line end joins the two lines
    dutch = pyphen.Pyphen(lang="nl_NL")
    for word in COMPOUNDS:
        found = [piece for piece in pieces if piece.replace("|", "") == word]
        assert found, f"{word} is not in the PDF whole or hyphenated: {pieces}"
        broken = found[0]
        assert "|" in broken, word
        cuts, position = [], 0
        for part in broken.split("|")[:-1]:
            position += len(part)
            cuts.append(position)
        assert set(cuts) <= set(dutch.positions(word)), (broken, dutch.inserted(word))


def test_word_hyphenates_only_the_cells_of_a_column_narrower_than_a_word():
    with zipfile.ZipFile(io.BytesIO(render_docx(agenda(3)))) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    assert settings.find(f"{W}autoHyphenation") is not None
    assert styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}suppressAutoHyphens") is not None
    assert not document.findall(f".//{W}suppressAutoHyphens")  # no column of the agenda is too narrow

    with zipfile.ZipFile(io.BytesIO(render_docx(compounds_table()))) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    cells = document.findall(f".//{W}tc")
    assert len(cells) == 12 and all(
        cell.find(f"{W}p/{W}pPr/{W}suppressAutoHyphens").get(f"{W}val") == "0" for cell in cells)
