"""Production settings for gunicorn: `gunicorn -c python:planner.gunicorn_conf 'planner.web:create_app()'`.

Sync workers by default. gthread workers keep connections alive (good for many
subscribed calendar clients), but one worker can collect every keep-alive connection
and leave the others idle, so their connections are capped per worker. Threads are only
set for gthread: gunicorn silently turns a sync worker with more than one thread into gthread.
"""

import os
from pathlib import Path

from planner.config import default_instance_path
from planner.web.logs import install_redaction

install_redaction()  # the master's and the workers' log lines, access log included

bind = os.environ.get("PLANNER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PLANNER_WORKERS", "2"))
worker_class = os.environ.get("PLANNER_WORKER_CLASS", "sync")
threads = int(os.environ.get("PLANNER_THREADS", "4" if worker_class == "gthread" else "1"))
worker_connections = int(os.environ.get("PLANNER_WORKER_CONNECTIONS", "16"))
keepalive = int(os.environ.get("PLANNER_KEEPALIVE", "5"))
accesslog = os.environ.get("PLANNER_ACCESS_LOG", "-")
# gunicorn's control socket (for `gunicornc`) defaults to one path shared by every gunicorn on the host, so
# a second instance would take it over: keep it in this instance's folder, or switch it off with "off".
_instance = Path(os.environ.get("PLANNER_INSTANCE_PATH") or default_instance_path())
_control = os.environ.get("PLANNER_CONTROL_SOCKET") or str(_instance / "gunicorn.ctl")
if _control.lower() == "off":
    control_socket_disable = True
else:
    Path(_control).parent.mkdir(parents=True, exist_ok=True)
    control_socket = _control
forwarded_allow_ips = os.environ.get("PLANNER_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker) -> None:
    """The worker has loaded the app: settle its heap before the first request (see planner.web.worker)."""
    from planner.web.worker import settle

    settle()
