"""The database under pressure: two people save the same row at once, the server drops its connections."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from planner.db import make_engine, make_session_factory
from planner.models import Partner
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.factories import build_plan
from tests.helpers import child_env


def _partner(session) -> Partner:
    from planner.domain.plans import find_or_create_organisation

    plan = build_plan(session)
    partner = Partner(plan=plan, organisation=find_or_create_organisation(session, "GGD Gelderland-Zuid"),
                      role="Levert de folders")
    session.add(partner)
    session.commit()
    return partner


def test_the_update_itself_checks_the_version(engine):
    """Both sessions read version 1; the second UPDATE matches no row instead of overwriting the first."""
    factory = make_session_factory(engine)
    with factory() as setup:
        partner_id = _partner(setup).id
    first, second = factory(), factory()
    mine, theirs = first.get(Partner, partner_id), second.get(Partner, partner_id)
    mine.role, theirs.role = "Rol van Anna", "Rol van Bram"
    first.commit()
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    assert second.get(Partner, partner_id).role == "Rol van Anna"
    assert second.get(Partner, partner_id).row_version == 2
    first.close(), second.close()


def test_an_edit_form_without_its_version_is_refused(client, session):
    partner = _partner(session)
    page = client.get(f"/plans/{partner.plan.slug}/partners/{partner.id}/edit").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/plans/{partner.plan.slug}/partners/{partner.id}/edit",
                           data={"csrf_token": token, "organisation_name": "GGD", "role": "Zonder versie"})
    assert response.status_code == 400 and "formulier" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Partner, partner.id).role == "Levert de folders"


def _lock_waiters(connection) -> int:
    return connection.execute(sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )).scalar_one()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_processes_saving_at_once_never_both_win(client, session, db_url, tmp_path):
    """Two browsers in two processes open the same form and save it while the row is locked, so both
    requests have read version 1 and both UPDATEs wait. When the lock goes, exactly one save may win."""
    partner = _partner(session)
    url = f"/plans/{partner.plan.slug}/partners/{partner.id}/edit"
    workers = []
    for name in ("Anna", "Bram"):
        fields = json.dumps({"organisation_name": "GGD Gelderland-Zuid", "role": f"Rol van {name}"})
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.race_worker", db_url, str(tmp_path / name), ADMIN_EMAIL,
             ADMIN_PASSWORD, url, fields],
            env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    locker = make_engine(db_url)
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        with locker.connect() as connection:
            transaction = connection.begin()
            connection.execute(sa.text("SELECT id FROM partners WHERE id = :id FOR UPDATE"), {"id": partner.id})
            for worker in workers:
                worker.stdin.write("go\n")
                worker.stdin.flush()
            with locker.connect() as observer:
                for _ in range(300):
                    if _lock_waiters(observer) >= 2:
                        break
                    time.sleep(0.1)
                else:
                    raise AssertionError("the two saves did not both reach the UPDATE")
            transaction.rollback()
        results = [json.loads(worker.communicate(timeout=60)[0]) for worker in workers]
    finally:
        for worker in workers:
            worker.kill() if worker.poll() is None else None
        locker.dispose()
    assert sorted(r["saved"] for r in results) == [False, True], results
    loser = next(r for r in results if not r["saved"])
    assert loser["conflict"] and loser["status"] == 200
    winner = "Anna" if results[0]["saved"] else "Bram"
    session.expire_all()
    stored = session.get(Partner, partner.id)
    assert stored.role == f"Rol van {winner}" and stored.row_version == 2


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_connection_the_server_dropped_costs_no_error(client, app, engine):
    """PostgreSQL restarts or a fail-over drop every pooled connection; the next request must still work."""
    assert client.get("/").status_code == 200
    outside, engine = engine, app.extensions["planner.engine"]
    pooled = [engine.connect() for _ in range(max(engine.pool.checkedin(), 1))]
    pids = [connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() for connection in pooled]
    for connection in pooled:
        connection.close()
    with outside.begin() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:pids AS int[])) AS pid"),
                      {"pids": pids})
    for _ in range(3):
        assert client.get("/").status_code == 200
