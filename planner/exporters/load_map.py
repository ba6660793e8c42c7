"""Draw the load per audience per week as a PNG for the plan document: the web chart's cells, numbers included."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from planner.domain.region_charts import Grid
from planner.exporters.stakeholder_map import centred, font

SCALE = 2
LABEL, CELL, ROW = 230, 22, 22  # label column, week column and row, before scaling
SHADES = ("#ffffff", "#deebf7", "#9ecae1", "#4292c6", "#08519c")  # as planner.css; numbers carry the value too
MARK_FILL, MARK_LINE, GRID_LINE = "#fdf0dc", "#b7791f", "#d1d5db"


def _level(value: int, peak: int) -> int:
    return 0 if not value else min(4, -(-value * 4 // peak))


def _fitted(draw, text: str, font, width: float) -> str:
    """`text`, shortened with an ellipsis until it fits `width`."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def load_map_png(grid: Grid, week_label: str) -> bytes | None:
    """The grid as a heat map, week numbers below and marked moments as shaded bands; None without publications."""
    if not grid.rows or not grid.peak:
        return None
    s = SCALE
    top = (8 + 14 * len(grid.marks)) * s
    width = (LABEL + CELL * len(grid.weeks) + 8) * s
    height = top + ROW * len(grid.rows) * s + 28 * s
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, tiny = font(11 * s), font(9 * s)
    left = LABEL * s
    for index, (name, first, last) in enumerate(grid.marks):
        x0, x1 = left + first * CELL * s, left + (last + 1) * CELL * s
        draw.rectangle([x0, top - 2 * s, x1, top + ROW * len(grid.rows) * s + 2 * s], fill=MARK_FILL,
                       outline=MARK_LINE, width=s)
        text = _fitted(draw, name, tiny, width - x0 - 4 * s)
        draw.text((x0 + 2 * s, (4 + 14 * index) * s), text, fill="#7a4a00", font=tiny)
    for row, (name, values) in enumerate(grid.rows):
        y = top + row * ROW * s
        draw.text((left - 8 * s, y + ROW * s / 2), _fitted(draw, name, small, (LABEL - 14) * s), fill="#1f2937",
                  font=small, anchor="rm")
        for column, value in enumerate(values):
            x = left + column * CELL * s
            level = _level(value, grid.peak)
            if value or not any(first <= column <= last for _n, first, last in grid.marks):
                draw.rectangle([x + s, y + s, x + (CELL - 1) * s, y + (ROW - 1) * s], fill=SHADES[level],
                               outline=GRID_LINE, width=1)
            if value:
                centred(draw, x + CELL * s / 2, y + ROW * s / 2, str(value), tiny, "white" if level > 2 else "#1f2937")
    axis = top + ROW * len(grid.rows) * s + 12 * s
    draw.text((left - 8 * s, axis), week_label, fill="#4b5563", font=tiny, anchor="rm")
    for column, week in enumerate(grid.weeks):
        centred(draw, left + column * CELL * s + CELL * s / 2, axis, str(week.isocalendar()[1]), tiny, "#4b5563")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
