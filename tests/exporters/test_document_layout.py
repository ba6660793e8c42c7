"""The plan document as the college reads it: the PDF that LibreOffice makes, read back page by page."""

import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx2python import docx2python

from planner import clock
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plan_document import plan_document
from planner.domain.plans import get_plan
from planner.exporters.blocks import Table
from planner.exporters.docx import render_docx
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from planner.models import MessageTranslation
from tests.exporters.test_documents import CHAPTERS, needs_libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
RENDER = {".docx": render_docx, ".odt": render_odt}


def pages_of(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return text.split("\f")[:-1]


@needs_libreoffice
@needs_pdftotext
@pytest.mark.parametrize("suffix", [".odt", ".docx"])
@pytest.mark.parametrize("slug", [MUNICIPAL_SLUG, REGIONAL_SLUG])
def test_pdf_numbers_every_page_after_the_title_and_the_contents_give_the_real_pages(demo_session, tmp_path,
                                                                                      slug, suffix):
    plan = get_plan(demo_session, slug)
    document = plan_document(plan, clock.today())
    pages = pages_of(convert_to_pdf(RENDER[suffix](document), suffix), tmp_path)
    assert "pagina" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {len(pages)}" in page and document.short_title in page, number
    contents = {}
    for line in pages[1].splitlines():
        match = re.match(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)$", line)
        if match:
            contents[match[1]] = int(match[2])
    assert [entry for entry in contents if entry in CHAPTERS] == CHAPTERS
    for chapter in CHAPTERS:  # each chapter starts on the page the contents give
        page = pages[contents[chapter] - 1]
        assert any(line.strip() == chapter for line in page.splitlines()), chapter


@needs_libreoffice
def test_pdf_is_tagged_dutch_with_alt_text_and_a_bookmark_per_chapter(demo_session):
    import pypdf

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    reader = pypdf.PdfReader(io.BytesIO(convert_to_pdf(render_odt(plan_document(plan, clock.today())), ".odt")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-NL" and bool(root["/MarkInfo"]["/Marked"])
    assert [item.title for item in reader.outline if not isinstance(item, list)] == CHAPTERS
    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert any(alt.startswith("Stakeholderkaart") for alt in figures)


@needs_libreoffice
@needs_pdftotext
@pytest.mark.parametrize("slug", [MUNICIPAL_SLUG, REGIONAL_SLUG])
def test_no_table_cell_breaks_a_word(demo_session, tmp_path, slug):
    document = plan_document(get_plan(demo_session, slug), clock.today())
    tokens = {token.strip(",.;:()") for page in pages_of(convert_to_pdf(render_odt(document), ".odt"), tmp_path)
              for token in page.split()}
    words = {word.strip(",.;:()") for block in document.blocks if isinstance(block, Table)
             for text in (*block.headers, *(cell for row in block.rows for cell in row)) for word in text.split()}
    broken = {word for word in words if len(word) > 3 and word not in tokens and  # with or without a hyphen
              any({word[:cut], f"{word[:cut]}-"} & tokens and word[cut:] in tokens for cut in range(1, len(word)))}
    assert not broken


def test_docx_declares_dutch_and_the_house_font_on_every_heading(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    plan.owner.font = "Arial"
    raw = render_docx(plan_document(plan, clock.today()))
    document = docx.Document(io.BytesIO(raw))
    styles = document.styles.element
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == "nl-NL"
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(f"{W}ascii") == "Arial" and fonts.get(f"{W}asciiTheme") is None, name
    body = document.element.xml
    assert 'w:lang w:val="ar"' in body and 'w:lang w:val="en"' in body
    assert "Vertaling (Arabisch):" in docx2python(io.BytesIO(raw)).text


def test_odt_declares_dutch_and_the_language_of_translations(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    with zipfile.ZipFile(io.BytesIO(render_odt(plan_document(plan, clock.today())))) as archive:
        styles, content = archive.read("styles.xml").decode(), archive.read("content.xml").decode()
    assert re.search(r'<style:default-style style:family="paragraph">.*?fo:language="nl".*?fo:country="NL"', styles)
    assert 'fo:language="ar"' in content and 'fo:language="en"' in content
    assert 'fo:page-width="21cm"' in styles and 'style:display-name="Heading 1"' in styles


def test_characters_xml_cannot_hold_in_languages_give_valid_documents(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    audience = next(a for a in plan.audiences if a.messages)
    audience.languages = ["tr\uffff", "\x01pl"]
    audience.messages[0].translations.append(MessageTranslation(language="tr\ufffe", body="Merhaba \uffff"))
    demo_session.commit()
    document = plan_document(plan, clock.today())
    text = docx2python(io.BytesIO(render_docx(document))).text
    assert "Turks, Pools" in text and "Merhaba" in text
    render_odt(document)
