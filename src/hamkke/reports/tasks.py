"""The nightly statistics rollup (celery beat): count again the months changed since the last refresh."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from .rollups import rollup_refresh

logger = logging.getLogger(__name__)


@shared_task(
    name="hamkke.reports.refresh_rollups",
    acks_late=True,
    autoretry_for=(OperationalError,),  # the database restarting: try again later (each month is replaced whole)
    retry_backoff=60,
    max_retries=5,
)
def refresh_rollups() -> dict[str, float]:
    """``manage.py refresh_rollups`` over every district. Idempotent: a second run finds nothing to count."""
    result = rollup_refresh()
    logger.info("rollups: %s months counted again in %.1f s", result.months, result.seconds)
    return {"months": result.months, "seconds": round(result.seconds, 1)}
