"""Scheduled retention of the access log (celery beat, nightly)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from .services import access_log_purge

logger = logging.getLogger(__name__)


@shared_task(
    name="hamkke.audit.purge_access_log",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=5,
)
def purge_access_log() -> int:
    """``manage.py purge_access_log --apply``: rows older than HAMKKE_ACCESS_LOG_RETENTION_DAYS (>= 730)."""
    deleted = access_log_purge(older_than_days=settings.HAMKKE_ACCESS_LOG_RETENTION_DAYS, dry_run=False)
    logger.info(
        "retention: %s access-log rows older than %s days deleted", deleted, settings.HAMKKE_ACCESS_LOG_RETENTION_DAYS
    )
    return deleted
