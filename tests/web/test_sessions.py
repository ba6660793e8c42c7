"""Sessions end after 8 idle hours and 12 hours after the login (both configurable); the scheduler purges them."""

import datetime as dt

import pytest
import sqlalchemy as sa

from planner import clock
from planner.domain.accounts import create_user
from planner.domain.plans import find_or_create_organisation
from planner.enums import Role
from planner.models import UserSession
from planner.scheduler import Scheduler
from tests.conftest import log_in
from tests.helpers import text_of

PASSWORD = "een-lang-test-wachtwoord"


@pytest.fixture
def user(session):
    user = create_user(session, "anna@gemeente.example", find_or_create_organisation(session, "Gemeente Test"),
                       Role.ADVISOR, PASSWORD)
    session.commit()
    return user


def make_app(db_url, tmp_path, **settings):
    from planner.web import create_app

    return create_app({"TESTING": True, "PLANNER_DATABASE_URL": db_url, "PLANNER_SECRET_KEY": "x",
                       "PLANNER_INSTANCE_PATH": str(tmp_path / "i"), **settings})


def logged_in(app):
    client = app.test_client()
    log_in(client, "anna@gemeente.example", PASSWORD)
    return client


def only_session(session) -> UserSession:
    session.expire_all()
    [row] = session.scalars(sa.select(UserSession)).all()
    return row


def test_a_session_ends_after_eight_idle_hours(app, user, time_machine):
    client = logged_in(app)
    time_machine.move_to(clock.now() + dt.timedelta(hours=7, minutes=59))
    assert client.get("/").status_code == 200, "still within the idle time"
    time_machine.move_to(clock.now() + dt.timedelta(hours=8, minutes=1))
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Uw sessie is afgelopen" in text_of(client.get(response.headers["Location"]))


def test_a_session_ends_twelve_hours_after_the_login_however_busy(app, user, time_machine):
    client = logged_in(app)
    for _ in range(11):
        time_machine.move_to(clock.now() + dt.timedelta(hours=1, minutes=5))
        assert client.get("/").status_code == 200
    time_machine.move_to(clock.now() + dt.timedelta(minutes=10))   # 12 h 5 min after the login
    assert client.get("/").status_code == 302


def test_a_back_dated_session_is_refused(app, user, session):
    client = logged_in(app)
    row = only_session(session)
    row.created_at = row.last_seen_at = clock.now() - dt.timedelta(days=400)
    session.commit()
    assert client.get("/").status_code == 302


def test_both_lifetimes_can_be_set(db_url, tmp_path, user, time_machine):
    app = make_app(db_url, tmp_path, PLANNER_SESSION_IDLE_HOURS="0.5", PLANNER_SESSION_MAX_HOURS="1")
    try:
        client = logged_in(app)
        time_machine.move_to(clock.now() + dt.timedelta(minutes=31))
        assert client.get("/").status_code == 302, "idle half an hour"
        client = logged_in(app)
        for _ in range(2):
            time_machine.move_to(clock.now() + dt.timedelta(minutes=21))
            assert client.get("/").status_code == 200
        time_machine.move_to(clock.now() + dt.timedelta(minutes=21))
        assert client.get("/").status_code == 302, "an hour after the login"
    finally:
        app.extensions["planner.engine"].dispose()


@pytest.mark.parametrize("value", ["0", "-1", "acht", "nan"])
def test_a_lifetime_that_is_not_a_positive_number_stops_the_app(db_url, tmp_path, value):
    with pytest.raises(ValueError, match="PLANNER_SESSION_IDLE_HOURS"):
        make_app(db_url, tmp_path, PLANNER_SESSION_IDLE_HOURS=value)


def test_last_seen_is_written_at_most_once_a_minute(app, user, session, time_machine):
    client = logged_in(app)
    login_at = only_session(session).last_seen_at
    time_machine.move_to(clock.now() + dt.timedelta(seconds=30))
    client.get("/")
    assert only_session(session).last_seen_at == login_at, "not written again within the minute"
    time_machine.move_to(clock.now() + dt.timedelta(seconds=31))
    client.get("/")
    seen = only_session(session).last_seen_at
    assert seen > login_at + dt.timedelta(seconds=60)


def test_the_scheduler_purges_ended_sessions(app, user, session, time_machine):
    logged_in(app)
    time_machine.move_to(clock.now() + dt.timedelta(hours=9))
    fresh = logged_in(app)
    scheduler = Scheduler(app)
    scheduler.purge_sessions()
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1
    assert fresh.get("/").status_code == 200, "the live session stays"
    scheduler.add_jobs()
    assert "purge-sessions" in {job.id for job in scheduler.scheduler.get_jobs()}
