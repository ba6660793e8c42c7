"""The regional calendar: the plans of a region merged into one agenda, and its secret feed links."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import icalendar
import pytest
import sqlalchemy as sa
import vobject

from planner.domain import feeds, region_feeds
from planner.domain.accounts import create_user
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.domain.regional_calendar import RegionFilters
from planner.enums import AudienceCategory, ChannelKind, FeedScope, MomentKind, OrganisationKind, Role
from planner.models import Activity, Audience, Channel, Moment, SecurityEvent, Subscription
from tests.conftest import log_in
from tests.helpers import csrf_token, submit, text_of

D = dt.date
PASSWORD = "een-lang-test-wachtwoord"
pytestmark = pytest.mark.today("2027-03-01")


def _plan(session, owner, title, rows):
    """A plan of `owner` with activities (title, day, audience name, channel name) and one moment."""
    plan = create_plan(session, title=title, owner=owner, starts_on=D(2027, 1, 4), ends_on=D(2027, 12, 17))
    audiences, channels = {}, {}
    for activity_title, day, audience, channel in rows:
        if audience not in audiences:
            audiences[audience] = Audience(plan=plan, name=audience, category=AudienceCategory.GENERAL_PUBLIC)
        if channel not in channels:
            channels[channel] = Channel(plan=plan, name=channel, kind=ChannelKind.POSTER)
        session.add(Activity(plan=plan, title=activity_title, starts_on=day, audiences=[audiences[audience]],
                             channel=channels[channel]))
    session.add(Moment(plan=plan, name=f"Moment van {owner.name}", kind=MomentKind.CAMPAIGN, starts_on=D(2027, 3, 10)))
    return plan


@pytest.fixture
def regions(session):
    """Regio Zuid (Gemeente Aa and Gemeente Bee, a plan each) and Regio Noord (Gemeente Cee), with a user each."""
    zuid = find_or_create_organisation(session, "Regio Zuid", OrganisationKind.REGION)
    noord = find_or_create_organisation(session, "Regio Noord", OrganisationKind.REGION)
    towns = {}
    for name, region in (("Gemeente Aa", zuid), ("Gemeente Bee", zuid), ("Gemeente Cee", noord)):
        towns[name] = find_or_create_organisation(session, name, OrganisationKind.MUNICIPALITY)
        towns[name].region = region
    _plan(session, towns["Gemeente Aa"], "Plan Aa", [
        ("Aa flyer ouders", D(2027, 3, 5), "Ouders", "Flyer"),
        ("Aa poster jongeren", D(2027, 4, 12), "Jongeren", "Poster"),
        ("Aa later", D(2027, 7, 1), "Ouders", "Flyer")])
    _plan(session, towns["Gemeente Bee"], "Plan Bee", [
        ("Bee flyer ouders", D(2027, 3, 20), "ouders", "Flyer"),
        ("Bee radio", D(2027, 5, 2), "Inwoners", "Radio")])
    _plan(session, towns["Gemeente Cee"], "Plan Cee", [("Cee geheim", D(2027, 3, 6), "Ouders", "Flyer")])
    for email, organisation, role in (("coordinator@zuid.example", zuid, Role.COORDINATOR),
                                      ("coordinator@noord.example", noord, Role.COORDINATOR),
                                      ("advisor@aa.example", towns["Gemeente Aa"], Role.ADVISOR),
                                      ("advisor@cee.example", towns["Gemeente Cee"], Role.ADVISOR)):
        create_user(session, email, organisation, role, PASSWORD)
    session.commit()
    return {"zuid": zuid, "noord": noord, **towns}


def browser(app, email):
    client = app.test_client()
    log_in(client, email, PASSWORD)
    return client


def calendar_url(region, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/regions/{region.uuid}/calendar" + (f"?{query}" if query else "")


def test_regional_calendar_merges_the_plans_of_both_municipalities(regions, app):
    text = text_of(browser(app, "coordinator@zuid.example").get(calendar_url(regions["zuid"])))
    assert "Regionale kalender van Regio Zuid" in text
    for shown in ("Aa flyer ouders", "Aa poster jongeren", "Bee flyer ouders", "Bee radio", "Plan Aa", "Plan Bee",
                  "Gemeente Aa", "Gemeente Bee", "Moment van Gemeente Aa", "Flyer", "Radio", "Gepland"):
        assert shown in text, shown
    assert "Cee geheim" not in text
    assert "Aa later" not in text  # July: the page shows March to May


def test_regional_calendar_later_page_shows_the_next_months_and_earlier_leads_back(regions, app):
    client = browser(app, "coordinator@zuid.example")
    first = client.get(calendar_url(regions["zuid"], audience="Ouders")).get_data(as_text=True)
    later = unescape(re.search(r'<a href="([^"]+)">Later →', first).group(1))
    assert "from=2027-06-01" in later and "audience=Ouders" in later  # the filters go along
    text = text_of(client.get(later))
    assert "Aa later" in text and "Aa flyer ouders" not in text
    page = client.get(later).get_data(as_text=True)
    earlier = unescape(re.search(r'<a href="([^"]+)">← Eerder', page).group(1))
    assert "to=2027-05-31" in earlier
    text = text_of(client.get(earlier))
    assert "Aa flyer ouders" in text and "Bee flyer ouders" in text and "Aa later" not in text
    # the month chosen in the filters starts a page there
    assert "Aa later" in text_of(client.get(calendar_url(regions["zuid"], month="2027-07")))


def test_paging_through_a_crowded_region_skips_nothing_and_keeps_pages_short(session, app):
    """A region of thousands of activities: a page ends at PAGE_ENTRIES entries (a day is never split), and paging
    forwards or back shows every activity of every plan of the region."""
    from planner.domain.calendar import PAGE_ENTRIES
    from tests.factories import build_large_region

    region, plans = build_large_region(session, "Regio Vol", 250)
    create_user(session, "beheer@vol.example", find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, PASSWORD)
    session.commit()
    client = browser(app, "beheer@vol.example")

    def walk(url: str, link: str) -> list[str]:
        pages = []
        while url:
            html = client.get(unescape(url)).get_data(as_text=True)
            pages.append(html)
            found = re.search(r'<a href="([^"]+)">' + link, html)
            url = found.group(1) if found else None
            assert len(pages) < 50
        return pages

    # forwards from the start of the plans to the last page, back from there to the first, and forwards again
    last = walk(calendar_url(region, month="2027-01"), "Later →")[-1]
    backward = [last] + walk(re.search(r'<a href="([^"]+)">← Eerder', last).group(1), "← Eerder")
    forward = [backward[-1]] + walk(re.search(r'<a href="([^"]+)">Later →', backward[-1]).group(1), "Later →")
    assert len(forward) >= 4 and "Later →" not in forward[-1]

    def rows(page: str) -> list[str]:
        return re.findall(r'/activities/(\d+)/edit"', page)

    assert all(len(rows(page)) <= PAGE_ENTRIES for page in forward + backward)
    every = {str(a.id) for plan in plans for a in plan.activities}
    assert {r for page in forward for r in rows(page)} == every
    assert {r for page in backward for r in rows(page)} == every
    for page, following in zip(forward, forward[1:]):  # each page begins the day after the one before it ends
        ends = re.search(r'from=(\d{4}-\d\d-\d\d)', unescape(re.search(r'<a href="([^"]+)">Later →', page)[1]))[1]
        begins = re.search(r'to=(\d{4}-\d\d-\d\d)', unescape(re.search(r'<a href="([^"]+)">← Eerder', following)[1]))[1]
        assert dt.date.fromisoformat(ends) == dt.date.fromisoformat(begins) + dt.timedelta(days=1)


@pytest.mark.parametrize(("filters", "titles"), [
    ({"audience": "Ouders"}, {"Aa flyer ouders", "Bee flyer ouders"}),
    ({"channel": "Radio"}, {"Bee radio"}),
    ({"audience": "Ouders", "channel": "Poster"}, set()),
])
def test_regional_calendar_filters_narrow_to_exactly_the_matching_activities(regions, app, filters, titles):
    text = text_of(browser(app, "coordinator@zuid.example").get(calendar_url(regions["zuid"], **filters)))
    everything = {"Aa flyer ouders", "Aa poster jongeren", "Bee flyer ouders", "Bee radio"}
    assert {t for t in everything if t in text} == titles
    assert "Moment van" not in text  # moments have no audience or channel


def test_regional_calendar_municipality_filter_keeps_one_municipality(regions, app):
    text = text_of(browser(app, "coordinator@zuid.example").get(
        calendar_url(regions["zuid"], municipality=regions["Gemeente Bee"].uuid)))
    assert "Bee flyer ouders" in text and "Bee radio" in text and "Moment van Gemeente Bee" in text
    assert "Aa flyer ouders" not in text and "Moment van Gemeente Aa" not in text


def test_regional_calendar_of_an_advisor_shows_only_the_plans_they_may_read(regions, app):
    client = browser(app, "advisor@aa.example")
    assert "Regionale kalender" in text_of(client.get("/"))
    text = text_of(client.get("/regions/calendar", follow_redirects=True))
    assert "Aa flyer ouders" in text and "Bee flyer ouders" not in text
    assert "Kalenderfeed van de regio" not in text  # no feed links for a municipality's advisor


@pytest.mark.parametrize("email", ["coordinator@noord.example", "advisor@cee.example"])
def test_regional_calendar_of_another_region_is_not_found(regions, app, email):
    client = browser(app, email)
    response = client.get(calendar_url(regions["zuid"]))
    assert response.status_code == 404 and "Pagina niet gevonden" in text_of(response)
    assert "Aa flyer ouders" not in text_of(response)
    refused = client.post(f"/regions/{regions['zuid'].uuid}/feeds", data={
        "csrf_token": csrf_token(client, "/account"), "label": "Stiekem"})
    assert refused.status_code == 404 and "Pagina niet gevonden" in text_of(refused)


def events_of(response) -> dict:
    vobject.readOne(response.data.decode("utf-8"))  # the second, independent parser must accept it too
    return {str(e["UID"]): str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")}


def _create_feed(app, regions, **filters):
    client = browser(app, "coordinator@zuid.example")
    page = calendar_url(regions["zuid"], **filters)
    response = submit(client, f"/regions/{regions['zuid'].uuid}/feeds", {
        "label": "Regio in Outlook", "municipality": filters.get("municipality", ""),
        "audience": filters.get("audience", ""), "channel": filters.get("channel", "")}, page=page)
    assert "De link is gemaakt." in text_of(response)
    url = response.get_data(as_text=True).split('<code class="secret-link">')[1].split("</code>")[0]
    return client, "/feeds/" + url.split("/feeds/")[1]


def test_regional_feed_with_an_audience_filter_has_exactly_those_activities(regions, app, session):
    client, url = _create_feed(app, regions, audience="Ouders")
    found = events_of(client.get(url))
    activities = {a.title: a for a in session.scalars(sa.select(Activity))}
    expected = {"Aa flyer ouders", "Aa later", "Bee flyer ouders"}
    assert found == {feeds.feed_uid(activities[t]): t for t in expected}


def test_regional_feed_uses_the_uids_of_the_plan_feeds(regions, app, session):
    client, url = _create_feed(app, regions)
    regional = events_of(client.get(url))
    plan = session.scalar(sa.select(Activity).where(Activity.title == "Bee radio")).plan
    _, token = feeds.create_subscription(session, plan, "Plan", FeedScope.PLAN)
    session.commit()
    of_plan = events_of(client.get(f"/feeds/{token}.ics"))
    shared = set(of_plan) & set(regional)
    assert {of_plan[uid] for uid in shared} == {"Bee flyer ouders", "Bee radio", "Moment van Gemeente Bee"}
    assert "Cee geheim" not in regional.values()


def test_regional_feed_announces_a_deleted_activity_as_cancelled(regions, app, session):
    client, url = _create_feed(app, regions)
    activity = session.scalar(sa.select(Activity).where(Activity.title == "Bee radio"))
    uid = feeds.feed_uid(activity)
    assert events_of(client.get(url))[uid] == "Bee radio"
    session.delete(activity)
    session.commit()
    app.extensions["planner.feed_cache"].clear()
    assert events_of(client.get(url))[uid] == "Vervallen: Bee radio"


def test_regional_feed_revoked_and_rotated_links_stop_working(regions, app, session):
    client, url = _create_feed(app, regions)
    subscription = session.scalar(sa.select(Subscription).where(Subscription.scope == FeedScope.REGION))
    assert client.get(url).status_code == 200
    base = f"/regions/{regions['zuid'].uuid}/feeds/{subscription.uuid}"
    rotated = submit(client, f"{base}/rotate", {}, page=calendar_url(regions["zuid"]))
    assert "de vorige werkt niet meer" in text_of(rotated)
    assert client.get(url).status_code == 404
    new_url = "/feeds/" + rotated.get_data(as_text=True).split("/feeds/")[1].split("</code>")[0]
    assert "Bee radio" in events_of(client.get(new_url)).values()
    revoked = submit(client, f"{base}/revoke", {}, follow=True, page=calendar_url(regions["zuid"]))
    assert "De link “Regio in Outlook” werkt niet meer." in text_of(revoked)
    gone = client.get(new_url)
    assert gone.status_code == 404 and b"BEGIN:VCALENDAR" not in gone.data
    kinds = [e.kind.value for e in session.scalars(sa.select(SecurityEvent).order_by(SecurityEvent.id))]
    assert kinds[-2:] == ["feed_rotated", "feed_revoked"]


def test_regional_feed_with_an_unknown_municipality_is_refused_in_dutch(regions, app, session):
    client = browser(app, "coordinator@zuid.example")
    response = submit(client, f"/regions/{regions['zuid'].uuid}/feeds", {
        "label": "Fout", "municipality": str(regions["Gemeente Cee"].uuid), "audience": "", "channel": ""},
        page=calendar_url(regions["zuid"]))
    assert "Kies een gemeente van deze regio." in text_of(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(Subscription)) == 0


def test_regional_feed_filters_are_saved_as_given(regions, session):
    subscription, _ = region_feeds.create_subscription(session, regions["zuid"], "Zuid",
                                                       RegionFilters(regions["Gemeente Aa"].id, "Ouders", ""))
    assert RegionFilters.of(subscription.filters) == RegionFilters(regions["Gemeente Aa"].id, "Ouders", "")
    assert region_feeds.feed_name(session, subscription) == "Regio Zuid – Gemeente Aa, Ouders"


def test_a_regional_feed_after_an_edit_serializes_only_the_changed_event(regions, session):
    """Another worker rebuilds the region's feed from the build on disk: the unchanged events are taken from it."""
    from planner.domain.feed_builds import FeedBuild, build_feed

    subscription, _ = region_feeds.create_subscription(session, regions["zuid"], "Regio", RegionFilters())
    session.commit()
    today, base_url = D(2027, 3, 1), "https://planner.example.nl"
    built = build_feed(session, subscription, today, base_url)
    assert len(built.made) == len(built.events) == 7  # five activities and two moments
    before = FeedBuild.from_bytes(built.to_bytes(), built.body)  # as another worker reads it from disk
    session.scalar(sa.select(Activity).where(Activity.title == "Bee radio")).title = "Bee radio, gewijzigd"
    session.commit()
    after = build_feed(session, subscription, today, base_url, previous=before)
    assert len(after.made) == 1 and b"Bee radio\\, gewijzigd" in after.events[after.made[0]]
    assert after.body == build_feed(session, subscription, today, base_url).body  # as built from nothing


def test_a_region_without_plans_shows_an_empty_page_without_paging(session, app):
    region = find_or_create_organisation(session, "Regio Leeg", OrganisationKind.REGION)
    create_user(session, "coordinator@leeg.example", region, Role.COORDINATOR, PASSWORD)
    session.commit()
    response = browser(app, "coordinator@leeg.example").get(calendar_url(region, **{"from": "2027-02-01"}))
    assert response.status_code == 200
    text = text_of(response)
    assert "Niets gepland in deze maanden." in text and "Eerder" not in text and "Later" not in text
