"""Serve a feed through gunicorn with the production settings and read its access log."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from planner.domain import feeds
from planner.domain.demo import REGIONAL_SLUG
from planner.domain.plans import get_plan
from planner.enums import FeedScope
from tests.helpers import child_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_feed_and_never_logs_the_token(demo_session, db_url, tmp_path):
    plan = get_plan(demo_session, REGIONAL_SLUG)
    _, token = feeds.create_subscription(demo_session, plan, "Gunicorn", FeedScope.PLAN)
    demo_session.commit()
    port, log = free_port(), tmp_path / "access.log"
    env = child_env(PLANNER_DATABASE_URL=db_url, PLANNER_INSTANCE_PATH=str(tmp_path / "instance"),
                    PLANNER_SECRET_KEY="x", PLANNER_BIND=f"127.0.0.1:{port}", PLANNER_ACCESS_LOG=str(log),
                    PLANNER_WORKERS="1")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-c", "python:planner.gunicorn_conf", "planner.web:create_app()"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/feeds/{token}.ics"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    body = response.read()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    logged = log.read_text() + output
    assert "/feeds/[redacted]" in logged
    assert token not in logged
