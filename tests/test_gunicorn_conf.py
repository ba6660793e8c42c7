"""The shipped gunicorn settings, read by gunicorn's own configuration."""

import importlib
import sys

from gunicorn.config import Config


def gunicorn_config(monkeypatch, settings: tuple[str, ...], **env) -> Config:
    """gunicorn's configuration from planner.gunicorn_conf, loaded anew in the environment `env`."""
    for name in ("PLANNER_WORKER_CLASS", "PLANNER_THREADS", "PLANNER_CONTROL_SOCKET", "PLANNER_INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("planner.gunicorn_conf", None)
    module = importlib.import_module("planner.gunicorn_conf")
    config = Config()
    for name in settings:
        if hasattr(module, name):
            config.set(name, getattr(module, name))
    return config


def gunicorn_worker_class(monkeypatch, **env) -> str:
    return gunicorn_config(monkeypatch, ("worker_class", "threads", "workers"), **env).worker_class_str


def test_gunicorn_conf_runs_sync_workers_by_default(monkeypatch):
    assert gunicorn_worker_class(monkeypatch) == "sync"


def test_gunicorn_conf_runs_gthread_when_asked(monkeypatch):
    assert gunicorn_worker_class(monkeypatch, PLANNER_WORKER_CLASS="gthread") == "gthread"


def test_each_instance_has_its_own_control_socket(monkeypatch, tmp_path):
    """gunicorn's default control socket is one path per host: two instances must not share it."""
    sockets = ("control_socket", "control_socket_disable")
    first = gunicorn_config(monkeypatch, sockets, PLANNER_INSTANCE_PATH=str(tmp_path / "a")).control_socket
    second = gunicorn_config(monkeypatch, sockets, PLANNER_INSTANCE_PATH=str(tmp_path / "b")).control_socket
    assert first == str(tmp_path / "a" / "gunicorn.ctl") and second == str(tmp_path / "b" / "gunicorn.ctl")
    assert Config().control_socket not in (first, second)
    assert gunicorn_config(monkeypatch, sockets, PLANNER_CONTROL_SOCKET="off").control_socket_disable is True


def test_gunicorn_conf_settles_each_worker_heap_before_its_first_request(monkeypatch):
    import gc
    import weakref

    from planner.web.worker import YOUNG_THRESHOLD

    class Node:
        pass

    hook = gunicorn_config(monkeypatch, ("post_worker_init",)).post_worker_init
    before = gc.get_threshold()
    gc.unfreeze()
    try:
        node = Node()
        node.itself = node  # a cycle: only the collector frees it
        witness = weakref.ref(node)
        hook(None)  # gunicorn passes the worker, which the hook does not need
        assert gc.get_freeze_count() > 0  # what the worker holds at that point is out of the collector's way
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
        del node
        hook(None)  # settling again releases what the first one froze and has died since
        assert witness() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
