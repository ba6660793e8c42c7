"""An administrator makes a plan for a municipality that is not in the planner yet, in a real browser."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import OrganisationKind, Role, SchoolRegion
from planner.models import Plan
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD


def test_an_administrator_creates_the_owner_explicitly_and_the_plan_lands_there(session, page):
    find_or_create_organisation(session, "Gemeente Arnhem", OrganisationKind.MUNICIPALITY)
    create_user(session, ADMIN_EMAIL, find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    log_in(page, ADMIN_EMAIL)
    page.goto("/plans/new")
    new_owner = page.get_by_role("group", name="Nieuwe organisatie")
    expect(new_owner).to_be_hidden()  # only while "Nieuwe organisatie…" is chosen
    page.fill("#title", "Samen Veilig 2027")
    page.fill("#starts_on", "2027-09-01")
    page.fill("#ends_on", "2027-12-15")
    page.select_option("#owner_id", label="Nieuwe organisatie…")
    expect(new_owner).to_be_visible()
    assert axe_violations(page) == []
    page.fill("#owner_name", "Gemeente Doetinchem")
    page.select_option("#owner_kind", label="Gemeente")
    page.select_option("#owner_region", label="Midden")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/start")

    session.expire_all()
    plan = session.scalar(sa.select(Plan).where(Plan.slug == "samen-veilig-2027"))
    assert (plan.owner.name, plan.owner.school_region) == ("Gemeente Doetinchem", SchoolRegion.MIDDLE)
