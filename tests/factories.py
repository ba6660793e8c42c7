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


def build_large_region(session, name: str, activities: int) -> tuple:
    """A region of two municipalities with a generated plan of `activities` activities each (see
    `build_large_plan`); returns the region and the plans."""
    region = find_or_create_organisation(session, name, OrganisationKind.REGION)
    plans = []
    for n, municipality in enumerate(("Gemeente Een", "Gemeente Twee")):
        plan = build_large_plan(session, activities, title=f"Plan {municipality}", seed=n)
        plan.owner = find_or_create_organisation(session, municipality, OrganisationKind.MUNICIPALITY)
        plan.owner.region = region
        plans.append(plan)
    session.flush()
    return region, plans


def build_maximal_plan(session) -> tuple[Plan, Plan]:
    """A regional plan and a local plan under it that together use every feature; committed.

    The local plan holds embargoes by date and by moment, a repeating activity with UNTIL and skipped dates, an
    anchored activity, translations and earlier versions of a core message, decisions, observations, checklist items
    due relative to a moment, a snapshot (it passed a gate) and rows linked to the regional plan."""
    from planner.domain import gates
    from planner.domain.plans import add_partner, revise_message
    from planner.domain.regional import create_local_plan
    from planner.enums import (
        ActivityStatus, ChannelKind, ChecklistStatus, DecisionKind, Intensity, Level, MomentEdge, OffsetUnit,
        PhaseKey, PlanStatus, Reach, SchoolRegion,
    )
    from planner.models import Channel, ContactPerson, KeyMessage, MessageTranslation

    region = find_or_create_organisation(session, "Regio Maximaal", OrganisationKind.REGION)
    regional = create_plan(session, title="Maximaal regionaal 2026", owner=region, starts_on=D(2026, 9, 7),
                           ends_on=D(2027, 3, 26), goal="Iedereen weet waar hij terechtkan.")
    pupils = Audience(name="Leerlingen", category=AudienceCategory.SPECIFIC_GROUP, in_education=True,
                      intensity=Intensity.CONSULT, interest=4, influence=2, languages=["ar", "tr"])
    public = Audience(name="Inwoners", category=AudienceCategory.GENERAL_PUBLIC, interest=2, influence=1)
    regional.audiences = [pupils, public]
    regional.messages = [KeyMessage(audience=pupils, title="Praat erover", body="Je mag het altijd vertellen."),
                         KeyMessage(audience=public, title="Bel Veilig Thuis", body="Bel 0800-2000.")]
    regional.channels = [Channel(name="Poster", kind=ChannelKind.POSTER, lead_time_days=10, cost=250),
                         Channel(name="Website", kind=ChannelKind.EMAIL_WEBSITE, lead_time_days=0)]
    regional.activities = [Activity(title="Regionale campagnestart", starts_on=D(2026, 11, 16), level=Level.REGIONAL,
                                    audiences=[public], channel=regional.channels[0], message=regional.messages[1],
                                    exdates=[])]
    session.flush()
    municipality = find_or_create_organisation(session, "Gemeente Maximaal", OrganisationKind.MUNICIPALITY)
    municipality.school_region = SchoolRegion.MIDDLE
    local = create_local_plan(session, regional, municipality, "Maximaal lokaal 2026")
    local.contact_name, local.contact_email = "Mia Maximaal", "mia@maximaal.example"
    school = add_partner(session, local, "Basisschool De Linde", "Verspreidt via ouderapp")
    ggd = add_partner(session, local, "GGD Maximaal", "Afzender")
    school.contacts.append(ContactPerson(name="Juf Ans", email="ans@linde.example", phone="0301234567"))
    l_public, l_pupils = sorted(local.audiences, key=lambda a: a.name)  # Inwoners, Leerlingen
    l_pupils.intermediaries = [school]
    l_pupils.overridden = True  # the local advisor kept the local version of one regional row
    message = next(m for m in local.messages if m.audience is l_pupils)
    revise_message(message, "Praat erover met iemand", "Je mag het altijd aan iemand vertellen.")
    message.translations = [MessageTranslation(language="ar", body="يمكنك دائمًا أن تخبر أحدًا."),
                            MessageTranslation(language="tr", body="Bunu her zaman birine anlatabilirsin.")]
    week = Moment(plan=local, name="Week tegen Kindermishandeling", kind=MomentKind.OBSERVANCE,
                  observance_key="week-tegen-kindermishandeling", starts_on=D(2026, 11, 16), ends_on=D(2026, 11, 22))
    council = Moment(plan=local, name="Raadsvergadering", kind=MomentKind.MEETING, starts_on=D(2026, 10, 8))
    session.add_all([week, council])
    poster, website = sorted(local.channels, key=lambda c: c.name)
    session.add_all([
        Embargo(plan=local, audience=l_public, not_before_moment=week, not_after=D(2027, 3, 1),
                reason="Inwoners pas met de landelijke campagne"),
        Embargo(plan=local, audience=l_pupils, not_before=D(2026, 10, 1), not_after_moment=week, reason="Alleen rond de week"),
    ])
    weekly = Activity(plan=local, title="Wekelijkse les", starts_on=D(2026, 10, 13), audiences=[l_pupils],
                      recurrence="FREQ=WEEKLY;UNTIL=20261124", exdates=["2026-10-20", "2026-10-27"],
                      sender=school, channel=website, message=message, owner_name="Juf Ans", reach=Reach.EXTERNAL,
                      start_time=dt.time(9, 30), end_time=dt.time(10, 15))
    anchored = Activity(plan=local, title="Persbericht bij de start van de week", starts_on=D(2026, 11, 16),
                        audiences=[l_public], channel=poster, sender=ggd, anchor_moment=week, anchor_offset=-2,
                        anchor_unit=OffsetUnit.WORKING_DAYS, anchor_edge=MomentEdge.START, exdates=[],
                        owner_name="Mia Maximaal")
    from planner.domain.anchoring import apply_anchor

    session.add_all([weekly, anchored])
    apply_anchor(anchored)
    done = Activity(plan=local, title="Startoverleg met scholen", starts_on=D(2026, 9, 15), ends_on=D(2026, 9, 16),
                    audiences=[l_pupils], status=ActivityStatus.DONE, reach=Reach.INTERNAL, exdates=[],
                    notes="Intern: budget nog bespreken")
    session.add(done)
    session.add_all([
        Decision(plan=local, title="Akkoord wethouder", kind=DecisionKind.ALIGNMENT, decided_on=D(2026, 9, 22),
                 participants="Wethouder, communicatie"),
        Observation(plan=local, activity=done, observed_on=D(2026, 9, 17), kind=ObservationKind.REACTION,
                    text="Scholen willen een lesbrief.", count=12),
    ])
    item = local.phases[2].items[0]
    item.due_moment, item.due_offset, item.due_unit = week, -5, OffsetUnit.WORKING_DAYS
    from planner.domain.anchoring import apply_due_anchor

    apply_due_anchor(item)
    local.phases[0].items[0].status = ChecklistStatus.DONE
    local.phases[0].items[1].status, local.phases[0].items[1].note = ChecklistStatus.NOT_APPLICABLE, "Geen pers"
    local.phases[0].items[2].owner_name, local.phases[0].items[2].due_on = "Mia Maximaal", D(2026, 10, 2)
    session.flush()
    gates.move_plan(session, local, PlanStatus.AWAITING_APPROVAL, PhaseKey.PREPARATION, "Mia Maximaal",
                    "Ter vaststelling aangeboden", D(2026, 10, 5))
    session.commit()
    return regional, local
