"""Celery tasks of the imports app: running an import job, and the periodic sweep of the queue.

Both are idempotent: a job is claimed in the database before it runs (``services.import_job_claim``),
so a message delivered twice, or re-sent by the sweep, runs a job at most once at a time and imports
its rows at most once (one transaction, kept only while the job is still the run's own).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    name=services.RUN_TASK,
    bind=True,
    acks_late=True,  # acknowledged after the run: a worker killed mid-import gets it handed out again
    reject_on_worker_lost=True,
    max_retries=20,
    soft_time_limit=settings.HAMKKE_IMPORT_TIME_LIMIT_SECONDS,  # SoftTimeLimitExceeded: the job fails cleanly
    time_limit=settings.HAMKKE_IMPORT_TIME_LIMIT_SECONDS + 60,
)
def run_import_job(self, job_id: int) -> str:
    """Run one import job; if another live run holds it, look again when its lease may have run out."""
    claim, job = services.import_job_claim(job_id=job_id)
    if claim is services.Claim.BUSY:
        # Backoff: the holder renews its lease while alive; when it died the lease runs out (or the
        # sweep sees its process gone), and this retry takes the job.
        countdown = min(settings.HAMKKE_IMPORT_LEASE_SECONDS, 5 * 2**self.request.retries)
        raise self.retry(countdown=countdown)
    if claim is services.Claim.FINISHED or job is None:
        return "finished"
    job = services.import_job_run_claimed(job=job)
    logger.info(
        "import job %s %s %s: %s, %s rows, %s created, %s skipped, %s problems, attempt %s",
        job.uuid,
        job.kind,
        job.mode,
        job.status,
        job.total_rows,
        job.created_count,
        job.skipped_count,
        len(job.problems),
        job.attempts,
    )
    return str(job.status)


@shared_task(name="hamkke.imports.sweep_import_jobs", acks_late=True)
def sweep_import_jobs() -> dict:
    """Every minute (beat): jobs whose run died are queued again or shown interrupted; queued jobs
    whose message may have been lost are sent again."""
    sweep = services.import_jobs_sweep()
    for job_id in sweep.requeue:
        services.import_job_enqueue(job_id)
    if sweep.requeue or sweep.interrupted:
        logger.warning("import sweep: %s sent again, %s interrupted", len(sweep.requeue), sweep.interrupted)
    return {"requeued": len(sweep.requeue), "interrupted": sweep.interrupted}
