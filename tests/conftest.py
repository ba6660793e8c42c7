"""Fixtures: every database test runs on SQLite and on PostgreSQL, on a pinned day."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from click.testing import CliRunner

from planner import clock, migrate
from planner.db import Base, make_engine, make_session_factory
from tests.oidc import identity_provider, oidc_provider  # noqa: F401  (the test identity provider)

# Only the PostgreSQL database named here is used, never a guessed shared one: `.ci/run` sets it; outside CI
# the PostgreSQL tests skip (with this reason) unless a developer sets it.
POSTGRES_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
# The day the suite runs on; CI runs the suite again on other days with --today.
DEFAULT_TODAY = "2026-11-29"


def pytest_addoption(parser):
    parser.addoption("--today", default=os.environ.get("PLANNER_TEST_TODAY", DEFAULT_TODAY),
                     help="run the whole suite as if it were this day (YYYY-MM-DD; default %(default)s)")


    parser.addoption("--share", default="", metavar="K/N",
                     help="for the runs on other days (make test-dates): only the K-th of N shares of the tests, "
                          "chosen by a stable hash of their ids, and none that is pinned to a day of its own")


def pytest_collection_modifyitems(config, items):
    share = config.getoption("--share")
    if not share:
        return
    part, parts = map(int, share.split("/"))
    keep, drop = [], []
    for item in items:
        mine = zlib.crc32(item.nodeid.encode("utf-8")) % parts == part - 1
        (keep if mine and item.get_closest_marker("today") is None else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep


def pytest_report_header(config):
    return f"planner clock pinned to {config.getoption('--today')} 12:00 Europe/Amsterdam"


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes():
    """Store the tests' passwords with scrypt at 1/32 of the production work factor (N=2^10 instead of 2^15).

    Every login checks a hash and every user gets one: at full strength that was a fifth of the write-guard tests'
    time (a profile of five of them). The method stays scrypt, so storing, checking and the stored format are
    tested as they run; `tests/domain/test_password_hashing.py` holds the production setting itself, in a process
    of its own."""
    from planner.domain import accounts

    production = accounts.PASSWORD_HASH_METHOD
    accounts.PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    yield
    accounts.PASSWORD_HASH_METHOD = production


@pytest.fixture(scope="session", autouse=True)
def pinned_today(request) -> dt.date:
    """Pin the clock for the whole run: noon of the chosen day in the Netherlands, ticking on.

    No test sees the machine's real date. A test that needs another moment moves the clock
    further with time-machine's `time_machine` fixture.
    """
    day = dt.date.fromisoformat(request.config.getoption("--today"))
    with travel_to(day):
        yield day


@pytest.fixture(autouse=True)
def day_of_test(request, pinned_today) -> dt.date:
    """A test marked `@pytest.mark.today("YYYY-MM-DD")` runs on that day, whatever the run's day."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield pinned_today
        return
    day = dt.date.fromisoformat(marker.args[0])
    with travel_to(day):
        yield day


def travel_to(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=clock.AMSTERDAM), tick=True)


def postgres_problem() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    if not POSTGRES_URL:
        return ("PLANNER_TEST_POSTGRES_URL is not set: the PostgreSQL tests run only against a database named there "
                "(e.g. postgresql://postgres@127.0.0.1:5432/test)")
    try:
        engine = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # any driver or network error means: not reachable
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.__class__.__name__}"
    return None


class SqliteBackend:
    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder
        self.template = folder / "template.sqlite"
        # Mutation testing (scripts/mutation.sh) runs the tests once per mutant and migrates a template once
        # beforehand; the migrations use no module that is mutated.
        prepared = os.environ.get("PLANNER_TEST_SQLITE_TEMPLATE", "")
        if prepared:
            shutil.copyfile(prepared, self.template)
            return
        engine = make_engine(f"sqlite:///{self.template}")
        migrate.upgrade(engine)
        engine.dispose()

    def fresh_url(self) -> str:
        path = self.folder / f"{uuid.uuid4().hex}.sqlite"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def empty_url(self) -> str:
        return f"sqlite:///{self.folder / uuid.uuid4().hex}-empty.sqlite"

    def second_url(self) -> str:
        """A second database with the schema and no rows (a copy of the template: migrating again is slow)."""
        return self.fresh_url()

    def close(self):
        pass


