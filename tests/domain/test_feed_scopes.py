"""Who sees what: the exact items of every feed scope, on a plan where every kind of item exists twice.

These are privacy properties: a partner must not see another partner's production deadlines, a person not
someone else's checklist, an audience not the (titled) tombstones of another audience's activities.
"""

import datetime as dt

import icalendar
import pytest
import vobject

from planner.domain import feeds
from planner.domain.calendar import Filters
from planner.domain.feed_builds import build_feed
from planner.domain.plans import create_plan, find_or_create_organisation
from planner.enums import (
    ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, FeedScope, MomentKind, OrganisationKind,
)
from planner.models import Activity, Audience, Channel, KeyMessage, Moment, Partner
from planner.models.feed import feed_uid
from tests.helpers import feed_items

D = dt.date
BASE = "https://planner.test"


@pytest.fixture
def world(session):
    """Two partners, two audiences, two owners; activities, production starts, moments, checklist items in every
    status, cancelled items and tombstones of deleted ones. Returns the plan, its rows by name, and the UID of
    every item a feed can show by its SUMMARY.

    The plan, partners and audiences have ids past 256, so that ids compared with `is` instead of `==` fail
    (CPython shares only the small ints); the intermediary's id lies between the other partners' ids, and a plan
    made before and one made after this one (lower and higher ids) each have a tombstone and a checklist item in
    the window that no feed of this plan shows."""
    owner = find_or_create_organisation(session, "Gemeente Scoop", OrganisationKind.MUNICIPALITY)

    def other_plan(title, plan_id):
        other = create_plan(session, title=title, owner=owner, starts_on=D(2026, 11, 1), ends_on=D(2027, 6, 30),
                            id=plan_id)
        other.activities.append(Activity(title=f"Geschrapt in {title}", starts_on=D(2027, 1, 20), exdates=[]))
        other.phases[0].items[0].owner_name, other.phases[0].items[0].due_on = "Anna de Vries", D(2026, 12, 15)
        session.flush()
        session.delete(other.activities[0])

    other_plan("Eerder plan", 899)
    plan = create_plan(session, title="Scopes", owner=owner, starts_on=D(2026, 11, 1), ends_on=D(2027, 6, 30), id=900)
    p1 = Partner(id=703, organisation=find_or_create_organisation(session, "Partner Een"), role="Afzender")
    p2 = Partner(id=702, organisation=find_or_create_organisation(session, "Partner Twee"), role="Afzender")
    p3 = Partner(id=700, organisation=find_or_create_organisation(session, "Partner Drie"), role="Verspreider")
    a1 = Audience(id=801, name="Doelgroep Een", category=AudienceCategory.GENERAL_PUBLIC)
    a2 = Audience(id=802, name="Doelgroep Twee", category=AudienceCategory.GENERAL_PUBLIC, intermediaries=[p2])
    poster = Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=5)
    plan.partners, plan.audiences, plan.channels = [p1, p2, p3], [a1, a2], [poster]

    def activity(title, sender, audience, owner_name, status=ActivityStatus.PLANNED, day=D(2027, 1, 20)):
        row = Activity(title=title, starts_on=day, sender=sender, audiences=[audience], owner_name=owner_name,
                       channel=poster, status=status, exdates=[])
        plan.activities.append(row)
        return row

    rows = {
        "een-a1": activity("Een aan Een", p1, a1, "Anna de Vries"),
        "twee-a1": activity("Twee aan Een", p2, a1, "Bram Bos"),
        "geen-a2": activity("Niemand aan Twee", None, a2, "ANNA DE VRIES "),  # the owner in other case and spacing
        "een-a2-cancelled": activity("Een aan Twee vervallen", p1, a2, "Bram Bos", ActivityStatus.CANCELLED),
        "twee-a1-done": activity("Twee aan Een gedaan", p2, a1, "Anna de Vries", ActivityStatus.DONE,
                                 day=D(2026, 11, 20)),
        "twee-a2-deleted": activity("Twee aan Twee geschrapt", p2, a2, "Anna de Vries"),
        "een-a1-deleted": activity("Een aan Een geschrapt", p1, a1, "Bram Bos"),
        # Partner Twee passes this one on: it sees its tombstone, not the tombstone of its production start
        "een-a2-deleted": activity("Een aan Twee geschrapt", p1, a2, "Bram Bos"),
        # without owner or sender: only the plan and its audience see it go (an empty name matches no person)
        "niemand-a1-deleted": activity("Zonder eigenaar geschrapt", None, a1, ""),
    }
    plan.moments = [Moment(name="Startmoment", kind=MomentKind.CAMPAIGN, starts_on=D(2027, 1, 11)),
                    Moment(name="Geschrapt moment", kind=MomentKind.CAMPAIGN, starts_on=D(2027, 2, 1))]
    items = plan.phases[0].items
    for item, (owner_name, status) in zip(items, [("Anna de Vries", ChecklistStatus.OPEN),
                                                  ("bram bos", ChecklistStatus.DONE),
                                                  ("anna de vries", ChecklistStatus.NOT_APPLICABLE),
                                                  ("Bram Bos", ChecklistStatus.OPEN),
                                                  ("Anna de Vries", ChecklistStatus.IN_PROGRESS),
                                                  ("", ChecklistStatus.OPEN)]):
        item.owner_name, item.status, item.due_on = owner_name, status, D(2026, 12, 15)
    # in the next phase an item with a date after one without (a check that stopped at the first would miss it),
    # and a deleted one whose owner's name sorts after everyone else's
    shown, gone = plan.phases[1].items[1:3]
    shown.due_on, gone.due_on, gone.owner_name = D(2026, 12, 16), D(2026, 12, 16), "Zeger Zwart"
    items = [*items[:6], shown, gone]
    session.flush()
    uids = {}
    for key, row in rows.items():
        uids[row.title] = feed_uid(row)
        if row.status != ActivityStatus.DONE:
            uids[f"Start van de productie: {row.title}"] = feed_uid(row, "-productie")
    for moment in plan.moments:
        uids[moment.name] = feed_uid(moment)
    for item in items:
        uids[f"Checklist: {item.title}"] = feed_uid(item)
    deleted_items = [items[4], items[5], items[7]]
    session.delete(rows.pop("twee-a2-deleted"))
    session.delete(rows.pop("een-a1-deleted"))
    session.delete(rows.pop("een-a2-deleted"))
    session.delete(rows.pop("niemand-a1-deleted"))
    other_plan("Later plan", 901)
    session.delete(plan.moments[1])
    for item in deleted_items:
        session.delete(item)
    session.commit()
    session.expire_all()  # as in the next request: the plan's collections are read again without the deleted rows
    return plan, rows, items, uids, {p.name: p for p in (p1, p2, p3)} | {a1.name: a1, a2.name: a2, "poster": poster}


