"""gunicorn settings for Hamkke (``gunicorn -c deploy/gunicorn.conf.py hamkke.wsgi``).

Every value can be changed from the environment (the systemd unit's EnvironmentFile), so this file
stays as it is in the repository.
"""

import json
import multiprocessing
import os
from pathlib import Path

# nginx in front talks to this address; never expose gunicorn itself.
bind = os.environ.get("HAMKKE_BIND", "127.0.0.1:8000")
# Sync workers: Django's ORM and the request work are blocking. 2 x cores + 1 is gunicorn's rule of thumb.
workers = int(os.environ.get("HAMKKE_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("HAMKKE_WEB_TIMEOUT", 60))  # a report may take seconds; never minutes
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("HAMKKE_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
limit_request_line = 8190

# Access log: JSON lines like the application's, with the request id and without the query string
# (%(U)s is the path only: a query string could carry a search term). The path holds UUIDs, no names.
accesslog = os.environ.get("HAMKKE_ACCESS_LOG", "-")
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "logger": "gunicorn.access",
        "request_id": "%({x-request-id}o)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "remote": "%(h)s",
    }
)
errorlog = "-"
loglevel = os.environ.get("HAMKKE_GUNICORN_LOG_LEVEL", "info")

# Prometheus multiprocess mode (hamkke.ops.metrics): every process (gunicorn's workers and the Celery
# worker's, sharing the directory) writes its counters into it and /metrics sums them. Not emptied here:
# the Celery worker may have started first. /run is emptied at boot; a dead worker's gauges are marked.
PROMETHEUS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if PROMETHEUS_DIR:
        Path(PROMETHEUS_DIR).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if PROMETHEUS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
