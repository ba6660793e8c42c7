"""A neutral document model: the plan document is assembled once and rendered as .docx or .odt."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

# Characters XML 1.0 cannot carry (and that python-docx and odfpy refuse).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:-([A-Z]{2}))?$")


def language_tag(code) -> str | None:
    """A language tag documents can declare ("ar", "pt-BR"), or None for anything else."""
    code = xml_safe(code).strip().replace("_", "-")
    language, _, country = code.partition("-")
    tag = language.lower() + (f"-{country.upper()}" if country else "")
    return tag if LANGUAGE_TAG.match(tag) else None


def xml_safe(text) -> str:
    return NOT_XML.sub("", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class HouseStyle:
    colour: str = "#154273"
    font: str = "Calibri"
    logo: bytes | None = None

    @property
    def rgb(self) -> tuple[int, int, int]:
        value = self.colour.lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@dataclass(frozen=True)
class TitlePage:
    title: str
    subtitle: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    numbered: bool = True
    number: str = ""  # "2", "2.1"; set by Document.number_headings
    anchor: str = ""  # the bookmark that contents entries and PDF links point to

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text


@dataclass(frozen=True)
class Contents:
    """A table of contents; renderers link every entry to its heading and let the reader fill in its page."""

    title: str
    entries: tuple[Heading, ...]


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, caption, note, small
    language: str | None = None
    right_to_left: bool = False


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]  # relative column widths; renderers widen columns so that no word breaks
    caption: str = ""
    keep_together: bool = False  # the whole table on one page (short tables such as the budget)
    languages: tuple[str | None, ...] = ()  # per column, for cells in another language than the document
    # a layout result (planner.exporters.pdf_layout): the rows from this index start a new page, under the header
    new_page_from_row: int | None = None


@dataclass(frozen=True)
class Landscape:
    """The blocks between this and the next Portrait are set on landscape pages."""


@dataclass(frozen=True)
class Portrait:
    pass


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass
class Document:
    title: str
    author: str
    subject: str
    keywords: str
    created: dt.datetime
    modified: dt.datetime
    style: HouseStyle
    language: str = "nl-NL"
    blocks: list = field(default_factory=list)

    @property
    def short_title(self) -> str:
        """The title for page headers: whole words, at most 60 characters."""
        if len(self.title) <= 60:
            return self.title
        return self.title[:59].rsplit(" ", 1)[0] + "…"

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))

    def number_headings(self, depth: int = 2) -> None:
        """Number chapters and sections (1, 1.1) down to `depth` and give every heading a bookmark."""
        counters = [0] * depth
        for index, block in enumerate(self.blocks):
            if not isinstance(block, Heading):
                continue
            number = ""
            if block.numbered and block.level <= depth:
                counters[block.level - 1] += 1
                counters[block.level:] = [0] * (depth - block.level)
                number = ".".join(str(n) for n in counters[:block.level])
            self.blocks[index] = replace(block, number=number, anchor=f"_Toc{index}")
