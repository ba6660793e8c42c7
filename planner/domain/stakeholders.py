"""Place audiences on a stakeholder map of interest against influence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

CELL = 80
MARGIN = 60


@dataclass(frozen=True)
class MapPoint:
    number: int
    name: str
    x: float
    y: float
    interest: int
    influence: int


def layout(audiences) -> list[MapPoint]:
    """Number every audience with interest and influence and give it SVG coordinates.

    Audiences that share a cell are fanned out side by side; the numbers refer to a legend.
    """
    cells: dict[tuple[int, int], list] = defaultdict(list)
    for audience in audiences:
        if audience.interest is not None and audience.influence is not None:
            cells[(audience.interest, audience.influence)].append(audience)
    points = []
    for (interest, influence), members in sorted(cells.items()):
        centre_x = MARGIN + (interest - 0.5) * CELL
        centre_y = 20 + (5 - influence + 0.5) * CELL
        per_row = 3
        for index, audience in enumerate(members):
            column, row = index % per_row, index // per_row
            in_row = min(per_row, len(members) - row * per_row)
            x = centre_x + (column - (in_row - 1) / 2) * 24
            y = centre_y + (row - (len(members) - 1) // per_row / 2) * 24
            points.append(MapPoint(len(points) + 1, audience.name, x, y, interest, influence))
    return points
