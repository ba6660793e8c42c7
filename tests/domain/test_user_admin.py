"""The guard rails of user management, when two administrators act at the same time."""

import pytest
import sqlalchemy as sa

from planner.db import make_session_factory
from planner.domain import accounts, user_admin
from planner.domain.plans import find_or_create_organisation
from planner.enums import Role
from planner.models import User

PASSWORD = "een-lang-test-wachtwoord"


def test_two_administrators_cannot_disable_each_other_at_once(engine, session):
    beheer = find_or_create_organisation(session, "Beheer")
    for email in ("a@test.example", "b@test.example"):
        accounts.create_user(session, email, beheer, Role.ADMINISTRATOR, PASSWORD)
    session.commit()
    # the request of A has loaded both when the request of B disables A and commits
    a_request = make_session_factory(engine)()
    a, b = (a_request.scalar(sa.select(User).where(User.email == e)) for e in ("a@test.example", "b@test.example"))
    b_request = make_session_factory(engine)()
    user_admin.disable(b_request, b_request.get(User, b.id), b_request.get(User, a.id))
    b_request.commit()
    b_request.close()
    with pytest.raises(user_admin.Refused) as refused:
        user_admin.disable(a_request, a, b)
    assert refused.value.reason == "last_administrator"
    a_request.rollback()
    a_request.close()
    session.expire_all()
    assert session.scalar(sa.select(User.active).where(User.email == "b@test.example")) is True
