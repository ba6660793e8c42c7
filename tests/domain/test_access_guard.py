"""The access guard, role by role and organisation by organisation: who reads, edits and signs off which plan.

One table covers every role in a region, in a municipality of that region, in a municipality of another
region and in a municipality without a region. The SQL condition the lists and searches use must select
exactly the plans `can_read` allows.
"""

import datetime as dt

import pytest
import sqlalchemy as sa

from planner.domain import access
from planner.domain.plans import create_plan
from planner.enums import OrganisationKind, Role
from planner.models import Organisation, Plan, User

R, A, C, L = Role.READER, Role.ADVISOR, Role.COORDINATOR, Role.ADMINISTRATOR

# The organisations: two regions, two municipalities in the first, one in the second, one in none.
ORGANISATIONS = {
    "Regio Noord": (OrganisationKind.REGION, None),
    "Regio Zuid": (OrganisationKind.REGION, None),
    "Aadorp": (OrganisationKind.MUNICIPALITY, "Regio Noord"),
    "Beekdorp": (OrganisationKind.MUNICIPALITY, "Regio Noord"),
    "Zuiddorp": (OrganisationKind.MUNICIPALITY, "Regio Zuid"),
    "Losdorp": (OrganisationKind.MUNICIPALITY, None),
}
PLANS = list(ORGANISATIONS)  # one plan owned by each organisation, named after it
NOORD = {"Regio Noord", "Aadorp", "Beekdorp"}

# (role, organisation of the user) -> (plans read, plans edited, plans signed off)
TABLE = {
    (L, "Losdorp"): (set(PLANS), set(PLANS), set(PLANS)),
    (L, "Regio Noord"): (set(PLANS), set(PLANS), set(PLANS)),
    # a coordinator follows the whole region, from the region or from one of its municipalities
    (C, "Regio Noord"): (NOORD, set(), NOORD),
    (C, "Aadorp"): (NOORD, set(), NOORD),
    (C, "Zuiddorp"): ({"Regio Zuid", "Zuiddorp"}, set(), {"Regio Zuid", "Zuiddorp"}),
    (C, "Losdorp"): ({"Losdorp"}, set(), {"Losdorp"}),
    # advisors edit their own organisation's plans and read their region's own plans, not their neighbours'
    (A, "Aadorp"): ({"Aadorp", "Regio Noord"}, {"Aadorp"}, {"Aadorp"}),
    (A, "Regio Noord"): ({"Regio Noord"}, {"Regio Noord"}, {"Regio Noord"}),
    (A, "Losdorp"): ({"Losdorp"}, {"Losdorp"}, {"Losdorp"}),
    # readers read what an advisor of their organisation reads, and change nothing
    (R, "Beekdorp"): ({"Beekdorp", "Regio Noord"}, set(), set()),
    (R, "Regio Zuid"): ({"Regio Zuid"}, set(), set()),
    (R, "Losdorp"): ({"Losdorp"}, set(), set()),
}


@pytest.fixture
def world(session):
    organisations = {}
    for index, (name, (kind, region)) in enumerate(ORGANISATIONS.items()):
        # ids past 256, where equal ints are no longer one object: `is` in place of `==` would fail here
        organisations[name] = Organisation(id=1001 + index, name=name, kind=kind, region=organisations.get(region))
    session.add_all(organisations.values())
    session.flush()
    plans = {name: create_plan(session, title=f"Plan {name}", owner=organisation, starts_on=dt.date(2027, 1, 1),
                               ends_on=dt.date(2027, 12, 31))
             for name, organisation in organisations.items()}
    users = {}
    for index, (role, name) in enumerate(TABLE):
        users[role, name] = User(email=f"u{index}@example.nl", organisation=organisations[name], role=role)
    session.add_all(users.values())
    session.commit()
    session.expire_all()  # every id read back from its own row, as a request sees them
    return organisations, plans, users


def test_region_of_is_the_region_itself_or_the_municipalitys_region(world):
    organisations, _, _ = world
    assert access.region_of(organisations["Regio Noord"]) is organisations["Regio Noord"]
    assert access.region_of(organisations["Beekdorp"]) is organisations["Regio Noord"]
    assert access.region_of(organisations["Losdorp"]) is None


@pytest.mark.parametrize("who", list(TABLE), ids=[f"{role.value}-{name}" for role, name in TABLE])
def test_who_reads_edits_and_signs_off_which_plan(session, world, who):
    _, plans, users = world
    user = users[who]
    reads, edits, signs = TABLE[who]
    assert {name for name, plan in plans.items() if access.can_read(user, plan)} == reads
    assert {name for name, plan in plans.items() if access.can_edit(user, plan)} == edits
    assert {name for name, plan in plans.items() if access.can_edit_plans_of(user, plan.owner_id)} == edits
    assert {name for name, plan in plans.items() if access.can_sign_off(user, plan)} == signs
    visible = session.scalars(sa.select(Plan.title).where(access.visible_plans_filter(user))).all()
    assert sorted(visible) == sorted(f"Plan {name}" for name in reads)
