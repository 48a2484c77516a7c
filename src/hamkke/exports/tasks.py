"""Celery tasks of background exports: running a job, and the hourly purge of expired files."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    name=services.RUN_TASK,
    bind=True,
    acks_late=True,  # acknowledged after the run: a worker killed mid-export gets it handed out again
    reject_on_worker_lost=True,
    max_retries=20,
    soft_time_limit=settings.HAMKKE_EXPORT_TIME_LIMIT_SECONDS,  # SoftTimeLimitExceeded: the job fails cleanly
    time_limit=settings.HAMKKE_EXPORT_TIME_LIMIT_SECONDS + 60,
)
def run_export_job(self, job_id: int) -> str:
    """Run one export job; if another live run holds it, look again when its lease may have run out."""
    claim, job = services.export_job_claim(job_id=job_id)
    if claim is services.Claim.BUSY:
        countdown = min(settings.HAMKKE_EXPORT_LEASE_SECONDS, 5 * 2**self.request.retries)
        raise self.retry(countdown=countdown)
    if claim is services.Claim.FINISHED or job is None:
        return "finished"
    job = services.export_job_run_claimed(job=job)
    logger.info(
        "export job %s %s: %s, %s rows, attempt %s", job.uuid, job.kind, job.status, job.row_count, job.attempts
    )
    return str(job.status)


@shared_task(name="hamkke.exports.purge_expired_exports", acks_late=True)
def purge_expired_exports() -> int:
    """Every hour (beat): the files whose download period is over are deleted."""
    deleted = services.expired_exports_purge()
    if deleted:
        logger.info("export purge: %s expired files deleted", deleted)
    return deleted
