"""Production settings for gunicorn: `gunicorn -c python:planner.gunicorn_conf 'planner.web:create_app()'`."""

import os

bind = os.environ.get("PLANNER_BIND", "127.0.0.1:8000")
# Sync workers: gthread can let one worker hold every keep-alive connection.
workers = int(os.environ.get("PLANNER_WORKERS", "2"))
worker_class = "sync"
logger_class = "planner.web.logs.GunicornLogger"
accesslog = os.environ.get("PLANNER_ACCESS_LOG", "-")
forwarded_allow_ips = os.environ.get("PLANNER_FORWARDED_ALLOW_IPS", "127.0.0.1")
