"""Prometheus metrics (django-prometheus + prometheus_client).

django-prometheus' middleware measures every request: ``django_http_requests_latency_seconds_by_view_method``
is the latency per view (labelled by URL name, never by path, so no id or search term becomes a label).
Added here: the job queue's depth and the job failures. Under gunicorn with several workers, and with the
Celery worker on the same host, set ``PROMETHEUS_MULTIPROC_DIR`` (deploy/ does) so every process's
counters are summed (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os

from django.db.models import Count
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from hamkke.celery import app as celery_app
from hamkke.imports.models import ImportJob

logger = logging.getLogger(__name__)

JOB_FAILURES = Counter("hamkke_job_failures", "Background jobs that failed (after their last retry)", ["job"])


def job_failed(job: str) -> None:
    JOB_FAILURES.labels(job=job).inc()


class JobQueueCollector:
    """Depth of the job queue, read at scrape time from the database (so any web process can answer)."""

    def collect(self):
        depth = GaugeMetricFamily("hamkke_import_jobs", "Import jobs by status (queued = waiting)", labels=["status"])
        counts = dict(ImportJob.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in ImportJob.Status.values:
            depth.add_metric([status], counts.get(status, 0))
        yield depth
        messages = GaugeMetricFamily(
            "hamkke_queue_messages", "Messages waiting in the broker's queue", labels=["queue"]
        )
        queue = celery_app.conf.task_default_queue
        try:
            with celery_app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=3)
                messages.add_metric(
                    [queue], connection.default_channel.queue_declare(queue, passive=True).message_count
                )
        except Exception as error:  # the queue not declared yet, or the broker down (/readyz says which)
            logger.info("queue depth unavailable: %s", type(error).__name__)
        yield messages


class _Default:
    """The process's own default registry (single-process servers: runserver, tests)."""

    def collect(self):
        yield from REGISTRY.collect()


def registry() -> CollectorRegistry:
    collected = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(collected)
    else:
        collected.register(_Default())
    collected.register(JobQueueCollector())
    return collected


def render() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST
