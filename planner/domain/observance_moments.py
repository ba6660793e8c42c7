"""Moments that follow a catalogue observance: dated in the plan's period, and offered when the plan names one."""

from __future__ import annotations

import datetime as dt

from planner.domain.observances import ObservanceDef, dates_for
from planner.enums import AudienceCategory, MomentKind
from planner.i18n import gettext as _
from planner.models import Embargo, Moment, Plan


def dates_in_plan(plan: Plan, definition: ObservanceDef, holidays=(), within: bool = True
                  ) -> tuple[dt.date, dt.date | None] | None:
    """The first dates of the observance in the plan's years that end on or after its start (end None for a single
    day); with `within`, only dates that also start before the plan ends."""
    for year in range(plan.starts_on.year, plan.ends_on.year + 1):
        dates = dates_for(definition, year, holidays)
        if dates and dates[1] >= plan.starts_on and (not within or dates[0] <= plan.ends_on):
            return dates[0], (dates[1] if dates[1] != dates[0] else None)
    return None


def named_observances(plan: Plan, definitions, holidays=()) -> list[ObservanceDef]:
    """The observances whose name the plan's title or theme contains and that the plan has no moment for yet."""
    text = f"{plan.title} {plan.theme or ''}".casefold()
    followed = {moment.observance_key for moment in plan.moments if moment.observance_key}
    return [definition for definition in definitions
            if definition.key not in followed and definition.name.casefold() in text
            and dates_in_plan(plan, definition, holidays) is not None]


def add_observance_moment(plan: Plan, definition: ObservanceDef, holidays=()) -> tuple[Moment, list[Embargo]]:
    """Add the observance as a moment, and the usual embargo: the general public not before it starts.

    Raises ValueError when the observance has no dates in the plan's period."""
    dates = dates_in_plan(plan, definition, holidays)
    if dates is None:
        raise ValueError(f"{definition.key} has no dates in the plan's period")
    moment = Moment(name=definition.name, kind=MomentKind.OBSERVANCE, starts_on=dates[0], ends_on=dates[1],
                    observance_key=definition.key)
    plan.moments.append(moment)
    embargoes = [Embargo(audience=audience, not_before_moment=moment,
                         reason=_("The general public hears of it when %(moment)s starts; earlier is not effective.",
                                  moment=definition.name))
                 for audience in plan.audiences if audience.category == AudienceCategory.GENERAL_PUBLIC]
    plan.embargoes.extend(embargoes)
    return moment, embargoes
