"""House style that holds: the logo in the header, matching title pages, no template leftovers, fonts that exist."""

import io
import re
import shutil
import subprocess
import unicodedata
import zipfile

import docx
import pytest
from fontTools.ttLib import TTFont
from PIL import Image as PilImage

from planner import clock
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.documents import plan_output
from planner.domain.plan_document import plan_document
from planner.domain.plans import get_plan
from planner.exporters.blocks import Document, HouseStyle, Paragraph
from planner.exporters.docx import render_docx
from planner.exporters.fonts import installed_families, pdf_font
from planner.exporters.odt import render_odt
from planner.exporters.pdf import convert_to_pdf
from tests.exporters.test_documents import needs_libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None or shutil.which("pdfimages") is None,
                                   reason="pdffonts and pdfimages (poppler-utils) missing")
EMOJI = "🎉 👪 ✅"


def logo_png(width=400, height=120) -> bytes:
    buffer = io.BytesIO()
    PilImage.new("RGB", (width, height), (120, 10, 20)).save(buffer, "PNG")
    return buffer.getvalue()


def run(*command, data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run([*command, str(path), *(["-"] if command[0] == "pdftotext" else [])],
                          capture_output=True, check=True, text=True).stdout


# -- missing glyphs: LibreOffice draws a character no font has with the font's .notdef box (glyph 0 or a copy
# of it in the subset); a colour font it cannot export leaves a glyph without outline. ToUnicode says which
# character each glyph stands for.

def _to_unicode(cmap: str) -> dict[int, str]:
    codes = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = bytes.fromhex(text).decode("utf-16-be")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                codes[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return codes


def _visible(text: str) -> bool:
    return any(unicodedata.category(c) not in ("Zs", "Zl", "Zp", "Cc", "Cf") for c in text)


def invisible_characters(pdf: bytes) -> dict[str, str]:
    """Characters the PDF draws as an empty box or as nothing, with the font that failed them."""
    import pypdf

    failed, seen = {}, set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for reference in page["/Resources"].get("/Font", {}).values():
            font = reference.get_object()
            if reference.idnum in seen or "/ToUnicode" not in font or font["/Subtype"] == "/Type3":
                continue
            seen.add(reference.idnum)
            codes = _to_unicode(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
            descendant = font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font
            program = descendant["/FontDescriptor"].get_object().get("/FontFile2")
            assert program is not None, f"{font['/BaseFont']} is not an embedded TrueType font"
            tt = TTFont(io.BytesIO(program.get_object().get_data()))
            order, glyphs = tt.getGlyphOrder(), tt["glyf"]
            if font["/Subtype"] == "/Type0":
                glyph_of = order.__getitem__  # LibreOffice writes Identity CID-to-GID maps
            else:
                cmap = (tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 0)).cmap
                glyph_of = lambda code: cmap.get(code, cmap.get(0xF000 + code, ".notdef"))  # noqa: E731

            def outline(name):
                glyph = glyphs[name]
                glyph.expand(glyphs)
                return glyph.numberOfContours, tuple(getattr(glyph, "coordinates", ()))

            notdef = outline(order[0])
            for code, text in codes.items():
                name = glyph_of(code)
                contours, points = outline(name)
                if _visible(text) and (name == order[0] or (contours, points) == notdef or contours == 0):
                    failed[text] = str(font["/BaseFont"])
    return failed


def test_docx_keeps_no_template_leftovers(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    with zipfile.ZipFile(io.BytesIO(render_docx(plan_document(plan, clock.today())))) as archive:
        names, app = archive.namelist(), archive.read("docProps/app.xml").decode()
        relationships = archive.read("_rels/.rels").decode()
    assert "Microsoft" not in app and "<Pages>" not in app and "<Words>" not in app
    assert "<Application>planner</Application>" in app and f"<Company>{plan.owner.name}</Company>" in app
    assert not any("thumbnail" in name for name in names) and "thumbnail" not in relationships


def test_odt_manifest_declares_the_documents_version(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    with zipfile.ZipFile(io.BytesIO(render_odt(plan_document(plan, clock.today())))) as archive:
        manifest, content = archive.read("META-INF/manifest.xml").decode(), archive.read("content.xml").decode()
    version = re.search(r'office:version="([^"]+)"', content)[1]
    assert re.search(rf'<manifest:manifest [^>]*manifest:version="{re.escape(version)}"', manifest)
    root = re.search(r'<manifest:file-entry [^>]*manifest:full-path="/"[^>]*/>', manifest)[0]
    assert f'manifest:version="{version}"' in root


def test_logo_in_the_page_header_and_on_the_title_page(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.owner.logo = logo_png()
    document = plan_document(plan, clock.today())
    word = docx.Document(io.BytesIO(render_docx(document)))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element.xml
    assert "<a:blip" in header and f'descr="{plan.owner.name}"' in header
    assert "<a:blip" not in section.first_page_header._element.xml
    assert len(word.inline_shapes) == 3  # the title page's logo, the stakeholder map and the load per week
    with zipfile.ZipFile(io.BytesIO(render_odt(document))) as archive:
        styles = archive.read("styles.xml").decode()
    masters = {m[1]: m[0] for m in re.finditer(r'<style:master-page style:name="([^"]+)"(?:[^>]*/>|.*?'
                                               r'</style:master-page>)', styles, re.S)}
    for name in ("Standard", "Landscape"):
        assert re.search(r"<style:header>.*<draw:image xlink:href=\"Pictures/", masters[name], re.S), name
    assert "<style:header>" not in masters["First_20_Page"]


def test_an_unreadable_logo_leaves_empty_headers(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.owner.logo = b"\x89PNG not really"
    document = plan_document(plan, clock.today())
    assert "<a:blip" not in docx.Document(io.BytesIO(render_docx(document))).sections[0].header._element.xml
    with zipfile.ZipFile(io.BytesIO(render_odt(document))) as archive:
        assert "<style:header>" not in archive.read("styles.xml").decode()


def test_title_styles_match_bold_with_a_rule_in_the_house_colour(demo_session):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.owner.primary_colour = "#7A1E3C"
    document = plan_document(plan, clock.today())
    title = docx.Document(io.BytesIO(render_docx(document))).styles["Title"]
    assert title.font.bold and str(title.font.color.rgb) == "7A1E3C"
    assert title.element.find(f"{W}pPr/{W}pBdr/{W}bottom").get(f"{W}color") == "7A1E3C"
    with zipfile.ZipFile(io.BytesIO(render_odt(document))) as archive:
        styles = archive.read("styles.xml").decode()
    odt_title = re.search(r'<style:style style:name="Title".*?</style:style>', styles, re.S)[0]
    assert 'fo:font-weight="bold"' in odt_title and 'fo:color="#7A1E3C"' in odt_title
    assert re.search(r'fo:border-bottom="[^"]*solid #7A1E3C"', odt_title)


@needs_libreoffice
@needs_poppler
def test_title_pages_match_and_every_page_carries_the_logo(demo_session, tmp_path):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    plan.owner.logo = logo_png()
    document = plan_document(plan, clock.today())
    title_pages = []
    for raw, suffix in ((render_docx(document), ".docx"), (render_odt(document), ".odt")):
        pdf = convert_to_pdf(raw, suffix)
        pages = run("pdftotext", data=pdf, tmp_path=tmp_path).split("\f")[:-1]
        title_pages.append([line.strip() for line in pages[0].splitlines() if line.strip()])
        images = [line.split() for line in run("pdfimages", "-list", data=pdf, tmp_path=tmp_path).splitlines()[2:]]
        logo_pages = {int(row[0]) for row in images if row[2] == "image" and (row[3], row[4]) == ("400", "120")}
        assert logo_pages == set(range(1, len(pages) + 1)), suffix
    assert title_pages[0] == title_pages[1]
    assert title_pages[0][0].startswith(plan.title.split()[0]) and "Communicatieplan" in title_pages[0]


@needs_libreoffice
@needs_poppler
def test_pdf_has_a_glyph_for_every_character_emoji_and_arabic_included(demo_session, tmp_path):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    arabic = next(t.body for m in plan.messages for t in m.translations if t.language == "ar")
    plan.title = f"{plan.title} {EMOJI}"
    plan.audiences[0].name += " 👪"
    pdf = plan_output(demo_session, plan, "pdf", clock.today()).data
    assert invisible_characters(pdf) == {}
    text = run("pdftotext", data=pdf, tmp_path=tmp_path)
    assert EMOJI in text and "👪" in text
    assert all(word in text for word in arabic.split()[:3])


@needs_libreoffice
def test_the_glyph_check_finds_empty_boxes(tmp_path, monkeypatch):
    """The check itself: with only DejaVu Sans (no emoji) the emoji are empty boxes, and the check says so."""
    if "dejavu sans" not in installed_families():
        pytest.skip("needs DejaVu Sans (fonts-dejavu-core)")
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>'
                      f'<cachedir>{tmp_path}/cache</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))  # the conversion includes it instead of the system's
    now = clock.now()
    document = Document("Feest", "Gemeente", "Test", "", now, now, HouseStyle(font="DejaVu Sans"),
                        blocks=[Paragraph(f"Feest {EMOJI}")])
    assert set(invisible_characters(convert_to_pdf(render_odt(document), ".odt"))) >= {"🎉"}


@needs_libreoffice
@needs_poppler
def test_pdf_falls_back_to_an_open_font_when_the_house_font_is_missing(demo_session, tmp_path):
    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    families = installed_families()
    if "liberation sans" not in families:
        pytest.skip("fonts-liberation2 is not installed; .ci/run installs it")
    plan.owner.font = "Huisletter Die Hier Niet Is"
    assert pdf_font(plan.owner.font) == "Liberation Sans"
    fonts = run("pdffonts", data=plan_output(demo_session, plan, "pdf", clock.today()).data, tmp_path=tmp_path)
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert {"LiberationSans", "LiberationSans-Bold"} <= names
    if "carlito" in families:  # a metric-compatible stand-in where one exists
        assert pdf_font("Calibri") == ("Calibri" if "calibri" in families else "Carlito")


def test_word_footer_puts_the_page_number_at_the_right_margin(demo_session):
    """The Footer style's centre tab would catch "pagina N van M" halfway along the line."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    plan = get_plan(demo_session, MUNICIPAL_SLUG)
    word = docx.Document(io.BytesIO(render_docx(plan_document(plan, clock.today()))))
    section = word.sections[0]
    paragraph = section.footer.paragraphs[0]
    tabs = {tab.position: tab.alignment for tab in paragraph.paragraph_format.tab_stops}
    usable = section.page_width - section.left_margin - section.right_margin
    assert [position for position, alignment in tabs.items() if alignment != WD_TAB_ALIGNMENT.CLEAR] == [usable]
    assert tabs[usable] == WD_TAB_ALIGNMENT.RIGHT
    for tab in paragraph.style.paragraph_format.tab_stops:
        assert tab.position == usable or tabs[tab.position] == WD_TAB_ALIGNMENT.CLEAR
