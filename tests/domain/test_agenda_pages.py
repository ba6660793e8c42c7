"""Agenda pages (a plan's or a region's): at most PAGE_ENTRIES entries begin in a page unless one day holds more
(what runs on from an earlier page is listed as well), and paging either way shows everything."""

from __future__ import annotations

import datetime as dt

from planner.domain import calendar, regional_calendar
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.domain.regional_calendar import RegionFilters
from planner.enums import OrganisationKind
from planner.models import Activity

D = dt.date


def _region_with_long_campaigns(session):
    """Two plans: 160 campaigns from 1 March to 1 May, one short activity on 15 March, ten in June."""
    region = find_or_create_organisation(session, "Regio P", OrganisationKind.REGION)
    plans = []
    for n in range(2):
        owner = find_or_create_organisation(session, f"Gemeente P{n}", OrganisationKind.MUNICIPALITY)
        owner.region = region
        plans.append(create_plan(session, title=f"Plan {n}", owner=owner, starts_on=D(2027, 1, 4),
                                 ends_on=D(2027, 12, 17)))
    for n in range(160):
        session.add(Activity(plan=plans[n % 2], title=f"Campagne {n}", starts_on=D(2027, 3, 1),
                             ends_on=D(2027, 5, 1), exdates=[]))
    session.add(Activity(plan=plans[0], title="Kort in maart", starts_on=D(2027, 3, 15), exdates=[]))
    for n in range(10):
        session.add(Activity(plan=plans[1], title=f"Juni {n}", starts_on=D(2027, 6, 1 + n), exdates=[]))
    session.flush()
    return plans


def _walk(session, plans, backwards: bool) -> list[calendar.Page]:
    def between(first, last):
        return regional_calendar.entries(session, plans, RegionFilters(), first, last)

    bounds = calendar.date_range(session, plans)
    page = calendar.agenda_page(session, plans, between, bounds, last=bounds[1]) if backwards else \
        calendar.agenda_page(session, plans, between, bounds, first=bounds[0])
    pages = [page]
    while (page.previous_end if backwards else page.following_start) is not None and len(pages) < 50:
        page = calendar.agenda_page(session, plans, between, bounds, last=page.previous_end) if backwards else \
            calendar.agenda_page(session, plans, between, bounds, first=page.following_start)
        pages.append(page)
    return pages


def test_paging_back_past_long_campaigns_skips_nothing(session):
    """The 150th entry from the end may be a campaign that began before the days loaded: the page must not start
    before them (the short activity between would be on no page)."""
    _region_with_long_campaigns(session)
    plans = regional_calendar.region_plans(session, find_or_create_organisation(session, "Regio P"))
    for backwards in (True, False):
        pages = _walk(session, plans, backwards)
        shown = {e.activity.title for page in pages for e in page.entries}
        assert "Kort in maart" in shown and {f"Juni {n}" for n in range(10)} <= shown, backwards
        assert len({f"Campagne {n}" for n in range(160)} & shown) == 160
        days = sorted((page.first, page.last) for page in pages)  # the pages cover the plans' days, no gap
        assert all(after[0] == before[1] + dt.timedelta(days=1) for before, after in zip(days, days[1:]))


def test_a_filtered_agenda_counts_only_what_passes_the_filters(session):
    """A page ends early only when the filtered entries would be too many: a plan's 600 activities reach 150 in
    under three months, the region's 1,200 in about six weeks, those of one status or of one audience (by name,
    in any plan of the region) not in three months."""
    from tests.factories import build_large_region

    region, plans = build_large_region(session, "Regio Filter", 600)
    plan = plans[0]
    plan_done = calendar.Filters(status="done")
    region_parents = RegionFilters(audience="DOELGROEP 1")
    cases = [
        ([plan], lambda a, b: calendar.entries(plan, plan_done, calendar.window_activities(session, plan, a, b), a, b),
         plan_done.condition(), lambda e: e.activity.status.value == "done"),
        (plans, lambda a, b: regional_calendar.entries(session, plans, region_parents, a, b),
         region_parents.condition(), lambda e: e.activity is not None and "Doelgroep 1" in {
             a.name for a in e.activity.audiences}),
    ]
    for shown_plans, between, counted, matches in cases:
        bounds = calendar.date_range(session, shown_plans)
        page = calendar.agenda_page(session, shown_plans, between, bounds, first=D(2027, 1, 1), counted=counted)
        assert page.last == D(2027, 3, 31) and page.entries and all(matches(e) for e in page.entries)
        unfiltered = calendar.agenda_page(session, shown_plans, between, bounds, first=D(2027, 1, 1))
        assert unfiltered.last < D(2027, 3, 31)  # counting every activity ends the page earlier


def test_the_filters_in_sql_let_through_what_they_accept(session):
    from sqlalchemy import select

    from tests.factories import build_large_plan

    plan = build_large_plan(session, 80)
    audience, partner, channel = plan.audiences[3], plan.partners[0], plan.channels[1]
    for filters in (calendar.Filters(), calendar.Filters(audience_id=audience.id), calendar.Filters(status="done"),
                    calendar.Filters(partner_id=partner.id, channel_id=channel.id), calendar.Filters(status="weg")):
        selected = set(session.scalars(select(Activity.id).where(Activity.plan_id == plan.id, filters.condition())))
        assert selected == {a.id for a in plan.activities if filters.accepts(a)}, filters
