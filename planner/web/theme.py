"""An organisation's house style as NL Design System design tokens, with contrast kept at WCAG AA."""

from __future__ import annotations

import hashlib

DEFAULT_COLOUR = "#154273"
WHITE, BLACK = (255, 255, 255), (0, 0, 0)
FALLBACK_FONTS = '"Segoe UI", "Noto Sans", Roboto, Helvetica, Arial, sans-serif'


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def darken_until(rgb, against, ratio: float = 4.5):
    """The colour, darkened in small steps until it reaches `ratio` against `against`."""
    while contrast(rgb, against) < ratio:
        rgb = tuple(c * 0.92 for c in rgb)
    return rgb


def tokens(colour: str | None, font: str | None) -> dict[str, str]:
    """Design tokens for the planner's theme from a house colour and font."""
    brand = _rgb(colour if colour and len(colour) == 7 else DEFAULT_COLOUR)
    on_white = darken_until(brand, WHITE)            # links, headings and buttons on a white page
    hover = tuple(c * 0.8 for c in on_white)
    family = f'"{font.replace(chr(34), "")}", {FALLBACK_FONTS}' if font else FALLBACK_FONTS
    return {
        "--planner-brand": _hex(on_white),
        "--planner-brand-dark": _hex(hover),
        "--basis-text-font-family-default": family,
        "--basis-heading-font-family": family,
        "--basis-heading-color": _hex(hover),
        "--basis-color-action-1-inverse-bg-default": _hex(on_white),
        "--basis-color-action-1-inverse-bg-hover": _hex(hover),
        "--basis-color-action-1-inverse-bg-active": _hex(hover),
        "--basis-color-action-1-inverse-color-default": "#ffffff",
        "--basis-color-action-1-inverse-color-hover": "#ffffff",
        "--basis-color-action-2-color-default": _hex(on_white),
        "--basis-color-action-2-color-hover": _hex(hover),
        "--basis-color-action-2-color-active": _hex(hover),
    }


def stylesheet(colour: str | None, font: str | None) -> str:
    lines = "\n".join(f"  {name}: {value};" for name, value in tokens(colour, font).items())
    return f"/* house style as design tokens */\n.planner-theme {{\n{lines}\n}}\n"


def version(colour: str | None, font: str | None, has_logo: bool) -> str:
    return hashlib.sha256(f"{colour}|{font}|{has_logo}".encode()).hexdigest()[:12]
