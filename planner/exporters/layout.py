"""Column widths that fit the words of a table, measured with the fallback font (wider than most)."""

from __future__ import annotations

import re
from functools import lru_cache

from PIL import ImageFont

CELL_POINTS = 9
PADDING_CM = 0.3  # cell padding (0.08 cm a side), borders and a little air
CM_PER_POINT = 2.54 / 72
SAFETY = 1.04  # LibreOffice and Word lay out a little wider than the font's advance widths
LONGEST_WORD_SHARE = 0.45  # a URL wider than this may break: the other columns need room too


@lru_cache(maxsize=2)
def _font(bold: bool):
    for name in (("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else
                 ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")):
        try:
            return ImageFont.truetype(name, CELL_POINTS * 10)
        except OSError:
            continue
    return None


@lru_cache(maxsize=20_000)
def word_cm(word: str, bold: bool = False) -> float:
    """The printed width of one word at the cell size, in cm."""
    font = _font(bold)
    points = font.getlength(word) / 10 if font else len(word) * CELL_POINTS * 0.62
    return points * CM_PER_POINT * SAFETY


BREAKS = re.compile(r"[ \t\n]+")  # not str.split(): a no-break space holds its words together


def _widest_word(texts, bold: bool) -> float:
    words = {word for text in texts for word in BREAKS.split(text) if word}
    return max((word_cm(word, bold) for word in words), default=0.0)


def column_layout(headers, rows, relative, usable_cm: float) -> tuple[list[float], list[bool]]:
    """Widths in cm summing to `usable_cm`: the relative widths, widened so that no word breaks where possible.

    With them, per column, whether its longest word is still wider than the column: there a word must break,
    and the renderers let Dutch hyphenation choose where."""
    total = sum(relative)
    wanted = [usable_cm * share / total for share in relative]
    columns = list(zip(*rows)) if rows else [()] * len(headers)
    needed = [max(_widest_word([header], True), _widest_word(column, False)) + PADDING_CM
              for header, column in zip(headers, columns)]
    minimum = [min(need, usable_cm * LONGEST_WORD_SHARE) for need in needed]
    if sum(minimum) >= usable_cm:  # something must break: only the columns with the longest words
        low, high = 0.0, max(minimum)
        for _ in range(40):
            cap = (low + high) / 2
            low, high = (cap, high) if sum(min(m, cap) for m in minimum) < usable_cm else (low, cap)
        widths = [min(m, low) for m in minimum]
        widths = [w + (usable_cm - sum(widths)) / len(widths) for w in widths]
    else:
        widths = [max(w, m) for w, m in zip(wanted, minimum)]
        while sum(widths) > usable_cm + 1e-6:  # take the surplus from the columns above their minimum
            excess = sum(widths) - usable_cm
            slack = [w - m for w, m in zip(widths, minimum)]
            widths = [w - excess * s / sum(slack) for w, s in zip(widths, slack)]
            widths = [max(w, m) for w, m in zip(widths, minimum)]
    return widths, [width < need - 1e-6 for width, need in zip(widths, needed)]
