"""The access guard: who may read, edit and sign off which plans, in Python and as a SQL condition.

Every page, API call, feed link and e-mail asks these functions; `visible_plans_filter` mirrors `can_read`.
"""

from __future__ import annotations

import sqlalchemy as sa

from planner.enums import OrganisationKind, Role
from planner.models import Organisation, Plan, User


def region_of(organisation: Organisation) -> Organisation | None:
    """The region of `organisation`: itself when it is one."""
    return organisation if organisation.kind == OrganisationKind.REGION else organisation.region


def can_read(user: User, plan: Plan) -> bool:
    if user.role == Role.ADMINISTRATOR or plan.owner_id == user.organisation_id:
        return True
    own_region = region_of(user.organisation)
    plan_region = region_of(plan.owner)
    if user.role == Role.COORDINATOR:
        return own_region is not None and plan_region is not None and own_region.id == plan_region.id
    # advisors and readers also see their region's own plans (to make a local plan from them)
    return own_region is not None and plan.owner_id == own_region.id


def can_edit(user: User, plan: Plan) -> bool:
    return can_edit_plans_of(user, plan.owner_id)


def can_edit_plans_of(user: User, owner_id: int) -> bool:
    """can_edit for a plan known only by its owner (a search result, without loading the plan)."""
    return user.role == Role.ADMINISTRATOR or (user.role == Role.ADVISOR and owner_id == user.organisation_id)


def can_sign_off(user: User, plan: Plan) -> bool:
    """Phase gates: the plan's editors, and the coordinators of its region."""
    return can_edit(user, plan) or (user.role == Role.COORDINATOR and can_read(user, plan))


def visible_plans_filter(user: User):
    """A SQL condition for the plans `user` may read (mirrors can_read)."""
    if user.role == Role.ADMINISTRATOR:
        return sa.true()
    own_region = region_of(user.organisation)
    conditions = [Plan.owner_id == user.organisation_id]
    if own_region is not None:
        if user.role == Role.COORDINATOR:
            members = sa.select(Organisation.id).where(Organisation.region_id == own_region.id)
            conditions += [Plan.owner_id == own_region.id, Plan.owner_id.in_(members)]
        else:
            conditions.append(Plan.owner_id == own_region.id)
    return sa.or_(*conditions)
