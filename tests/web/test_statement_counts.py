"""Pages and feeds do a fixed number of SQL statements, however many activities the plan has.

Measured on the path users take: a web request from a fresh browser session, counted on the app's engine.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from planner.domain import feeds
from planner.enums import FeedScope
from tests.factories import build_large_plan

PAGES = [
    "/plans/{slug}", "/plans/{slug}/start", "/plans/{slug}/calendar", "/plans/{slug}/calendar?view=month&month=2027-05",
    "/plans/{slug}/calendar?view=week&week=2027-05-03", "/plans/{slug}/calendar?view=timeline&month=2027-04",
    "/plans/{slug}/audiences", "/plans/{slug}/partners", "/plans/{slug}/messages", "/plans/{slug}/channels",
    "/plans/{slug}/decisions", "/plans/{slug}/checklist", "/plans/{slug}/history", "/plans/{slug}/feeds",
    "/plans/{slug}/document.docx", "/{feed}",
]


@pytest.fixture
def two_plans(session):
    """The same plan at two sizes, each with a plan feed."""
    plans = {}
    for size in (40, 200):
        plan = build_large_plan(session, size, title=f"Groot plan {size}")
        _, token = feeds.create_subscription(session, plan, "Alles", FeedScope.PLAN)
        plans[size] = (plan.slug, f"feeds/{token}.ics")
    session.commit()
    return plans


@pytest.mark.today("2027-03-01")
def test_every_page_and_feed_does_as_many_statements_for_a_big_plan_as_for_a_small_one(two_plans, app, client):
    app.extensions["planner.fetch_counter"].interval = 0  # every feed fetch writes its statistics
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    counts = {}
    for size, (slug, feed) in two_plans.items():
        for page in PAGES:
            statements.clear()
            response = client.get(page.format(slug=slug, feed=feed))
            assert response.status_code == 200, (page, response.status_code)
            counts[(page, size)] = len(statements)
    for page in PAGES:
        assert counts[(page, 40)] == counts[(page, 200)], (page, counts[(page, 40)], counts[(page, 200)])


@pytest.mark.today("2027-03-01")
def test_the_coordinator_overview_does_as_many_statements_for_six_plans_as_for_two(session, app, client):
    from planner.domain.plans import find_or_create_organisation
    from planner.enums import OrganisationKind

    regions = {}
    for name, plans in (("Regio Klein", 2), ("Regio Groot", 6)):
        region = find_or_create_organisation(session, name, OrganisationKind.REGION)
        for n in range(plans):
            plan = build_large_plan(session, 20 + 10 * n, title=f"{name} plan {n}")
            plan.owner = find_or_create_organisation(session, f"Gemeente {name} {n}", OrganisationKind.MUNICIPALITY)
            plan.owner.region = region
        regions[plans] = region
    session.commit()
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    counts = {}
    for plans, region in regions.items():
        for path in ("/overview", "/overview.csv"):
            statements.clear()
            response = client.get(f"{path}?region={region.uuid}")
            assert response.status_code == 200 and f"{region.name} plan" in response.get_data(as_text=True)
            counts[(path, plans)] = len(statements)
    assert counts[("/overview", 2)] == counts[("/overview", 6)]
    assert counts[("/overview.csv", 2)] == counts[("/overview.csv", 6)]


@pytest.mark.today("2027-03-01")
def test_a_feed_fetched_after_an_edit_does_as_many_statements_for_a_big_plan(two_plans, app, client, session):
    """The incremental rebuild reads every activity's row version, then loads only what changed."""
    from planner.models import Activity, Plan

    app.extensions["planner.feed_cache"].recheck_seconds = 0  # ask the database on every fetch
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    counts = {}
    for size, (slug, feed) in two_plans.items():
        assert client.get(f"/{feed}").status_code == 200  # the build the next one starts from
        plan = session.scalar(sa.select(Plan).where(Plan.slug == slug))
        activity = session.scalar(sa.select(Activity).where(Activity.plan_id == plan.id).order_by(Activity.id.desc()))
        activity.title = "Gewijzigd na de eerste build"
        session.commit()
        statements.clear()
        response = client.get(f"/{feed}")
        assert b"Gewijzigd na de eerste build" in response.data.replace(b"\r\n ", b"")
        counts[size] = len(statements)
        # one statement reads the row versions; the activities loaded are those of an IN list (the changed one)
        assert sum(s.startswith("SELECT activities.id, activities.row_version \nFROM") for s in statements) == 1
        assert any("activities.id IN (" in s for s in statements)
    assert counts[40] == counts[200], counts


@pytest.mark.today("2027-03-01")
def test_the_regional_calendar_and_its_feed_do_as_many_statements_for_six_plans_as_for_two(session, app, client):
    from planner.domain import region_feeds
    from planner.domain.plans import find_or_create_organisation
    from planner.domain.regional_calendar import RegionFilters
    from planner.enums import OrganisationKind
    from planner.models import Activity, Plan

    regions, tokens = {}, {}
    for name, plans in (("Regio Klein", 2), ("Regio Groot", 6)):
        region = find_or_create_organisation(session, name, OrganisationKind.REGION)
        for n in range(plans):
            plan = build_large_plan(session, 20 + 10 * n, title=f"{name} plan {n}")
            plan.owner = find_or_create_organisation(session, f"Gemeente {name} {n}", OrganisationKind.MUNICIPALITY)
            plan.owner.region = region
        regions[plans] = region
        tokens[plans] = region_feeds.create_subscription(session, region, "Alles", RegionFilters())[1]
    session.commit()
    app.extensions["planner.fetch_counter"].interval = 0  # every feed fetch writes its statistics
    statements = []
    event.listen(app.extensions["planner.engine"], "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    counts = {}
    for plans, region in regions.items():
        paths = {"page": f"/regions/{region.uuid}/calendar?month=2027-03",
                 "filtered": f"/regions/{region.uuid}/calendar?month=2027-03&audience=Doelgroep+1",
                 "feed": f"/feeds/{tokens[plans]}.ics"}
        for key, path in paths.items():
            statements.clear()
            response = client.get(path)
            assert response.status_code == 200 and f"{region.name} plan" in response.get_data(as_text=True), path
            counts[(key, plans)] = len(statements)
        # the feed after an edit in one of the plans: built on the build before, as a plan's feed is
        app.extensions["planner.feed_cache"].recheck_seconds = 0  # ask the database on the next fetch
        activity = session.scalar(sa.select(Activity).join(Plan).where(Plan.title == f"{region.name} plan 1")
                                  .order_by(Activity.id.desc()))
        activity.title = "Gewijzigd na de eerste build"
        session.commit()
        statements.clear()
        response = client.get(paths["feed"])
        assert b"Gewijzigd na de eerste build" in response.data.replace(b"\r\n ", b"")
        counts[("feed after an edit", plans)] = len(statements)
        assert sum(s.startswith("SELECT activities.id, activities.row_version \nFROM") for s in statements) == 1
        assert any("activities.id IN (" in s for s in statements)
    assert {k: n for (k, p), n in counts.items() if p == 2} == {k: n for (k, p), n in counts.items() if p == 6}
