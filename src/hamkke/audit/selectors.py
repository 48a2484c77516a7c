"""Reading the access log: auditors and district admins, their own district only."""

from __future__ import annotations

import datetime
import uuid as uuid_lib

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from hamkke.access.policy import READ_ACCESS_LOG, may
from hamkke.accounts.actor import Actor
from hamkke.people.models import Person

from .models import AccessLog, MonthlyReview

PERSONS_PER_FILTER = 20


def may_read_log(actor: Actor) -> bool:
    return may(actor, READ_ACCESS_LOG)


def seoul_day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, end+1 00:00) in Seoul time, as aware datetimes."""
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    finish = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()))
    return begin, finish


def person_condition(person_id: int) -> Q:
    """Rows whose person_ids contain this id (JSON containment on PostgreSQL, answered by the GIN index of
    migration 0008; exact text match on SQLite)."""
    if connection.vendor == "postgresql":
        return Q(person_ids__contains=[person_id])
    return Q(person_ids__regex=rf"(^|[\[, ]){person_id}([,\]]|$)")


def person_filter(qs: QuerySet, person_id: int) -> QuerySet:
    return qs.filter(person_condition(person_id))


def log_persons_named(*, actor: Actor, name: str) -> list[str]:
    """The public ids of the district's persons with this exact name, for the viewer's person filter.

    The viewer puts these in its URL instead of the name (issue 11, finding 9)."""
    if not may_read_log(actor) or not name.strip():
        return []
    rows = Person.objects.filter(district_id=actor.district_id, name=name.strip()).order_by("pk")
    return [str(u) for u in rows.values_list("uuid", flat=True)[:PERSONS_PER_FILTER]]


def log_person_ids(*, actor: Actor, uuids: list[str]) -> list[int]:
    """The district's persons among these public ids (malformed ones are ignored)."""
    valid = []
    for value in uuids[:PERSONS_PER_FILTER]:
        try:
            valid.append(uuid_lib.UUID(value))
        except ValueError:
            continue
    if not may_read_log(actor) or not valid:
        return []
    return list(Person.objects.filter(district_id=actor.district_id, uuid__in=valid).values_list("pk", flat=True))


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
