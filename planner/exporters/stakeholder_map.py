"""Draw the stakeholder map (interest against influence) as a PNG for documents."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from planner.domain.stakeholders import layout

SCALE = 2  # draw at twice the SVG coordinates for a sharp print


def _font(size: int):
    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def stakeholder_map_png(audiences, labels: dict[str, str], colour: tuple[int, int, int]) -> bytes | None:
    """The map with numbered points (the legend is in the document text); None when nobody is placed."""
    points = layout(audiences)
    if not points:
        return None
    size = 480 * SCALE
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    s = SCALE
    quadrants = [((60, 20), "#eef3f8", labels["satisfied"]), ((260, 20), "#dce7f3", labels["manage"]),
                 ((60, 220), "#f7f7f7", labels["monitor"]), ((260, 220), "#eef3f8", labels["inform"])]
    small, bold = _font(12 * s), _font(13 * s)
    for (x, y), fill, text in quadrants:
        draw.rectangle([x * s, y * s, (x + 200) * s, (y + 200) * s], fill=fill, outline="white", width=2 * s)
        draw.text(((x + 8) * s, (y + 8) * s), text, fill="#4b4b4b", font=small)
    draw.line([60 * s, 420 * s, 460 * s, 420 * s], fill="black", width=2 * s)
    draw.line([60 * s, 20 * s, 60 * s, 420 * s], fill="black", width=2 * s)
    draw.text((220 * s, 440 * s), labels["interest"] + " →", fill="black", font=bold)
    axis = Image.new("RGBA", (200 * s, 20 * s), (255, 255, 255, 0))
    ImageDraw.Draw(axis).text((0, 0), labels["influence"] + " →", fill="black", font=bold)
    image.paste(axis.rotate(90, expand=True), (12 * s, 130 * s), axis.rotate(90, expand=True))
    for point in points:
        x, y, r = point.x * s, point.y * s, 11 * s
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline="white", width=2 * s)
        text = str(point.number)
        box = draw.textbbox((0, 0), text, font=bold)
        draw.text((x - (box[2] - box[0]) / 2, y - (box[3] - box[1]) / 2 - box[1]), text, fill="white", font=bold)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
