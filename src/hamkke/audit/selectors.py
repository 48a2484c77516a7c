"""Reading the access log: auditors and district admins, their own district only."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from hamkke.access.policy import READ_ACCESS_LOG, may
from hamkke.accounts.actor import Actor

from .models import AccessLog, MonthlyReview


def may_read_log(actor: Actor) -> bool:
    return may(actor, READ_ACCESS_LOG)


def seoul_day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, end+1 00:00) in Seoul time, as aware datetimes."""
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    finish = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()))
    return begin, finish


def person_filter(qs: QuerySet, person_id: int) -> QuerySet:
    """Rows whose person_ids contain this id (JSON containment on PostgreSQL; exact text match on SQLite)."""
    if connection.vendor == "postgresql":
        return qs.filter(person_ids__contains=[person_id])
    return qs.filter(person_ids__regex=rf"(^|[\[, ]){person_id}([,\]]|$)")


def access_log_for_actor(
    *,
    actor: Actor,
    start: datetime.date,
    end: datetime.date,
    username: str = "",
    action: str = "",
    case_id: int | None = None,
    person_id: int | None = None,
) -> QuerySet[AccessLog]:
    if not may_read_log(actor):
        return AccessLog.objects.none()
    begin, finish = seoul_day_bounds(start, end)
    qs = AccessLog.objects.filter(district_id=actor.district_id, at__gte=begin, at__lt=finish)
    if username:
        qs = qs.filter(username=username)
    if action:
        qs = qs.filter(action=action)
    if case_id:
        qs = qs.filter(case_id=case_id)
    if person_id:
        qs = person_filter(qs, person_id)
    return qs.order_by("-at", "-id")


def monthly_reviews_for_actor(*, actor: Actor) -> QuerySet[MonthlyReview]:
    if not may_read_log(actor):
        return MonthlyReview.objects.none()
    return MonthlyReview.objects.filter(district_id=actor.district_id).select_related("reviewed_by")
