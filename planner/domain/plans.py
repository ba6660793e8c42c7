"""Create, find and change plans and the organisations they belong to."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from planner.domain.checklists import DEFAULT_TEMPLATE, apply_template, get_template
from planner.enums import OrganisationKind
from planner.models import (
    Activity, Audience, KeyMessage, MessageVersion, Organisation, Partner, Plan, activity_audiences,
)

MAX_SLUG_LENGTH = 120


def slug_for(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """The URL form of `text`: lower-case ASCII words joined by hyphens, the one rule for every plan slug."""
    return slugify(text, max_length=max_length, word_boundary=True)


def is_valid_slug(slug) -> bool:
    """Whether `slug` is one the planner could have made (an imported document may hold anything)."""
    return isinstance(slug, str) and slug != "" and slug_for(slug) == slug


def unique_slug(session: Session, title: str, exclude_plan_id: int | None = None) -> str:
    """Return a readable URL slug for `title` that no other plan uses."""
    base = slug_for(title, MAX_SLUG_LENGTH - 4) or "plan"
    query = sa.select(Plan.slug).where(Plan.slug.like(f"{base}%"))
    if exclude_plan_id is not None:
        query = query.where(Plan.id != exclude_plan_id)
    taken = set(session.scalars(query))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def find_or_create_organisation(
    session: Session, name: str, kind: OrganisationKind = OrganisationKind.PARTNER
) -> Organisation:
    """Return the organisation called `name` (case-insensitive), creating it if needed."""
    name = " ".join(name.split())
    found = session.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.lower()))
    if found is None:
        found = Organisation(name=name, kind=kind)
        session.add(found)
        session.flush()
    return found


def create_plan(
    session: Session,
    *,
    title: str,
    owner: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    checklist_template: str = DEFAULT_TEMPLATE,
    **fields,
) -> Plan:
    """Create a plan with a unique slug and the phases of its checklist template."""
    if ends_on < starts_on:
        raise ValueError("a plan cannot end before it starts")
    plan = Plan(
        title=title, slug=unique_slug(session, title), owner=owner, starts_on=starts_on, ends_on=ends_on, **fields
    )
    session.add(plan)
    apply_template(session, plan, get_template(checklist_template))
    return plan


def plan_contents():
    """Loader options for working with a whole plan (its pages, its checks): the owner and the small collections
    that activities refer to, one statement each. An activity's channel, message, sender or anchor moment is
    then found in the session instead of costing a statement of its own, and the number of statements does
    not grow with the plan."""
    return (
        joinedload(Plan.owner),
        selectinload(Plan.audiences).selectinload(Audience.intermediaries),
        selectinload(Plan.messages).selectinload(KeyMessage.translations),
        selectinload(Plan.channels),
        selectinload(Plan.partners).joinedload(Partner.organisation),
        selectinload(Plan.partners).selectinload(Partner.contacts),
        selectinload(Plan.moments),
        selectinload(Plan.embargoes),
    )


def plan_activities(session: Session, plan: Plan, query, ids: list[int] | None = None) -> list[Activity]:
    """The activities `query` selects, with their audiences taken from the plan's (two statements in all, and
    far less work than loading each activity's collection): for pages that go through every activity.

    `ids`, when the query selects only those activities, limits the audiences read to theirs."""
    by_id = {a.id: a for a in plan.audiences}
    audiences: dict[int, list] = {}
    pairs = sa.select(activity_audiences.c.activity_id, activity_audiences.c.audience_id)
    if ids is not None:
        pairs = pairs.where(activity_audiences.c.activity_id.in_(ids))
    else:
        pairs = pairs.join(Activity, Activity.id == activity_audiences.c.activity_id).where(Activity.plan_id == plan.id)
    for activity_id, audience_id in session.execute(pairs):
        if audience_id in by_id:
            audiences.setdefault(activity_id, []).append(by_id[audience_id])
    activities = list(session.scalars(query.options(lazyload(Activity.audiences))))
    for activity in activities:
        set_committed_value(activity, "audiences", sorted(audiences.get(activity.id, ()), key=lambda a: a.name))
    return activities


def load_activities(session: Session, plan: Plan) -> None:
    """Load all the plan's activities for a whole-plan document, in a few statements and with less work than
    loading each activity's collections one by one."""
    if "activities" in sa.inspect(plan).unloaded:
        set_committed_value(plan, "activities", plan_activities(session, plan, sa.select(Activity).where(
            Activity.plan_id == plan.id).order_by(Activity.starts_on, Activity.start_time.nulls_first(), Activity.id)
            .options(joinedload(Activity.channel), joinedload(Activity.message), joinedload(Activity.sender))))


def get_plan(session: Session, slug: str, options=()) -> Plan | None:
    return session.scalar(sa.select(Plan).where(Plan.slug == slug).options(*options))


def list_plans(session: Session) -> list[Plan]:
    return list(session.scalars(sa.select(Plan).order_by(Plan.starts_on.desc(), Plan.title)))


def add_partner(session: Session, plan: Plan, organisation_name: str, role: str = "") -> Partner:
    """Add the organisation as partner of the plan (creating the organisation if it is new)."""
    organisation = find_or_create_organisation(session, organisation_name)
    partner = Partner(plan=plan, organisation=organisation, role=role)
    session.add(partner)
    session.flush()
    return partner


def revise_message(message: KeyMessage, title: str, body: str) -> None:
    """Change a key message, keeping the previous text as a numbered version."""
    if (title, body) == (message.title, message.body):
        return
    message.history.append(MessageVersion(version=message.version, title=message.title, body=message.body))
    message.title, message.body = title, body
    message.version += 1
