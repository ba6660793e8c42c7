"""Serve a feed through gunicorn with the production settings and read its access log."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from planner.domain import feeds
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.domain.reminders import unsubscribe_token
from planner.domain.accounts import create_user
from planner.enums import FeedScope, Role
from planner.models import Activity
from tests.helpers import child_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_never_logs_a_secret_even_when_requests_fail(demo_session, db_url, tmp_path):
    """Feed tokens, reset tokens and unsubscribe links stay out of the access log, the error log and
    Flask's tracebacks, also for a feed whose build fails and for a percent-encoded feed address."""
    plan = get_plan(demo_session, REGIONAL_SLUG)
    _, token = feeds.create_subscription(demo_session, plan, "Gunicorn", FeedScope.PLAN)
    broken_plan = get_plan(demo_session, MUNICIPAL_SLUG)
    _, broken_token = feeds.create_subscription(demo_session, broken_plan, "Kapot", FeedScope.PLAN)
    demo_session.commit()
    # A repeat rule that only a database edit could produce: building this plan's feed fails.
    demo_session.execute(sa.update(Activity).where(Activity.plan_id == broken_plan.id).values(recurrence="FREQ=NOOIT"))
    demo_session.commit()
    reader = create_user(demo_session, "lezer@gunicorn.example", broken_plan.owner, Role.READER, "een-lang-wachtwoord-99")
    demo_session.commit()
    unsubscribe = unsubscribe_token("x", reader)
    port, log = free_port(), tmp_path / "access.log"
    env = child_env(PLANNER_DATABASE_URL=db_url, PLANNER_INSTANCE_PATH=str(tmp_path / "instance"),
                    PLANNER_SECRET_KEY="x", PLANNER_BIND=f"127.0.0.1:{port}", PLANNER_ACCESS_LOG=str(log),
                    PLANNER_WORKERS="1")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-c", "python:planner.gunicorn_conf", "planner.web:create_app()"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    encoded = "".join(f"%{byte:02x}" for byte in token.encode())
    try:
        for _ in range(100):
            try:
                status, body = _fetch(f"{base}/feeds/{token}.ics")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR\r\n")
        assert _fetch(f"{base}/feeds/{encoded}.ics")[0] == 200
        assert _fetch(f"{base}/%66eeds/{token}.ics")[0] == 200  # the prefix encoded, the token plain
        assert _fetch(f"{base}/feeds/{broken_token}.ics")[0] == 500
        assert _fetch(f"{base}/afmelden/{unsubscribe}")[0] == 200
        assert _fetch(f"{base}/password/reset/{token}")[0] in (200, 404)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    logged = log.read_text() + output
    assert "Exception on /feeds/[redacted]" in logged and "Traceback" in logged  # the failure is on record
    assert logged.count("/feeds/[redacted]") >= 5
    for secret in (token, encoded, broken_token, unsubscribe, encoded[:30], token[:12], broken_token[:12]):
        assert secret not in logged