def feed(session, plan, scope, **kwargs):
    """The feed's events as {SUMMARY: UID}, read by icalendar and accepted by vobject."""
    subscription, _ = feeds.create_subscription(session, plan, "Test", scope, **kwargs)
    session.commit()
    session.expire_all()  # fetched later, as a calendar client does: every row (and id) is read again
    body = build_feed(session, subscription, D(2026, 11, 29), BASE).body
    vobject.readOne(body.decode("utf-8"))
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    found = {str(e["SUMMARY"]): str(e["UID"]) for e in events}
    assert len(found) == len(events), "no SUMMARY twice in one feed"
    return found


def expected(uids, names):
    return {name: uids[name.removeprefix("Vervallen: ")] for name in names}


def activity_with_production(title, cancelled=False):
    prefix = "Vervallen: " if cancelled else ""
    return {f"{prefix}{title}", f"{prefix}Start van de productie: {title}"}


def test_plan_feed_shows_every_item_of_the_plan(session, world):
    plan, rows, items, uids, named = world
    found = feed(session, plan, FeedScope.PLAN)
    assert found == expected(uids, {
        *activity_with_production("Een aan Een"), *activity_with_production("Twee aan Een"),
        *activity_with_production("Niemand aan Twee"), *activity_with_production("Een aan Twee vervallen", True),
        "Twee aan Een gedaan",
        *activity_with_production("Twee aan Twee geschrapt", True), *activity_with_production("Een aan Een geschrapt", True),
        *activity_with_production("Een aan Twee geschrapt", True),
        *activity_with_production("Zonder eigenaar geschrapt", True),
        "Startmoment", "Vervallen: Geschrapt moment",
        f"Checklist: {items[0].title}", f"Checklist: {items[1].title}", f"Vervallen: Checklist: {items[2].title}",
        f"Checklist: {items[3].title}", f"Vervallen: Checklist: {items[4].title}",
        f"Vervallen: Checklist: {items[5].title}", f"Checklist: {items[6].title}",
        f"Vervallen: Checklist: {items[7].title}",
    })


