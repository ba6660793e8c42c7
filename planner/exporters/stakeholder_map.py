"""Draw the stakeholder map (interest against influence) as a PNG for documents: the web page's geometry."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from planner.domain import stakeholders as geometry
from planner.domain.stakeholders import layout

SCALE = 2  # draw at twice the SVG coordinates for a sharp print
FILLS = {"satisfied": "#eef3f8", "manage": "#dce7f3", "monitor": "#f7f7f7", "inform": "#eef3f8"}


def font(size: int):
    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def centred(draw, x: float, y: float, text: str, font, fill) -> None:
    """`text` with the middle of its box at (x, y)."""
    box = draw.textbbox((0, 0), text, font=font)
    draw.text((x - (box[0] + box[2]) / 2, y - (box[1] + box[3]) / 2), text, fill=fill, font=font)


def stakeholder_map_png(audiences, labels: dict[str, str], colour: tuple[int, int, int]) -> bytes | None:
    """The map with numbered points (the legend is in the document text); None when nobody is placed."""
    points = layout(audiences)
    if not points:
        return None
    s = SCALE
    image = Image.new("RGB", (geometry.SIZE * s, geometry.SIZE * s), "white")
    draw = ImageDraw.Draw(image)
    small, bold = font(12 * s), font(13 * s)
    for quadrant in geometry.QUADRANTS:
        x, y = quadrant.x * s, quadrant.y * s
        draw.rectangle([x, y, x + quadrant.width * s, y + quadrant.height * s], fill=FILLS[quadrant.key],
                       outline="white", width=2 * s)
        label_x, baseline, anchor = quadrant.label
        draw.text((label_x * s, baseline * s), labels[quadrant.key], fill="#4b4b4b", font=small,
                  anchor="rs" if anchor == "end" else "ls")
    left, right, top, bottom = (value * s for value in (geometry.GRID_LEFT, geometry.GRID_RIGHT, geometry.GRID_TOP,
                                                        geometry.GRID_BOTTOM))
    draw.line([left, bottom, right, bottom], fill="black", width=2 * s)
    draw.line([left, top, left, bottom], fill="black", width=2 * s)
    for score, x, y in geometry.INTEREST_TICKS:
        draw.line([x * s, bottom, x * s, bottom + 4 * s], fill="black", width=s)
        centred(draw, x * s, (y - 4) * s, str(score), small, "black")
    for score, x, y in geometry.INFLUENCE_TICKS:
        draw.line([left - 4 * s, (y - 4) * s, left, (y - 4) * s], fill="black", width=s)
        centred(draw, (x - 3) * s, (y - 4) * s, str(score), small, "black")
    centred(draw, (left + right) / 2, (geometry.GRID_BOTTOM + 36) * s, labels["interest"] + " →", bold, "black")
    axis = Image.new("RGBA", (200 * s, 20 * s), (255, 255, 255, 0))
    axis_draw = ImageDraw.Draw(axis)
    centred(axis_draw, 100 * s, 10 * s, labels["influence"] + " →", bold, "black")
    turned = axis.rotate(90, expand=True)
    image.paste(turned, (8 * s, int((top + bottom) / 2 - turned.height / 2)), turned)
    for point in points:
        x, y, r = point.x * s, point.y * s, geometry.RADIUS * s
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline="white", width=2 * s)
        centred(draw, x, y, str(point.number), bold, "white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
