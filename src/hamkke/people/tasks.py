"""Scheduled retention (celery beat, nightly): anonymise households whose cases closed long ago."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from . import privacy

logger = logging.getLogger(__name__)


@shared_task(
    name="hamkke.people.anonymise_closed_cases",
    acks_late=True,
    autoretry_for=(OperationalError,),  # the database restarting: try again later (the run is idempotent)
    retry_backoff=60,
    max_retries=5,
)
def anonymise_closed_cases() -> dict[str, int]:
    """``manage.py anonymise_closed_cases --apply`` as the system, over every district
    (HAMKKE_CASE_RETENTION_YEARS after closure). Idempotent: anonymised households are not counted again."""
    total = privacy.anonymise_closed_cases(actor=privacy.SYSTEM, apply=True).total()
    counts = {"cases": total.cases, "households": total.households, "persons": total.persons}
    logger.info("retention: anonymised %(cases)s cases, %(households)s households, %(persons)s persons", counts)
    return counts
