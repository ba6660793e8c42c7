"""Measure calendar feeds: cold build, warm serving under load, the 304 path, memory per cached feed.

Everything runs on 127.0.0.1 in one run on this machine: gunicorn with the production
settings (2 workers of BENCH_WORKER_CLASS, sync by default), nginx serving the same bytes
as a static file (when nginx is installed), and an empty Flask route as the reference for
304s. Load comes from wrk when installed. Run: .venv/bin/python benchmarks/feed_serving.py
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner import clock, migrate  # noqa: E402
from planner.db import make_engine, make_session_factory  # noqa: E402
from planner.domain import feeds  # noqa: E402
from planner.domain.feed_builds import build_feed  # noqa: E402
from planner.domain.plans import create_plan, find_or_create_organisation  # noqa: E402
from planner.enums import AudienceCategory, ChannelKind, FeedScope  # noqa: E402
from planner.models import Activity, Audience, Channel  # noqa: E402
from planner.web.feed_cache import CachedFeed  # noqa: E402

BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_database(url: str, activities: int = 1_000) -> tuple[str, str]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_session_factory(engine)()
    rng = random.Random(3)
    start = clock.today() - dt.timedelta(days=30)
    plan = create_plan(session, title="Feed benchmark", owner=find_or_create_organisation(session, "Gemeente Bench"),
                       starts_on=start, ends_on=start + dt.timedelta(days=400))
    plan.audiences = [Audience(name=f"Doelgroep {i}", category=AudienceCategory.GENERAL_PUBLIC) for i in range(20)]
    plan.channels = [Channel(name=f"Middel {i}", kind=ChannelKind.POSTER, lead_time_days=rng.randint(0, 10))
                     for i in range(10)]
    for n in range(activities):
        timed = n % 3 == 0
        plan.activities.append(Activity(
            title=f"Activiteit {n}: bericht over Veilig Thuis", description="Toelichting " * 10,
            starts_on=start + dt.timedelta(days=rng.randint(0, 365)), channel=plan.channels[n % 10],
            audiences=rng.sample(plan.audiences, 2), start_time=dt.time(10) if timed else None,
            end_time=dt.time(11, 30) if timed else None))
    session.flush()
    _, token = feeds.create_subscription(session, plan, "Benchmark", FeedScope.PLAN)
    session.commit()
    slug = plan.slug
    session.close()
    engine.dispose()
    return token, slug


def cold_builds(url: str, token: str, repeats: int = 5) -> tuple[float, int, int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    timings, size = [], 0
    for _ in range(repeats):
        session = factory()
        began = time.perf_counter()
        subscription = feeds.find_active(session, token)
        body = build_feed(session, subscription, clock.today(), "https://planner.example.nl").body
        timings.append(time.perf_counter() - began)
        size = len(body)
        events = body.count(b"BEGIN:VEVENT")
        session.close()
    engine.dispose()
    return statistics.median(timings), size, events


def wait_for(url: str, headers: dict | None = None) -> bytes:
    for _ in range(200):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no answer from {url}")


def load(url: str, headers: dict | None = None) -> float:
    """Requests per second with wrk (2 threads, 16 connections), or a simple fallback."""
    if shutil.which("wrk"):
        command = ["wrk", "-t2", "-c16", f"-d{DURATION}s", "--latency"]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    count, deadline = 0, time.perf_counter() + DURATION
    while time.perf_counter() < deadline:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as response:
            response.read()
        count += 1
    return count / DURATION


def gunicorn(app: str, env: dict, port: int, cwd: Path = ROOT) -> subprocess.Popen:
    env = {**os.environ, **env, "PLANNER_BIND": f"127.0.0.1:{port}", "PLANNER_WORKERS": "2",
           "PLANNER_ACCESS_LOG": "/dev/null", "PLANNER_WORKER_CLASS": WORKER_CLASS,
           "PLANNER_WORKER_CONNECTIONS": "8"}
    return subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:planner.gunicorn_conf", app], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def nginx(folder: Path, port: int) -> subprocess.Popen | None:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        return None
    config = folder / "nginx.conf"
    config.write_text(f"""
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {folder}; proxy_temp_path {folder}; fastcgi_temp_path {folder};
  uwsgi_temp_path {folder}; scgi_temp_path {folder};
  types {{ text/calendar ics; }}
  sendfile on;
  gzip_static on;
  server {{ listen 127.0.0.1:{port}; root {folder}/static; }}
}}
""")
    return subprocess.Popen([binary, "-c", str(config), "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def cache_memory(body: bytes, entries: int = 20) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    kept = [CachedFeed.build((i,), body + str(i).encode(), 0.0, i, time.monotonic()) for i in range(entries)]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    del kept
    return grown / entries


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    token, _ = build_database(url)
    seconds, size, events = cold_builds(url, token)
    print(f"(a) cold build, 1,000 activities ({events:,} events with their production starts): "
          f"{seconds * 1000:.0f} ms median, {size / 1024:.0f} KiB")

    env = {"PLANNER_DATABASE_URL": url, "PLANNER_INSTANCE_PATH": str(folder / "instance"),
           "PLANNER_SECRET_KEY": "bench", "PLANNER_BASE_URL": "https://planner.example.nl"}
    app_port, empty_port, nginx_port = free_port(), free_port(), free_port()
    processes = [gunicorn("planner.web:create_app()", env, app_port),
                 gunicorn("empty_app:app", {**env, "PLANNER_CONTROL_SOCKET": str(folder / "empty.ctl")}, empty_port,
                          cwd=ROOT / "benchmarks")]
    feed_url = f"http://127.0.0.1:{app_port}/feeds/{token}.ics"
    try:
        body = wait_for(feed_url)
        for _ in range(8):  # warm both workers
            wait_for(feed_url)
        etag = urllib.request.urlopen(feed_url).headers["ETag"]
        (folder / "static").mkdir()
        (folder / "static" / "feed.ics").write_bytes(body)
        import gzip

        (folder / "static" / "feed.ics.gz").write_bytes(gzip.compress(body, 6))
        server = nginx(folder, nginx_port)
        if server is not None:
            processes.append(server)
            wait_for(f"http://127.0.0.1:{nginx_port}/feed.ics")
        wait_for(f"http://127.0.0.1:{empty_port}/empty")

        warm = load(feed_url)
        warm_gzip = load(feed_url, {"Accept-Encoding": "gzip"})
        not_modified = load(feed_url, {"If-None-Match": etag})
        empty = load(f"http://127.0.0.1:{empty_port}/empty")
        print(f"(b) warm feed via gunicorn (2 {WORKER_CLASS} workers): {warm:,.0f} req/s plain, "
              f"{warm_gzip:,.0f} req/s gzip")
        if server is not None:
            static = load(f"http://127.0.0.1:{nginx_port}/feed.ics")
            static_gzip = load(f"http://127.0.0.1:{nginx_port}/feed.ics", {"Accept-Encoding": "gzip"})
            print(f"    nginx static file, same bytes: {static:,.0f} req/s plain, {static_gzip:,.0f} req/s gzip")
            print(f"    planner serving its prepared gzip bytes / nginx serving the static file: "
                  f"{warm_gzip / static:.2f} (target at least 0.5)")
            print(f"    like for like: plain/plain {warm / static:.2f}, gzip/gzip_static {warm_gzip / static_gzip:.2f}")
        else:
            print("    nginx is not installed: no static-file comparison")
        print(f"(c) 304 path: {not_modified:,.0f} req/s; empty Flask route: {empty:,.0f} req/s; "
              f"ratio {not_modified / empty:.2f} (target at least 1.0)")
        per_feed = cache_memory(body)
        print(f"(d) memory per cached feed: {per_feed / 1024:.0f} KiB for a {len(body) / 1024:.0f} KiB body "
              f"(plain and gzip bytes, no Calendar objects)")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
