"""The stakeholder map: dots never on a quadrant line, a 1-5 scale on both axes, the legend in the table's order."""

import io
from html import unescape
import re
import xml.etree.ElementTree as ElementTree

from PIL import Image as PilImage

from planner import clock
from planner.domain import stakeholders as geometry
from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plan_document import plan_document
from planner.domain.plans import get_plan
from planner.domain.stakeholders import layout
from planner.exporters.blocks import Image, Table
from planner.exporters.stakeholder_map import SCALE, stakeholder_map_png
from planner.models import Audience

COLOUR = (200, 30, 40)
LABELS = {"satisfied": "Tevreden houden", "manage": "Nauw betrekken", "monitor": "Monitoren",
          "inform": "Informeren", "interest": "Belang", "influence": "Invloed"}
SVG = "{http://www.w3.org/2000/svg}"


def crowded_audiences() -> list[Audience]:
    """Every cell of the grid, the middle ones (on the quadrant lines before) crowded."""
    audiences = []
    for interest in range(1, 6):
        for influence in range(1, 6):
            crowd = {(3, 3): 12, (3, 2): 9, (2, 3): 4, (3, 5): 2}.get((interest, influence), 1)
            audiences += [Audience(name=f"Groep {interest}{influence}{n:02}", interest=interest, influence=influence)
                          for n in range(crowd)]
    return audiences


def test_every_dot_stays_inside_its_cell_clear_of_the_quadrant_lines():
    points = layout(crowded_audiences())
    assert len(points) == 25 + 11 + 8 + 3 + 1
    for point in points:
        left = geometry.GRID_LEFT + (point.interest - 1) * geometry.CELL
        top = geometry.GRID_TOP + (5 - point.influence) * geometry.CELL
        assert left + geometry.RADIUS < point.x < left + geometry.CELL - geometry.RADIUS, point
        assert top + geometry.RADIUS < point.y < top + geometry.CELL - geometry.RADIUS, point
        assert abs(point.x - geometry.QUADRANT_X) > geometry.RADIUS and abs(point.y - geometry.QUADRANT_Y) > geometry.RADIUS
    # the quadrant lines lie between the scores 2 and 3
    assert geometry.score_x(2) < geometry.QUADRANT_X < geometry.score_x(3)
    assert geometry.score_y(3) < geometry.QUADRANT_Y < geometry.score_y(2)


def test_png_has_no_dot_on_a_quadrant_line_and_a_scale_on_both_axes():
    audiences = crowded_audiences()
    image = PilImage.open(io.BytesIO(stakeholder_map_png(audiences, LABELS, COLOUR))).convert("RGB")
    pixels = image.load()
    line_x, line_y = geometry.QUADRANT_X * SCALE, geometry.QUADRANT_Y * SCALE
    for point in layout(audiences):  # every dot is drawn where the layout says
        assert pixels[point.x * SCALE + 9 * SCALE, point.y * SCALE] == COLOUR, point
    column = [pixels[line_x, y] for y in range(geometry.GRID_TOP * SCALE, geometry.GRID_BOTTOM * SCALE - 4)]
    row = [pixels[x, line_y] for x in range(geometry.GRID_LEFT * SCALE + 4, geometry.GRID_RIGHT * SCALE)]
    assert COLOUR not in column and COLOUR not in row
    assert set(column) == {(255, 255, 255)} and set(row) == {(255, 255, 255)}  # the quadrants' white border

    def inked(x, y) -> bool:
        return any(sum(pixels[x * SCALE + dx, y * SCALE + dy]) < 200
                   for dx in range(-8, 9) for dy in range(-8, 9))

    for score, x, y in geometry.INTEREST_TICKS + geometry.INFLUENCE_TICKS:
        assert inked(x - (3 if x < geometry.GRID_LEFT else 0), y - 4), score
    assert not inked(geometry.GRID_RIGHT + 10, geometry.GRID_BOTTOM + 16)  # blank where no number is


def test_document_legend_follows_the_audiences_table(demo_session):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    document = plan_document(plan, clock.today())
    table = next(b for b in document.blocks if isinstance(b, Table) and b.headers[0] == "Doelgroep")
    placed = [row[0] for row in table.rows if row[2] != "–" and row[3] != "–"]
    image = next(b for b in document.blocks if isinstance(b, Image) and b.alt.startswith("Stakeholderkaart"))
    legend = re.findall(r"(\d+)\. ([^;]+)", image.alt.split(": ", 1)[1])
    assert [name for _, name in legend] == placed and [int(n) for n, _ in legend] == list(range(1, len(placed) + 1))
    assert len(placed) > 3 and placed != sorted(placed, key=lambda name: next(
        (a.interest, a.influence) for a in plan.audiences if a.name == name))  # the old order would differ


def test_web_map_draws_the_same_geometry(demo_session, client):
    html = client.get(f"/plans/{REGIONAL_SLUG}/audiences").get_data(as_text=True)
    svg = ElementTree.fromstring(re.search(r"<svg viewBox.*?</svg>", html, re.S)[0])
    rects = svg.findall(f"{SVG}rect")
    inner_x = {float(r.get("x")) for r in rects} - {geometry.GRID_LEFT}
    inner_y = {float(r.get("y")) for r in rects} - {geometry.GRID_TOP}
    assert inner_x == {geometry.QUADRANT_X} and inner_y == {geometry.QUADRANT_Y}
    circles = svg.findall(f"{SVG}circle")
    assert circles
    for circle in circles:
        x, y, r = float(circle.get("cx")), float(circle.get("cy")), float(circle.get("r"))
        assert abs(x - geometry.QUADRANT_X) > r and abs(y - geometry.QUADRANT_Y) > r
    scale = [t.text for t in svg.findall(f"{SVG}text") if t.get("class") == "axis-scale"]
    assert scale == ["1", "2", "3", "4", "5"] * 2
    legend = re.findall(r"<li>([^<]+?) <span", re.search(r'<ol class="map-legend">(.*?)</ol>', html, re.S)[1])
    demo_session.expire_all()  # the audiences as the database orders them, like the page
    plan = get_plan(demo_session, REGIONAL_SLUG)
    assert [unescape(name) for name in legend] == [a.name for a in plan.audiences if a.on_stakeholder_map]
