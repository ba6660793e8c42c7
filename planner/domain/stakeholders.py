"""Place audiences on a stakeholder map of interest against influence.

The map is a grid of 5 by 5 cells, one per score (1 to 5 on each axis). The quadrant lines run
between the scores 2 and 3 (a score of 3 or more counts as high), so they lie on cell borders and
a dot, which stays inside its cell, never sits on a line. The web page (SVG) and the documents (PNG)
draw the same geometry.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

CELL = 80
MARGIN = 60  # left of the grid: the influence axis, its scale and its title
TOP = 20
SIZE = 480
SCORES = (1, 2, 3, 4, 5)
HIGH_FROM = 3  # interest or influence of 3 or more is high
RADIUS = 11
SPACING = 24  # between the centres of dots that share a cell
CLEARANCE = 2  # the least room between a dot and its cell's border


def score_x(interest: float) -> float:
    """The x of the middle of an interest score's column."""
    return MARGIN + (interest - 0.5) * CELL


def score_y(influence: float) -> float:
    """The y of the middle of an influence score's row (high influence at the top)."""
    return TOP + (5.5 - influence) * CELL


GRID_LEFT, GRID_RIGHT = MARGIN, MARGIN + 5 * CELL
GRID_TOP, GRID_BOTTOM = TOP, TOP + 5 * CELL
QUADRANT_X = MARGIN + (HIGH_FROM - 1) * CELL  # between interest 2 and 3
QUADRANT_Y = TOP + (6 - HIGH_FROM) * CELL  # between influence 2 and 3


@dataclass(frozen=True)
class Quadrant:
    key: str  # satisfied, manage, monitor, inform
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> tuple[float, float, str]:
        """Where the quadrant's name goes: its outer corner, away from the crowded middle (x, baseline y, anchor)."""
        right = self.key in ("manage", "inform")
        bottom = self.key in ("monitor", "inform")
        return (self.x + self.width - 8 if right else self.x + 8, self.y + self.height - 8 if bottom else self.y + 18,
                "end" if right else "start")


QUADRANTS = (
    Quadrant("satisfied", GRID_LEFT, GRID_TOP, QUADRANT_X - GRID_LEFT, QUADRANT_Y - GRID_TOP),
    Quadrant("manage", QUADRANT_X, GRID_TOP, GRID_RIGHT - QUADRANT_X, QUADRANT_Y - GRID_TOP),
    Quadrant("monitor", GRID_LEFT, QUADRANT_Y, QUADRANT_X - GRID_LEFT, GRID_BOTTOM - QUADRANT_Y),
    Quadrant("inform", QUADRANT_X, QUADRANT_Y, GRID_RIGHT - QUADRANT_X, GRID_BOTTOM - QUADRANT_Y),
)
# The scale: (x, y) where each score's number is written under the interest axis and left of the influence axis.
INTEREST_TICKS = tuple((score, score_x(score), GRID_BOTTOM + 16) for score in SCORES)
INFLUENCE_TICKS = tuple((score, MARGIN - 10, score_y(score) + 4) for score in SCORES)


@dataclass(frozen=True)
class MapPoint:
    number: int
    name: str
    x: float
    y: float
    interest: int
    influence: int


def _offsets(count: int) -> list[tuple[float, float]]:
    """Centres around the middle of a cell for `count` dots: rows of up to three, squeezed to stay inside."""
    columns = min(3, count) if count <= 9 else math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    room = CELL / 2 - RADIUS - CLEARANCE  # the farthest a centre may lie from the middle
    spacing = min(SPACING, 2 * room / max(columns - 1, rows - 1, 1))
    offsets = []
    for index in range(count):
        column, row = index % columns, index // columns
        in_row = min(columns, count - row * columns)
        offsets.append(((column - (in_row - 1) / 2) * spacing, (row - (rows - 1) / 2) * spacing))
    return offsets


def layout(audiences) -> list[MapPoint]:
    """Number every audience with interest and influence, in the given order, and give it SVG coordinates.

    The numbers follow the order of `audiences` (the order of the audiences table), so the legend reads
    like the table; audiences that share a cell are set side by side inside it.
    """
    placed = [a for a in audiences if a.interest is not None and a.influence is not None]
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, audience in enumerate(placed):
        cells[(audience.interest, audience.influence)].append(index)
    position = {}
    for (interest, influence), members in cells.items():
        for index, (dx, dy) in zip(members, _offsets(len(members))):
            position[index] = (score_x(interest) + dx, score_y(influence) + dy)
    return [MapPoint(index + 1, audience.name, *position[index], audience.interest, audience.influence)
            for index, audience in enumerate(placed)]
