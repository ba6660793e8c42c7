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
