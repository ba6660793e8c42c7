"""The shipped gunicorn settings, read by gunicorn's own configuration."""

import importlib
import sys

from gunicorn.config import Config


def gunicorn_worker_class(monkeypatch, **env) -> str:
    for name in ("PLANNER_WORKER_CLASS", "PLANNER_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("planner.gunicorn_conf", None)
    settings = importlib.import_module("planner.gunicorn_conf")
    config = Config()
    for name in ("worker_class", "threads", "workers"):
        config.set(name, getattr(settings, name))
    return config.worker_class_str


def test_gunicorn_conf_runs_sync_workers_by_default(monkeypatch):
    assert gunicorn_worker_class(monkeypatch) == "sync"


def test_gunicorn_conf_runs_gthread_when_asked(monkeypatch):
    assert gunicorn_worker_class(monkeypatch, PLANNER_WORKER_CLASS="gthread") == "gthread"
