"""Small plans built with the domain functions, for tests that must not depend on the demo data."""

from __future__ import annotations

import datetime as dt

from planner.domain.plans import create_plan, find_or_create_organisation
from planner.enums import AudienceCategory, MomentKind, ObservationKind, OrganisationKind
from planner.models import Activity, Audience, Decision, Embargo, Moment, Observation, Plan

D = dt.date


def build_plan(session, title: str = "Datumvenster 2027", starts_on: dt.date = D(2027, 1, 4),
               ends_on: dt.date = D(2027, 12, 17)) -> Plan:
    """A plan with one of each dated row (moment, embargo, repeating activity, decision, observation); flushed."""
    owner = find_or_create_organisation(session, "Gemeente Datumdorp", OrganisationKind.MUNICIPALITY)
    plan = create_plan(session, title=title, owner=owner, starts_on=starts_on, ends_on=ends_on)
    audience = Audience(plan=plan, name="Inwoners", category=AudienceCategory.GENERAL_PUBLIC)
    moment = Moment(plan=plan, name="Week van de buurt", kind=MomentKind.CAMPAIGN, starts_on=D(2027, 3, 1),
                    ends_on=D(2027, 3, 7))
    activity = Activity(plan=plan, title="Wekelijkse post", starts_on=D(2027, 3, 2),
                        recurrence="FREQ=WEEKLY;UNTIL=20270330", exdates=["2027-03-09"], audiences=[audience])
    session.add_all([
        audience, moment, activity,
        Embargo(plan=plan, audience=audience, not_before=D(2027, 2, 1), not_after=D(2027, 11, 30)),
        Decision(plan=plan, title="Akkoord college", decided_on=D(2027, 1, 19)),
        Observation(plan=plan, activity=activity, observed_on=D(2027, 3, 20), kind=ObservationKind.REACH,
                    text="Goed bereik"),
    ])
    plan.phases[0].items[0].due_on = D(2027, 2, 15)
    session.flush()
    return plan


def build_large_plan(session, activities: int, title: str = "Groot plan", seed: int = 7) -> Plan:
    """A plan of `activities` activities with every kind of row the pages, feeds and checks look at: audiences
    with embargoes and messages, channels with lead times, partners with contact persons, moments, activities
    that are anchored, repeat, run several days, are cancelled or done, observations, decisions; flushed.

    The sizes of everything but the activities are fixed, so that statement counts can be compared between
    two sizes of one plan."""
    import random

    from planner.domain.anchoring import apply_anchor
    from planner.enums import ActivityStatus, ChannelKind, MomentEdge, OffsetUnit
    from planner.models import Channel, ContactPerson, KeyMessage, Partner

    rng = random.Random(seed)
    owner = find_or_create_organisation(session, "Gemeente Grootdorp", OrganisationKind.MUNICIPALITY)
    start = D(2027, 1, 4)
    plan = create_plan(session, title=title, owner=owner, starts_on=start, ends_on=D(2027, 12, 17))
    plan.audiences = [Audience(name=f"Doelgroep {n}", category=AudienceCategory.GENERAL_PUBLIC) for n in range(12)]
    plan.messages = [KeyMessage(audience=a, title=f"Boodschap voor {a.name}", body="Tekst") for a in plan.audiences]
    plan.channels = [Channel(name=f"Middel {n}", kind=ChannelKind.POSTER, lead_time_days=n * 2) for n in range(8)]
    plan.partners = [Partner(organisation=find_or_create_organisation(session, f"Partner {n}"), role="Verspreidt")
                     for n in range(6)]
    for partner in plan.partners:
        session.add(ContactPerson(partner=partner, name=f"Contact {partner.organisation.name}",
                                  email="contact@partner.example"))
    plan.moments = [Moment(name=f"Moment {n}", kind=MomentKind.CAMPAIGN, starts_on=start + dt.timedelta(days=n * 25),
                           ends_on=start + dt.timedelta(days=n * 25 + 6)) for n in range(12)]
    plan.embargoes = [Embargo(audience=a, not_before=start + dt.timedelta(days=10)) for a in plan.audiences[:4]]
    statuses = [ActivityStatus.PLANNED] * 6 + [ActivityStatus.DONE, ActivityStatus.CANCELLED]
    for n in range(activities):
        activity = Activity(
            title=f"Activiteit {n}", starts_on=start + dt.timedelta(days=rng.randint(0, 340)),
            audiences=rng.sample(plan.audiences, 2), channel=plan.channels[n % 8] if n % 3 else None,
            sender=plan.partners[n % 6] if n % 4 == 0 else None, message=plan.messages[n % 12],
            status=statuses[n % 8], owner_name=f"Eigenaar {n % 5}",
            ends_on=None, recurrence="FREQ=WEEKLY;COUNT=4" if n % 25 == 0 else "", exdates=[])
        if n % 7 == 0:
            activity.ends_on = activity.starts_on + dt.timedelta(days=4)
        plan.activities.append(activity)  # in the session before anchoring, which may autoflush
        if n % 10 == 0:
            activity.anchor_moment = plan.moments[n % 12]
            activity.anchor_offset, activity.anchor_unit = -(n % 9), OffsetUnit.WORKING_DAYS
            activity.anchor_edge = MomentEdge.START
            apply_anchor(activity)
    session.add_all([Decision(plan=plan, title="Akkoord college", decided_on=D(2027, 1, 19)),
                     Observation(plan=plan, activity=plan.activities[0], observed_on=D(2027, 3, 20),
                                 kind=ObservationKind.REACH, text="Goed bereik")])
    session.flush()
    return plan
