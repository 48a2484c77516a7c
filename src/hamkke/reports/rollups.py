"""The year's figures already counted (issue 15 item 3): monthly rollups of service and contact records.

A year of a metro district is 250,000 service records and 400,000 contacts; counting them on every
view of the figures took seconds. The rollup tables (reports.models) hold, per district and Seoul
month, exactly what the statistics count of them:
- services by provider agency × life domain × mode (count, amount) and by provider agency × the
  dong of the case's household (count, amount) — the agency is crossed with each breakdown because
  an agency's figures show its own domains, modes and dongs; domain × dong is never shown, and
  crossing everything would be no smaller than the records;
- contacts by agency × kind × outcome.
The other figures stay live, each one query on an index: households taken on (a household counts in
the month of its *first* case, which a back-dated case or a merge moves to another month — not
additive, so not rolled up), cases opened, active at the period's end (a stock, with the case's
current type and crisis level), closures, referrals and conferences.

**Exact at every moment.** A month is read from the rollups only when it is whole in the period,
was counted by a refresh (``RollupMonth``), and has no ``RollupDirty`` mark since. Marks are written
by database triggers (reports/rollup_triggers.py: why triggers) in the transaction of any change
that touches a month: a new record (today's, or back-dated into a past month), an edit (both the
month it left and the month it entered), a deletion, a case or household moving. Every other month
— the current one as soon as anything is written, a back-dated one, one never counted, the partial
months at the edges of a custom period — is counted live from the records and added. So the figures
equal a direct count whatever happened since the last refresh; the refresh only decides how much is
read from the rollups.

**Refresh** (``rollup_refresh``: the nightly Celery beat job ``hamkke.reports.refresh_rollups`` and
``manage.py refresh_rollups``): counts again every marked month, and every month from the
district's first record to the current one that was never counted. It deletes only the marks it
read *before* counting, so a change committed while it counts leaves its mark and its month stays live.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from hamkke.districts.models import District
from hamkke.records.models import ContactRecord, ServiceRecord

from .models import ContactMonth, RollupDirty, RollupMonth, RollupSource, ServiceDongMonth, ServiceKindMonth
from .periods import Period, add_months, seoul_midnight

SERVICES = RollupSource.SERVICES
CONTACTS = RollupSource.CONTACTS
ONE_DAY = datetime.timedelta(days=1)


def month_last_day(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - ONE_DAY


# --- Reading: which months come from the rollups, which are counted live ----------------------------


@dataclass(frozen=True)
class Split:
    """A period cut into months read from the rollups and ranges of days counted live."""

    counted: tuple[datetime.date, ...]  # first days of whole, counted, unchanged months
    live: tuple[tuple[datetime.date, datetime.date], ...]  # (first day, last day), both included

    def live_dates(self, field: str) -> Q:
        """Records whose date ``field`` falls in a live range (nothing when there is none)."""
        q = Q(pk__in=[])
        for first, last in self.live:
            q |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
        return q

    def live_moments(self, field: str) -> Q:
        """Records whose moment ``field`` falls in a live range, between Seoul midnights."""
        q = Q(pk__in=[])
        for first, last in self.live:
            q |= Q(**{f"{field}__gte": seoul_midnight(first), f"{field}__lt": seoul_midnight(last + ONE_DAY)})
        return q

    def live_months(self, period: Period) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
        """(month, first day, last day) of each month's live part, for per-month live counts."""
        parts = []
        for first, last in self.live:
            month = first.replace(day=1)
            while month <= last:
                parts.append((month, max(first, month), min(last, month_last_day(month))))
                month = add_months(month, 1)
        return parts


def split_period(*, district_id: int, source: str, period: Period) -> Split:
    """Two small queries: the counted months of the period, and which of them changed since."""
    whole = [m for m in period.months() if m >= period.start and month_last_day(m) <= period.end]
    counted: set[datetime.date] = set()
    if whole:
        counted = set(
            RollupMonth.objects.filter(district_id=district_id, source=source, month__in=whole).values_list(
                "month", flat=True
            )
        )
    if counted:  # the marks matter only for months counted
        counted -= set(
            RollupDirty.objects.filter(district_id=district_id, source=source, month__in=sorted(counted))
            .values_list("month", flat=True)
            .distinct()
        )
    live: list[tuple[datetime.date, datetime.date]] = []
    for month in period.months():
        if month in counted:
            continue
        first, last = max(period.start, month), min(period.end, month_last_day(month))
        if live and live[-1][1] + ONE_DAY == first:
            live[-1] = (live[-1][0], last)
        else:
            live.append((first, last))
    return Split(counted=tuple(sorted(counted)), live=tuple(live))


# --- Refreshing ---------------------------------------------------------------------------------------


def _services_of(district_id: int, month: datetime.date) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(
        district_id=district_id, provided_on__gte=month, provided_on__lte=month_last_day(month)
    ).order_by()


