"""The access log's jobs (celery): nightly retention; the monthly review's flags (``monthflags``)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from hamkke.districts.models import District

from .models import MonthFlagRun
from .monthflags import month_flags_compute, month_flags_failed, month_flags_request
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


@shared_task(
    bind=True,
    name="hamkke.audit.compute_month_flags",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=5,
)
def compute_month_flags(self, district_id: int, month: str) -> int:
    """One district's finished month (``month``: ISO date of any day of it): its flags stored. Idempotent:
    a month already done is not read again; a worker killed midway left nothing (one transaction)."""
    day = datetime.date.fromisoformat(month)
    try:
        run = month_flags_compute(district_id=district_id, month=day)
    except OperationalError:
        if self.request.retries >= self.max_retries:
            month_flags_failed(district_id=district_id, month=day)
        raise
    except Exception:
        month_flags_failed(district_id=district_id, month=day)
        raise
    logger.info(
        "monthly review: district %s %s: %s flags from %s rows", district_id, month[:7], run.flag_count, run.rows_read
    )
    return run.flag_count


@shared_task(
    name="hamkke.audit.schedule_month_flags",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=5,
)
def schedule_month_flags() -> int:
    """celery beat, on the 1st: last month's flags, for every district (each district a job of its own)."""
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    sent = 0
    for district_id in District.objects.order_by("pk").values_list("pk", flat=True):
        sent += month_flags_requested(district_id=district_id, month=last_month).status != MonthFlagRun.Status.DONE
    return sent


def month_flags_requested(*, district_id: int, month: datetime.date) -> MonthFlagRun:
    """The month's run; the job sent (after the commit) when the month is new or its job seems lost. Never
    waits for the job: the review page shows "만드는 중" until the run is done."""
    run, send = month_flags_request(district_id=district_id, month=month)
    if send:
        first = run.month.isoformat()
        transaction.on_commit(lambda: _send(district_id, first))
    return run


def _send(district_id: int, month: str) -> None:
    """A broker that cannot be reached leaves the run pending: the next page after RESEND_AFTER sends it again."""
    try:
        compute_month_flags.delay(district_id, month)
    except BrokerError as error:
        logger.warning("monthly review job of district %s %s not sent (%s)", district_id, month[:7], error)