class PostgresBackend:
    name = "postgresql"

    def __init__(self):
        self.admin = make_engine(POSTGRES_URL)
        self.schemas = []
        self.schema = self._new_schema()
        self.url = self._url(self.schema)
        self.engine = make_engine(self.url)
        migrate.upgrade(self.engine)
        self.tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)

    def _new_schema(self) -> str:
        schema = f"planner_test_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        return schema

    def _url(self, schema: str) -> str:
        base = sa.engine.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
        return base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

    def fresh_url(self) -> str:
        # A connection of the previous test can still be finishing a query (a child process or thread that is
        # ending); TRUNCATE then deadlocks with it and PostgreSQL picks TRUNCATE to fail: try again shortly.
        for attempt in range(5):
            try:
                with self.engine.begin() as connection:
                    connection.execute(sa.text(f"TRUNCATE {self.tables} RESTART IDENTITY CASCADE"))
                return self.url
            except sa.exc.OperationalError as error:
                if "deadlock detected" not in str(error) or attempt == 4:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    def empty_url(self) -> str:
        return self._url(self._new_schema())

    def second_url(self) -> str:
        """A second database (schema) with the schema migrated and no rows."""
        url = self.empty_url()
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        return url

    def close(self):
        self.engine.dispose()
        for schema in self.schemas:  # one transaction each: dropping them all at once runs out of lock slots
            with self.admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    if request.param == "postgresql":
        problem = postgres_problem()
        if problem:
            if IN_CI:
                pytest.fail(f"{problem} (CI requires the PostgreSQL tests to run)")
            pytest.skip(problem)
        instance = PostgresBackend()
    else:
        instance = SqliteBackend(tmp_path_factory.mktemp("sqlite"))
    yield instance
    instance.close()


@pytest.fixture
def db_url(backend) -> str:
    return backend.fresh_url()


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    session = make_session_factory(engine)()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def empty_session(backend):
    """A second, empty database on the same backend (for import into a clean database)."""
    engine = make_engine(backend.second_url())
    session = make_session_factory(engine)()
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def demo_session(session):
    from planner.domain.demo import load_demo

    load_demo(session)
    session.commit()
    return session


@pytest.fixture
def app(db_url, tmp_path):
    from planner.web import create_app

    app = create_app({
        "TESTING": True,
        "PLANNER_DATABASE_URL": db_url,
        "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"),
        "PLANNER_SECRET_KEY": "test-secret",
    })
    yield app
    app.extensions["planner.engine"].dispose()


ADMIN_EMAIL, ADMIN_PASSWORD = "beheer@test.example", "een-lang-test-wachtwoord"


def log_in(client, email: str, password: str):
    """Log in through the login form, as a person would."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code == 302, "login failed"
    return response


@pytest.fixture
def anonymous_client(app):
    return app.test_client()


@pytest.fixture
def client(app, db_url):
    """A browser logged in as an administrator (who may do everything)."""
    from planner.domain.accounts import create_user
    from planner.domain.plans import find_or_create_organisation
    from planner.enums import OrganisationKind, Role

    engine = make_engine(db_url)
    session = make_session_factory(engine)()
    create_user(session, ADMIN_EMAIL, find_or_create_organisation(session, "Beheer", OrganisationKind.PARTNER),
                Role.ADMINISTRATOR, ADMIN_PASSWORD)
    session.commit()
    session.close()
    engine.dispose()
    client = app.test_client()
    log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    return client


@pytest.fixture
def cli(db_url, tmp_path):
    """Invoke the `planner` command against the test database."""
    from planner.cli import main

    runner = CliRunner()
    env = {"PLANNER_DATABASE_URL": db_url, "PLANNER_INSTANCE_PATH": str(tmp_path / "instance")}

    def invoke(*args, input=None, url=None):
        return runner.invoke(main, list(args), env={**env, **({"PLANNER_DATABASE_URL": url} if url else {})},
                             input=input, catch_exceptions=False)

    return invoke