def test_partner_feed_shows_what_it_sends_or_passes_on_and_only_its_own_production(session, world):
    plan, rows, items, uids, named = world
    found = feed(session, plan, FeedScope.PARTNER, partner=named["Partner Een"])
    assert found == expected(uids, {
        *activity_with_production("Een aan Een"), *activity_with_production("Een aan Twee vervallen", True),
        *activity_with_production("Een aan Een geschrapt", True), *activity_with_production("Een aan Twee geschrapt", True),
        "Startmoment", "Vervallen: Geschrapt moment",
    })
    # Partner Twee passes on to Doelgroep Twee: it sees those activities, but not their production starts
    found = feed(session, plan, FeedScope.PARTNER, partner=named["Partner Twee"])
    assert found == expected(uids, {
        *activity_with_production("Twee aan Een"), "Twee aan Een gedaan",
        *activity_with_production("Twee aan Twee geschrapt", True),
        "Niemand aan Twee", "Vervallen: Een aan Twee vervallen", "Vervallen: Een aan Twee geschrapt",
        "Startmoment", "Vervallen: Geschrapt moment",
    })
    # Partner Drie sends nothing and passes nothing on (its id lies below the intermediary's, Een's above)
    found = feed(session, plan, FeedScope.PARTNER, partner=named["Partner Drie"])
    assert found == expected(uids, {"Startmoment", "Vervallen: Geschrapt moment"})


def test_audience_feed_shows_only_its_activities_and_their_tombstones(session, world):
    plan, rows, items, uids, named = world
    found = feed(session, plan, FeedScope.AUDIENCE, audience=named["Doelgroep Een"])
    assert found == expected(uids, {"Een aan Een", "Twee aan Een", "Twee aan Een gedaan",
                                    "Vervallen: Een aan Een geschrapt", "Vervallen: Zonder eigenaar geschrapt"})
    found = feed(session, plan, FeedScope.AUDIENCE, audience=named["Doelgroep Twee"])
    assert found == expected(uids, {"Niemand aan Twee", "Vervallen: Een aan Twee vervallen",
                                    "Vervallen: Twee aan Twee geschrapt", "Vervallen: Een aan Twee geschrapt"})


@pytest.mark.parametrize("person", ["Anna de Vries", "anna DE vries"])
def test_person_feed_shows_only_what_the_person_owns_whatever_the_case(session, world, person):
    plan, rows, items, uids, named = world
    found = feed(session, plan, FeedScope.PERSON, person=person)
    assert found == expected(uids, {
        *activity_with_production("Een aan Een"), *activity_with_production("Niemand aan Twee"),
        "Twee aan Een gedaan", *activity_with_production("Twee aan Twee geschrapt", True),
        f"Checklist: {items[0].title}", f"Vervallen: Checklist: {items[2].title}",
        f"Vervallen: Checklist: {items[4].title}",
    })


def test_person_feed_of_the_other_owner(session, world):
    plan, rows, items, uids, named = world
    found = feed(session, plan, FeedScope.PERSON, person="BRAM BOS")
    assert found == expected(uids, {
        *activity_with_production("Twee aan Een"), *activity_with_production("Een aan Twee vervallen", True),
        *activity_with_production("Een aan Een geschrapt", True), *activity_with_production("Een aan Twee geschrapt", True),
        f"Checklist: {items[1].title}", f"Checklist: {items[3].title}",
    })


