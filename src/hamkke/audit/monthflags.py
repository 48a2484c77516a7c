"""The month's flags for the auditor's monthly review, computed once and stored (issue 16 item 5).

A month of a metro district's access log is millions of rows: the review page and the sign-off cannot run
the rules over it on every view. The job (``tasks.compute_month_flags``: celery beat on the 1st for the
month before, or sent when the review page first asks for a finished month) streams the month's rows through
``flags.FlagRules`` and stores the flags (``MonthFlag``) with a run row (``MonthFlagRun``). The review shows
them grouped by kind and user (``month_flag_groups``) and the sign-off names the groups seen.

A finished month gains no rows (a row's time is the time it is written), so the stored flags stay true.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from .flags import CHUNK_SIZE, FLAG_LABELS, FlagRules, period_chunks
from .models import Action, MonthFlag, MonthFlagRun
from .selectors import seoul_day_bounds

# A run asked for but not done after this long (its message lost, its worker gone, or it failed) is sent again
# by the next page that asks for it.
RESEND_AFTER = datetime.timedelta(minutes=15)
# The viewer's action filter for the kinds that are one action.
KIND_ACTIONS = {"denied": Action.DENIED, "emergency": Action.EMERGENCY}


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.datetime, datetime.datetime]:
    """The month's first day and its [start, end) in Seoul time."""
    first = month.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    begin, finish = seoul_day_bounds(first, last)
    return first, begin, finish


def month_finished(month: datetime.date, *, today: datetime.date | None = None) -> bool:
    first = month.replace(day=1)
    return (first + datetime.timedelta(days=32)).replace(day=1) <= (today or timezone.localdate())


def month_flags_request(*, district_id: int, month: datetime.date) -> tuple[MonthFlagRun, bool]:
    """The month's run, created if it is new; and whether the caller should send the job: for a new run, or a
    run not done RESEND_AFTER after it was asked for (once: concurrent callers race on ``requested_at``)."""
    first = month.replace(day=1)
    now = timezone.now()
    run, created = MonthFlagRun.objects.get_or_create(
        district_id=district_id, month=first, defaults={"requested_at": now}
    )
    if created:
        return run, True
    if run.status != MonthFlagRun.Status.DONE and run.requested_at <= now - RESEND_AFTER:
        resent = MonthFlagRun.objects.filter(pk=run.pk, requested_at=run.requested_at).update(requested_at=now)
        return run, bool(resent)
    return run, False


def month_flags_compute(
    *, district_id: int, month: datetime.date, chunk_size: int = CHUNK_SIZE, again: bool = False
) -> MonthFlagRun:
    """Compute and store a finished month's flags; idempotent: a done run is left as it is (unless ``again``),
    and a run started again replaces its flags in one transaction (the run row locked: two workers given the
    same month compute it once). Memory: one chunk of rows and the rules' windows, whatever the month's size."""
    first, begin, finish = month_bounds(month)
    MonthFlagRun.objects.get_or_create(district_id=district_id, month=first, defaults={"requested_at": timezone.now()})
    with transaction.atomic():
        run = MonthFlagRun.objects.select_for_update().get(district_id=district_id, month=first)
        if run.status == MonthFlagRun.Status.DONE and not again:
            return run
        MonthFlag.objects.filter(run=run).delete()
        rules = FlagRules(begin)
        rows = stored = 0
        for chunk in period_chunks(district_id=district_id, start=begin, end=finish, chunk_size=chunk_size):
            rows += len(chunk)
            flags = rules.feed(chunk)
            MonthFlag.objects.bulk_create(
                MonthFlag(run=run, kind=f.kind, log_id=f.log_id, at=f.at, username=f.username, detail=f.detail[:300])
                for f in flags
            )
            stored += len(flags)
        run.status = MonthFlagRun.Status.DONE
        run.rows_read, run.flag_count, run.computed_at = rows, stored, timezone.now()
        run.groups = _groups_of(run)
        run.save(update_fields=["status", "rows_read", "flag_count", "computed_at", "groups"])
    return run


def month_flags_failed(*, district_id: int, month: datetime.date) -> None:
    MonthFlagRun.objects.filter(district_id=district_id, month=month.replace(day=1)).exclude(
        status=MonthFlagRun.Status.DONE
    ).update(status=MonthFlagRun.Status.FAILED)


@dataclass(frozen=True)
class FlagGroup:
    """The flags of one kind for one user in the month: what the auditor looks at and signs off."""

    kind: str
    username: str
    count: int
    first: datetime.datetime
    last: datetime.datetime

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.username}"

    @property
    def label(self):
        return FLAG_LABELS[self.kind]

    def viewer_query(self) -> dict[str, str]:
        """The viewer's filter for these rows: the user, the days from the first to the last (and the action
        where the kind is one); the viewer marks the flagged rows."""
        query = {
            "start": timezone.localtime(self.first).date().isoformat(),
            "end": timezone.localtime(self.last).date().isoformat(),
            "username": self.username,
        }
        if self.kind in KIND_ACTIONS:
            query["action"] = KIND_ACTIONS[self.kind]
        return query


def _groups_of(run: MonthFlagRun) -> list[list]:
    rows = (
        MonthFlag.objects.filter(run=run)
        .values_list("kind", "username")
        .annotate(count=Count("id"), first=Min("at"), last=Max("at"))
        .order_by()
    )
    return [[kind, username, count, first.isoformat(), last.isoformat()] for kind, username, count, first, last in rows]


def month_flag_groups(*, run: MonthFlagRun) -> list[FlagGroup]:
    """The run's flags grouped by kind and user: the kinds in FLAG_LABELS order, the users with most first."""
    order = {kind: index for index, kind in enumerate(FLAG_LABELS)}
    groups = [
        FlagGroup(kind, username, count, datetime.datetime.fromisoformat(first), datetime.datetime.fromisoformat(last))
        for kind, username, count, first, last in run.groups
    ]
    return sorted(groups, key=lambda g: (order.get(g.kind, len(order)), -g.count, g.username))
