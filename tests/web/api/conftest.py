"""Fixtures for the API: the demo plans, a plan elsewhere, and API keys in every role."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import api_keys
from planner.domain.accounts import create_user
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import create_plan, find_or_create_organisation, get_plan
from planner.enums import ApiScope, OrganisationKind, Role

PASSWORD = "een-lang-test-wachtwoord"
# name -> (organisation, role the key acts in, scope)
KEYS = {
    "reader": ("Gemeente Arnhem", Role.READER, ApiScope.READ),
    "advisor-read": ("Gemeente Arnhem", Role.ADVISOR, ApiScope.READ),
    "advisor": ("Gemeente Arnhem", Role.ADVISOR, ApiScope.READ_WRITE),
    "coordinator": ("Regio Arnhem-Achterhoek", Role.COORDINATOR, ApiScope.READ),
    "elsewhere": ("Gemeente Elders", Role.ADVISOR, ApiScope.READ_WRITE),
}


def make_key(session, organisation: str, role: Role, scope: ApiScope, name: str = "test") -> str:
    """A key made by an administrator of `organisation` (created on first use)."""
    org = find_or_create_organisation(session, organisation)
    email = f"beheer-{org.id}@test.example"
    from planner.models import User
    import sqlalchemy as sa

    creator = session.scalar(sa.select(User).where(User.email == email)) or create_user(
        session, email, org, Role.ADMINISTRATOR, PASSWORD)
    _row, key = api_keys.create_key(session, creator, name, role, scope, 30)
    return key


@pytest.fixture
def api_world(demo_session):
    """The demo plans, a plan of a municipality in another region, and a key per entry of KEYS."""
    elsewhere = find_or_create_organisation(demo_session, "Gemeente Elders", OrganisationKind.MUNICIPALITY)
    create_plan(demo_session, title="Plan elders", owner=elsewhere, starts_on=dt.date(2027, 1, 1),
                ends_on=dt.date(2027, 6, 1))
    keys = {name: make_key(demo_session, *spec, name=name) for name, spec in KEYS.items()}
    demo_session.commit()
    return demo_session, keys


@pytest.fixture
def api(app, api_world):
    """A client for the API: api.get(path, key="reader") sends that key as a Bearer token."""
    session, keys = api_world

    class Client:
        def __init__(self):
            self.client = app.test_client()
            self.keys = keys
            self.session = session

        def plan_id(self, slug: str = MUNICIPAL_SLUG) -> str:
            return str(get_plan(session, slug).uuid)

        def _headers(self, key, headers):
            return {**({"Authorization": f"Bearer {keys.get(key, key)}"} if key else {}), **(headers or {})}

        def get(self, path, key="advisor", headers=None, **kwargs):
            return self.client.get(path, headers=self._headers(key, headers), **kwargs)

        def post(self, path, key="advisor", headers=None, **kwargs):
            return self.client.post(path, headers=self._headers(key, headers), **kwargs)

        def put(self, path, key="advisor", headers=None, **kwargs):
            return self.client.put(path, headers=self._headers(key, headers), **kwargs)

        def patch(self, path, key="advisor", headers=None, **kwargs):
            return self.client.patch(path, headers=self._headers(key, headers), **kwargs)

        def delete(self, path, key="advisor", headers=None, **kwargs):
            return self.client.delete(path, headers=self._headers(key, headers), **kwargs)

    return Client()


__all__ = ["MUNICIPAL_SLUG", "REGIONAL_SLUG", "make_key"]