def test_filter_feed_shows_matching_activities_without_moments_checklist_or_tombstones(session, world):
    plan, rows, items, uids, named = world
    found = feed(session, plan, FeedScope.FILTER, filters=Filters(audience_id=named["Doelgroep Een"].id))
    assert found == expected(uids, {*activity_with_production("Een aan Een"),
                                    *activity_with_production("Twee aan Een"), "Twee aan Een gedaan"})
    found = feed(session, plan, FeedScope.FILTER,
                 filters=Filters(partner_id=named["Partner Een"].id, status=ActivityStatus.CANCELLED.value))
    assert found == expected(uids, activity_with_production("Een aan Twee vervallen", True))
    subscription, _ = feeds.create_subscription(session, plan, "Naam", FeedScope.FILTER, filters=Filters(
        audience_id=named["Doelgroep Een"].id, partner_id=named["Partner Een"].id))
    session.commit()
    session.expire_all()
    assert feeds.feed_name(subscription) == "Scopes – Doelgroep Een, Partner Een"


def test_checklist_items_are_tentative_until_done_and_cancelled_when_not_applicable(session, world):
    plan, rows, items, uids, named = world
    items[3].status = ChecklistStatus.IN_PROGRESS
    session.commit()
    subscription, _ = feeds.create_subscription(session, plan, "Test", FeedScope.PLAN)
    body = build_feed(session, subscription, D(2026, 11, 29), BASE).body
    status = {str(e["UID"]): str(e["STATUS"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert [status[feed_uid(item)] for item in items[:4]] == ["TENTATIVE", "CONFIRMED", "CANCELLED", "TENTATIVE"]
    assert status[feed_uid(rows["een-a1"])] == "CONFIRMED"
    assert status[feed_uid(rows["een-a2-cancelled"])] == "CANCELLED"


def test_an_event_describes_its_message_sender_audiences_channel_and_plan_and_leaves_out_what_it_lacks(session):
    owner = find_or_create_organisation(session, "Gemeente Omschrijving", OrganisationKind.MUNICIPALITY)
    plan = create_plan(session, title="Omschrijving", owner=owner, starts_on=D(2026, 11, 1), ends_on=D(2027, 6, 30))
    partner = Partner(organisation=find_or_create_organisation(session, "Partner Een"), role="Afzender")
    audiences = [Audience(name=name, category=AudienceCategory.GENERAL_PUBLIC) for name in ("Ouders", "Scholen")]
    message = KeyMessage(audience=audiences[0], title="Praat erover", body="Bel Veilig Thuis.")
    web = Channel(name="Website", kind=ChannelKind.EMAIL_WEBSITE, lead_time_days=0)
    plan.partners, plan.audiences, plan.messages, plan.channels = [partner], audiences, [message], [web]
    plan.activities = [
        Activity(title="Alles", starts_on=D(2027, 1, 20), sender=partner, audiences=audiences, message=message,
                 channel=web, description="Met de scholen samen.", exdates=[]),
        Activity(title="Kaal", starts_on=D(2027, 1, 21), exdates=[]),
    ]
    session.commit()
    described = {item.summary: item.description.split("\n") for item in feed_items(
        session, plan, feeds.Scope(FeedScope.PLAN), D(2026, 11, 29), BASE) if item.summary in ("Alles", "Kaal")}
    link = f"{BASE}/plans/{plan.slug}/calendar"
    assert described == {
        "Alles": ["Kernboodschap: Praat erover", "Bel Veilig Thuis.", "", "Met de scholen samen.", "",
                  "Afzender: Partner Een", "Doelgroepen: Ouders, Scholen", "Middel: Website",
                  f"Plan: Omschrijving – {link}"],
        "Kaal": ["Afzender: Gemeente Omschrijving", f"Plan: Omschrijving – {link}"],
    }
    partner_feed = feed_items(session, plan, feeds.Scope(FeedScope.PARTNER, partner_id=partner.id),
                                    D(2026, 11, 29), BASE)
    assert partner_feed[0].description.split("\n")[-1] == "Plan: Omschrijving"  # no link to a page behind a login