def _count_services(district_id: int, month: datetime.date) -> None:
    rows = _services_of(district_id, month)
    ServiceKindMonth.objects.filter(district_id=district_id, month=month).delete()
    ServiceDongMonth.objects.filter(district_id=district_id, month=month).delete()
    for agency in ("provider_agency_id", None):  # per agency, then summed over all (agency NULL)
        by = [agency] if agency else []
        ServiceKindMonth.objects.bulk_create(
            ServiceKindMonth(
                district_id=district_id,
                month=month,
                agency_id=row.get("provider_agency_id"),
                domain=row["domain"],
                mode=row["mode"],
                n=row["n"],
                amount=row["total"] or 0,
            )
            for row in rows.values(*by, "domain", "mode").annotate(n=Count("pk"), total=Sum("amount"))
        )
        ServiceDongMonth.objects.bulk_create(
            ServiceDongMonth(
                district_id=district_id,
                month=month,
                agency_id=row.get("provider_agency_id"),
                dong_id=row["case__household__dong_id"],
                n=row["n"],
                amount=row["total"] or 0,
            )
            for row in rows.values(*by, "case__household__dong_id").annotate(n=Count("pk"), total=Sum("amount"))
        )


def _count_contacts(district_id: int, month: datetime.date) -> None:
    rows = ContactRecord.objects.filter(
        district_id=district_id,
        contacted_at__gte=seoul_midnight(month),
        contacted_at__lt=seoul_midnight(add_months(month, 1)),
    ).order_by()
    ContactMonth.objects.filter(district_id=district_id, month=month).delete()
    for agency in ("agency_id", None):
        by = [agency] if agency else []
        ContactMonth.objects.bulk_create(
            ContactMonth(
                district_id=district_id,
                month=month,
                agency_id=row.get("agency_id"),
                kind=row["kind"],
                outcome=row["outcome"],
                n=row["n"],
            )
            for row in rows.values(*by, "kind", "outcome").annotate(n=Count("pk"))
        )


def rollup_rows(model: type[models.Model], *, district_id: int, agency_ids: tuple[int, ...] | None) -> QuerySet:
    """Rollup rows of a scope: the all-agencies rows for the district, else the chosen agencies' rows."""
    rows = model._default_manager.filter(district_id=district_id).order_by()
    if agency_ids is None:
        return rows.filter(agency__isnull=True)
    return rows.filter(agency_id__in=agency_ids)


COUNTERS = {SERVICES: _count_services, CONTACTS: _count_contacts}


def _first_month(district_id: int, source: str) -> datetime.date | None:
    if source == SERVICES:
        first = ServiceRecord.objects.filter(district_id=district_id).aggregate(first=Min("provided_on"))["first"]
        return first.replace(day=1) if first else None
    moment = ContactRecord.objects.filter(district_id=district_id).aggregate(first=Min("contacted_at"))["first"]
    return timezone.localtime(moment).date().replace(day=1) if moment else None


def _recount_month(district_id: int, source: str, month: datetime.date, marks: list[int]) -> None:
    with transaction.atomic():
        # One refresh of a district at a time (the nightly job and the command may meet): FOR NO KEY
        # UPDATE does not block the records' foreign-key checks on the district.
        District.objects.select_for_update(no_key=True).filter(pk=district_id).first()
        COUNTERS[source](district_id, month)
        RollupMonth.objects.update_or_create(
            district_id=district_id, source=source, month=month, defaults={"refreshed_at": timezone.now()}
        )
        RollupDirty.objects.filter(pk__in=marks).delete()


@dataclass
class RefreshResult:
    months: int = 0  # (district, source, month) counted again
    seconds: float = 0.0


def rollup_refresh(*, district_id: int | None = None, full: bool = False) -> RefreshResult:
    """Count again the marked months and the months never counted (``full``: every month).

    Idempotent and safe to interrupt: each month is replaced in its own transaction."""
    began, result = time.perf_counter(), RefreshResult()
    current = timezone.localdate().replace(day=1)
    districts = District.objects.order_by("pk")
    if district_id is not None:
        districts = districts.filter(pk=district_id)
    for district in districts.values_list("pk", flat=True):
        marks = list(RollupDirty.objects.filter(district_id=district).values_list("pk", "source", "month"))
        for source in (SERVICES, CONTACTS):
            todo: dict[datetime.date, list[int]] = {}
            for pk, marked_source, month in marks:
                if marked_source == source:
                    todo.setdefault(month, []).append(pk)
            first = _first_month(district, source)
            counted = set(
                RollupMonth.objects.filter(district_id=district, source=source).values_list("month", flat=True)
            )
            month = first
            while month is not None and month <= current:
                if full or month not in counted:
                    todo.setdefault(month, [])
                month = add_months(month, 1)
            for month in sorted(todo):
                _recount_month(district, source, month, todo[month])
                result.months += 1
    result.seconds = time.perf_counter() - began
    return result
