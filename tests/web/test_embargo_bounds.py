"""An embargo that follows a moment shows the date it gives, and which moment it follows."""

import re

from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.models import Embargo
from tests.helpers import short_date, text_of_html


def test_an_embargo_against_a_moment_shows_the_computed_date_and_the_moment(demo_session, client):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    campaign = next(m for m in plan.moments if m.name.startswith("Landelijke campagne"))
    plan.embargoes.append(Embargo(audience=plan.audiences[-1], not_before_moment=campaign,
                                  reason="Pas na de start van de campagne."))
    demo_session.commit()
    html = client.get(f"/plans/{REGIONAL_SLUG}/audiences").get_data(as_text=True)
    rows = [text_of_html(row) for row in re.findall(r"<tr><td>.*?</tr>", html, re.S)]
    row = next(r for r in rows if "Pas na de start van de campagne." in r)
    assert f"{short_date(campaign.starts_on)} start van {campaign.name} –" in row  # and no "not after" bound
