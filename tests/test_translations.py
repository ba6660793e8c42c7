"""The Dutch catalogue is complete, compiled, and covers every text in code and templates."""

import io
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "planner" / "translations" / "nl" / "LC_MESSAGES"


def test_every_message_has_a_dutch_translation():
    with open(CATALOGUE / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale="nl")
    missing = [m.id for m in catalogue if m.id and not m.string]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "messages.po", "rb") as handle:
        expected = io.BytesIO()
        write_mo(expected, read_po(handle, locale="nl"))
    expected.seek(0)
    def entries(catalogue):
        return {str(m.id): str(m.string) for m in catalogue if m.id}

    with open(CATALOGUE / "messages.mo", "rb") as handle:
        compiled = entries(read_mo(handle))
    wanted = entries(read_mo(expected))
    assert compiled == wanted, "run `make translations` and commit the .mo"


def test_catalogue_covers_every_text_in_code_and_templates(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "N_", "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with open(CATALOGUE / "messages.po", "rb") as handle:
        translated = {m.id for m in read_po(handle, locale="nl") if m.id}
    assert extracted - translated == set(), "new texts: run `make translations` and translate them"


def test_english_catalogue_is_complete_and_compiled():
    """English is the second language: every Dutch text has its English counterpart, compiled."""
    english = ROOT / "planner" / "translations" / "en" / "LC_MESSAGES"
    with open(english / "messages.po", "rb") as handle:
        catalogue = read_po(handle, locale="en")
    with open(CATALOGUE / "messages.po", "rb") as handle:
        dutch = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle, locale="nl") if m.id}
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert ids == dutch, "run `make translations` (it writes the English catalogue too)"
    with open(english / "messages.mo", "rb") as handle:
        compiled = {m.id if isinstance(m.id, str) else m.id[0] for m in read_mo(handle) if m.id}
    assert ids == compiled
