"""A neutral document model: the plan document is assembled once and rendered as .docx or .odt."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Characters XML 1.0 cannot carry (and that python-docx and odfpy refuse).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
class Contents:
    """A table of contents; `entries` are (level, text) so that readers see it before fields update."""

    title: str
    entries: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, caption, note
    language: str | None = None
    right_to_left: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]  # relative column widths
    caption: str = ""


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

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> tuple[tuple[int, str], ...]:
        return tuple((b.level, b.text) for b in self.blocks if isinstance(b, Heading))
