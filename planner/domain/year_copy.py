"""Next year's plan: a copy re-anchored to next year's moments, other dates shifted by whole weeks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from planner.domain.anchoring import apply_anchor, apply_due_anchor, observance_dates
from planner.domain.observances import ObservanceDef
from planner.domain.plans import unique_slug
from planner.domain.recurrence import shifted
from planner.enums import ActivityStatus, ChecklistStatus, DecisionStatus, PhaseKey, PlanStatus
from planner.models import (
    Activity, Audience, Channel, ChecklistItem, ContactPerson, Decision, Embargo, KeyMessage, MessageTranslation,
    Moment, Partner, Phase, Plan,
)


def week_shift(plan: Plan, year: int) -> dt.timedelta:
    """Whole weeks that bring the plan's start nearest to the same date in `year` (weekdays stay)."""
    try:
        target = plan.starts_on.replace(year=plan.starts_on.year + (year - plan.starts_on.year))
    except ValueError:  # 29 February
        target = plan.starts_on.replace(day=28, year=year)
    return dt.timedelta(weeks=round((target - plan.starts_on).days / 7))


def next_title(title: str, source_year: int, year: int) -> str:
    if str(source_year) in title:
        return title.replace(str(source_year), str(year))
    return f"{title} {year}"


def _regional_link(row) -> dict:
    """The link of a row taken over from the regional plan: the copy follows the same regional row."""
    return {"source_uuid": row.source_uuid, "source_accepted_at": row.source_accepted_at, "overridden": row.overridden}


def copy_to_year(session: Session, plan: Plan, year: int, definitions: dict[str, ObservanceDef],
                 holidays=()) -> Plan:
    """Create next year's plan from `plan`; statuses reset, observations stay behind."""
    shift = week_shift(plan, year)
    years_on = year - plan.starts_on.year

    def move(day: dt.date | None) -> dt.date | None:
        return day + shift if day is not None else None

    title = next_title(plan.title, plan.starts_on.year, year)[:200]
    # The slug first: its query flushes, and a plan already in its parent's children but not yet in the
    # session would make that flush warn (and skip it).
    slug = unique_slug(session, title)
    copy = Plan(
        title=title, slug=slug, owner=plan.owner, theme=plan.theme,
        starts_on=move(plan.starts_on), ends_on=move(plan.ends_on), status=PlanStatus.DRAFT,
        phase=PhaseKey.INITIATIVE, introduction=plan.introduction, goal=plan.goal, strategy=plan.strategy,
        budget=plan.budget, parent=plan.parent, predecessor=plan, checklist_template=plan.checklist_template,
    )
    session.add(copy)

    partners = {}
    for partner in plan.partners:
        partners[partner.id] = Partner(organisation=partner.organisation, role=partner.role, contacts=[
            ContactPerson(name=c.name, function=c.function, email=c.email, phone=c.phone) for c in partner.contacts])
    copy.partners = list(partners.values())
    audiences = {}
    for a in plan.audiences:
        audiences[a.id] = Audience(
            name=a.name, category=a.category, description=a.description, interest=a.interest, influence=a.influence,
            intensity=a.intensity, languages=list(a.languages or []), in_education=a.in_education,
            intermediaries=[partners[p.id] for p in a.intermediaries], **_regional_link(a))
    copy.audiences = list(audiences.values())
    messages = {}
    for m in plan.messages:
        messages[m.id] = KeyMessage(audience=audiences[m.audience_id], title=m.title, body=m.body, translations=[
            MessageTranslation(language=t.language, body=t.body) for t in m.translations], **_regional_link(m))
    copy.messages = list(messages.values())
    channels = {c.id: Channel(name=c.name, kind=c.kind, lead_time_days=c.lead_time_days, cost=c.cost, notes=c.notes,
                              **_regional_link(c)) for c in plan.channels}
    copy.channels = list(channels.values())

    moments = {}
    for moment in plan.moments:
        new = Moment(name=moment.name, kind=moment.kind, description=moment.description,
                     observance_key=moment.observance_key, starts_on=move(moment.starts_on), ends_on=move(moment.ends_on))
        dates = observance_dates(moment, years_on, definitions, holidays)
        if dates:
            new.starts_on, new.ends_on = dates
        moments[moment.id] = new
    copy.moments = list(moments.values())

    for a in plan.activities:
        recurrence, exdates = shifted(a.recurrence, a.exdates, shift)
        activity = Activity(
            title=a.title, description=a.description, notes=a.notes, starts_on=move(a.starts_on),
            ends_on=move(a.ends_on), start_time=a.start_time, end_time=a.end_time,
            channel=channels.get(a.channel_id), sender=partners.get(a.sender_id), message=messages.get(a.message_id),
            audiences=[audiences[x.id] for x in a.audiences], reach=a.reach, level=a.level,
            status=ActivityStatus.PLANNED, owner_name=a.owner_name,
            recurrence=recurrence, exdates=exdates,
            anchor_moment=moments.get(a.anchor_moment_id), anchor_offset=a.anchor_offset,
            anchor_unit=a.anchor_unit, anchor_edge=a.anchor_edge, **_regional_link(a),
        )
        apply_anchor(activity)
        copy.activities.append(activity)

    copy.embargoes = [Embargo(audience=audiences[e.audience_id], not_before=move(e.not_before),
                              not_after=move(e.not_after), reason=e.reason,
                              not_before_moment=moments.get(e.not_before_moment_id),
                              not_after_moment=moments.get(e.not_after_moment_id)) for e in plan.embargoes]
    copy.decisions = [Decision(title=d.title, kind=d.kind, decided_on=move(d.decided_on), participants=d.participants,
                               status=DecisionStatus.PLANNED) for d in plan.decisions]
    for phase in plan.phases:
        new_phase = Phase(key=phase.key, position=phase.position, name=phase.name, goal=phase.goal, result=phase.result)
        for item in phase.items:
            new_item = ChecklistItem(position=item.position, title=item.title, status=ChecklistStatus.OPEN,
                                     owner_name=item.owner_name, due_on=move(item.due_on),
                                     due_moment=moments.get(item.due_moment_id), due_offset=item.due_offset,
                                     due_unit=item.due_unit)
            apply_due_anchor(new_item)
            new_phase.items.append(new_item)
        copy.phases.append(new_phase)
    session.flush()
    return copy
