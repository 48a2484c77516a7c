"""The Celery application: background jobs (imports, the periodic sweep, retention, reminders).

    celery -A hamkke worker -l INFO     # runs the tasks (``python3 dev.py demo`` starts one)
    celery -A hamkke beat -l INFO       # sends the scheduled ones (settings.CELERY_BEAT_SCHEDULE)

Configuration comes from Django's settings under the ``CELERY_`` prefix: ``CELERY_BROKER_URL``
(Redis in production; the demo's default is kombu's filesystem transport under ``var/celery``,
which needs no server) and ``CELERY_RESULT_BACKEND`` (optional: job state lives in the database).
Each app's ``tasks.py`` is found by autodiscovery.
"""

import os

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

try:
    import resource
except ImportError:  # Windows: no rlimits (the demo's worker still runs, unbounded)
    resource = None  # type: ignore[assignment]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkke.settings")

app = Celery("hamkke")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def limit_memory(**kwargs) -> None:
    """Bound each pool process's memory: past the limit an allocation raises MemoryError, which the
    task turns into a failed job with a message, instead of the kernel's OOM killer taking the
    machine's other processes with it. The limit is the address space the process already has plus
    ``HAMKKE_WORKER_MAX_MEMORY_MB`` (a fixed number would depend on the libraries' mappings)."""
    budget = settings.HAMKKE_WORKER_MAX_MEMORY_MB
    if budget > 0 and resource is not None:
        try:
            apply_memory_limit(budget)
        except OSError:  # no /proc (macOS): left unbounded
            pass


def apply_memory_limit(budget_mb: int) -> int:
    """Set this process's soft RLIMIT_AS to its current size + ``budget_mb``; return the limit in bytes."""
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * resource.getpagesize()
    limit = current + budget_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit
