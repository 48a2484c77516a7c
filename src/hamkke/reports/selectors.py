"""The year's figures (issue 5): statistics for any period and scope, and the dashboards.

Who sees which figures (``report_scope``):
- worker, supervisor, agency admin: their own agency's figures — cases their agency leads,
  services and contacts their agency recorded as provider, referrals it sent or received,
  conferences it hosted or took part in;
- district case-management admin: the whole district, or any agencies of it;
- auditor, no membership: nothing (PermissionDenied -> 403); another district: never (every
  query starts with the actor's district).
Aggregate figures are not personal data, so they need no case scope; the raw exports do
(``records.exports``, through ``cases_in_scope``).

How each figure is counted (the accuracy test checks every one of them against plain Python):
- households newly taken on: households whose FIRST case in the district (earliest ``opened_on``,
  then lowest id) was opened in the period — a household with two cases in a year counts once,
  and a household known from an earlier year does not count again. With an agency scope, the
  household belongs to the lead agency of that first case, so agencies add up to the district;
- cases opened: every case opened in the period (a household may have several);
- active cases at the end of the period: opened by then, and the stage they were in at the
  period's last moment (the last stage change before it) is neither closed nor follow-up.
  Type and crisis level are the case's current ones (their history is not kept per stage);
- closed cases: cases moved to 종결 during the period (counted once however often), by their
  closure reason; a case reopened since then no longer has the reason of that closure and is
  counted under "reopened since";
- services: ``provided_on`` (a local date) in the period; contacts, referrals (by ``sent_at``)
  and conferences (held, by ``scheduled_at``): UTC moments between the Seoul midnights.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import (
    AGENCY_REPORTS,
    CASEWORK,
    DISTRICT_WIDE,
    SUPERVISE_TEAM,
    VIEW_CASE,
    VIEW_REPORTS,
    cases_in_scope,
    may,
    roles_with,
)
from hamkke.access.sensitive import withhold_fields
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership
from hamkke.cases.models import Case, CaseType, ClosureReason, CrisisLevel, StageChange
from hamkke.cases.stages import INACTIVE, Stage
from hamkke.conferences.models import Conference, ConferenceCase, Task
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency, Dong
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral

from . import rollups
from .models import ContactMonth, ServiceDongMonth, ServiceKindMonth
from .periods import Period, seoul_midnight

ONE_DAY = datetime.timedelta(days=1)
REOPENED = "reopened"
UNSET = ""
ACCEPTED_STATUSES = (Referral.Status.ACCEPTED, Referral.Status.COMPLETED)


# --- Scope ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """Which figures: one district, and either all its agencies (``agency_ids`` None) or some."""

    district_id: int
    district_name: str
    agency_ids: tuple[int, ...] | None
    agency_names: tuple[str, ...] = ()

    @property
    def is_district(self) -> bool:
        return self.agency_ids is None

    @property
    def label(self) -> str:
        if self.is_district:
            return _("%(district)s 전체") % {"district": self.district_name}
        return f"{self.district_name} · " + ", ".join(self.agency_names)

    @property
    def rollup(self) -> dict:
        """The arguments of ``rollups.rollup_rows`` for this scope."""
        return {"district_id": self.district_id, "agency_ids": self.agency_ids}

    def q(self, agency_field: str | None) -> Q:
        """District first, then the agencies (ARCHITECTURE.md, Tenancy)."""
        condition = Q(district_id=self.district_id)
        if self.agency_ids is not None and agency_field:
            condition &= Q(**{f"{agency_field}__in": self.agency_ids})
        return condition


def may_see_reports(actor: Actor) -> bool:
    return may(actor, VIEW_REPORTS)


def report_agencies(*, actor: Actor) -> QuerySet[Agency]:
    """The agencies the actor may choose figures for: the district's (admin) or their own."""
    if not may_see_reports(actor):
        return Agency.objects.none()
    agencies = Agency.objects.filter(district_id=actor.district_id)
    if not may(actor, DISTRICT_WIDE):
        agencies = agencies.filter(pk=actor.agency_id)
    return agencies.order_by("name")


def report_scope(*, actor: Actor, agency_ids: Iterable[int] | None = None) -> ReportScope:
    """The scope of the actor's figures; PermissionDenied for anything beyond it (fails closed)."""
    if not may_see_reports(actor):
        raise PermissionDenied(_("통계를 볼 권한이 없습니다."))
    wanted = sorted(set(agency_ids or ()))
    if actor.membership is None:
        raise PermissionDenied(_("통계를 볼 권한이 없습니다."))
    district_name = actor.membership.district.name
    if may(actor, DISTRICT_WIDE) and not wanted:
        return ReportScope(actor.district_id, district_name, None)
    if not wanted:
        wanted = [actor.agency_id]
    agencies = list(report_agencies(actor=actor).filter(pk__in=wanted))
    if len(agencies) != len(wanted):
        raise PermissionDenied(_("이 기관의 통계를 볼 권한이 없습니다."))
    return ReportScope(actor.district_id, district_name, tuple(a.pk for a in agencies), tuple(a.name for a in agencies))


# --- Figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a count and, for services, the amount in won."""

    key: str
    label: str
    count: int
    amount: int = 0


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    households_new: int
    cases_opened: int
    services: int
    amount: int
    contacts: int

    @property
    def label(self) -> str:
        return f"{self.month:%Y.%m}"


@dataclass(frozen=True)
class DongRow:
    key: str
    label: str
    households_new: int
    cases_active: int
    services: int
    amount: int


@dataclass(frozen=True)
class ContactLine:
    key: str
    label: str
    counts: tuple[int, ...]  # one per ContactRecord.Outcome, in choice order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ReferralFigures:
    total: int
    accepted: int  # accepted or completed since
    declined: int
    waiting: int
    completed: int
    withdrawn: int
    responded: int
    median_hours: float | None

    @property
    def median_label(self) -> str:
        return response_time_label(self.median_hours)


def response_time_label(hours: float | None) -> str:
    if hours is None:
        return "-"
    if hours < 48:
        return _("%(h)s시간") % {"h": f"{hours:.1f}"}
    return _("%(d)s일") % {"d": f"{hours / 24:.1f}"}


@dataclass
class Statistics:
    period: Period
    scope: ReportScope
    households_new: int
    cases_opened: int
    cases_active: int
    active_by_stage: list[Row]
    active_by_type: list[Row]
    active_by_crisis: list[Row]
    cases_closed: int
    closed_by_reason: list[Row]
    services_count: int
    services_amount: int
    services_by_domain: list[Row]
    services_by_agency: list[Row]
    services_by_dong: list[Row]
    services_by_mode: list[Row]
    contacts_total: int
    contacts_by_kind: list[Row]
    contacts_by_outcome: list[Row]
    contact_lines: list[ContactLine]
    referrals_sent: ReferralFigures
    referrals_received: ReferralFigures
    conferences_held: int
    workshops_held: int
    cases_discussed: int
    months: list[MonthRow]
    dongs: list[DongRow]
    generated_at: datetime.datetime = field(default_factory=timezone.now)
    seconds: float = 0.0

    @property
    def outcome_labels(self) -> list[str]:
        return [str(label) for _value, label in ContactRecord.Outcome.choices]


def _counter_rows(counter: Counter, labels: Iterable[tuple[Any, Any]], amounts: dict | None = None) -> list[Row]:
    """Rows for every label (zeros included, in the given order), then any key not labelled."""
    amounts = amounts or {}
    rows, seen = [], set()
    for key, label in labels:
        seen.add(key)
        rows.append(Row(str(key), str(label), counter.get(key, 0), int(amounts.get(key) or 0)))
    rows += [Row(str(key), str(key), n, int(amounts.get(key) or 0)) for key, n in counter.items() if key not in seen]
    return rows


def _agency_labels(scope: ReportScope, extra_ids: Iterable) -> list[tuple[int, str]]:
    """The scope's agencies (the district's: the active ones plus any with figures), by name."""
    agencies = Agency.objects.filter(district_id=scope.district_id)
    if scope.agency_ids is not None:
        agencies = agencies.filter(pk__in=scope.agency_ids)
    else:
        agencies = agencies.filter(Q(is_active=True) | Q(pk__in=list(extra_ids)))
    return list(agencies.order_by("name").values_list("pk", "name"))


def _dong_labels(scope: ReportScope) -> list[tuple[int, str]]:
    return list(Dong.objects.filter(district_id=scope.district_id).order_by("name").values_list("pk", "name"))


def _first_cases(scope: ReportScope, period: Period) -> Counter[tuple[datetime.date, int]]:
    """(month, dong) -> households whose first case in the district was opened in the period, that month.

    Live, not rolled up: a household counts in the month of its first case, which a back-dated case
    or a household merge moves to another month. Cases of the period with no earlier case of their
    household (an anti-join: one pass over the district's cases, not a probe per case)."""
    earlier = Case.objects.filter(district_id=scope.district_id, household_id=OuterRef("household_id")).filter(
        Q(opened_on__lt=OuterRef("opened_on")) | Q(opened_on=OuterRef("opened_on"), pk__lt=OuterRef("pk"))
    )
    rows = (
        Case.objects.filter(scope.q("lead_agency_id"), opened_on__gte=period.start, opened_on__lte=period.end)
        .filter(~Exists(earlier))
        .order_by()
        .values(month=TruncMonth("opened_on"), dong=F("household__dong_id"))
        .annotate(n=Count("pk"))
    )
    return Counter({(_as_date(row["month"]), row["dong"]): row["n"] for row in rows})


def _as_date(day: datetime.date) -> datetime.date:
    """TruncMonth of a date column: a date (a datetime on some backends)."""
    return day.date() if isinstance(day, datetime.datetime) else day


ActiveRow = tuple[str, int | None, str, int]  # stage at the end, case type, crisis level, dong


def _active_at_end(scope: ReportScope, period: Period) -> Counter[ActiveRow]:
    """Cases active when the period ends, counted by (stage at the end, case type, crisis level, dong).

    A case whose last stage change (``stage_changed_at``: stage changes are never dated before the
    previous one, cases.services) is before the end was in its current stage then: grouped in SQL.
    Only cases changed since (or with no recorded change time) look up their stage at the end."""
    cases = Case.objects.filter(scope.q("lead_agency_id"), opened_on__lte=period.end).order_by()
    columns = ("case_type_id", "crisis_level", "household__dong_id")
    counts: Counter[ActiveRow] = Counter()
    settled = (
        cases.filter(stage_changed_at__lt=period.end_at)
        .exclude(stage__in=INACTIVE)
        .values("stage", *columns)
        .annotate(n=Count("pk"))
    )
    for row in settled:
        counts[(row["stage"], *(row[c] for c in columns))] += row["n"]
    last_stage = (
        StageChange.objects.filter(case_id=OuterRef("pk"), changed_at__lt=period.end_at)
        .order_by("-changed_at", "-pk")
        .values("to_stage")[:1]
    )
    changed_since = (
        cases.filter(Q(stage_changed_at__isnull=True) | Q(stage_changed_at__gte=period.end_at))
        .annotate(stage_at_end=Coalesce(Subquery(last_stage), F("stage")))
        .values("stage_at_end", *columns)
        .annotate(n=Count("pk"))
    )
    for row in changed_since:
        if row["stage_at_end"] not in INACTIVE:
            counts[(row["stage_at_end"], *(row[c] for c in columns))] += row["n"]
    return counts


def _closures(scope: ReportScope, period: Period) -> Counter:
    """Closure reason -> cases closed in the period (each case once), counted in SQL.

    The reason is the case's, while its closure is still in the period; a case reopened since (no
    reason, or closed again later) counts under "reopened since"."""
    still = Q(case__closed_on__gte=period.start, case__closed_on__lte=period.end) & ~Q(case__closure_reason="")
    closed = (
        StageChange.objects.filter(
            district_id=scope.district_id,
            to_stage=Stage.CLOSED,
            changed_at__gte=period.start_at,
            changed_at__lt=period.end_at,
        )
        .filter(scope.q("case__lead_agency_id"))
        .order_by()
        .annotate(why=DbCase(When(still, then=F("case__closure_reason")), default=Value(REOPENED)))
        .values("why")
        .annotate(n=Count("case_id", distinct=True))
    )
    return Counter({row["why"]: row["n"] for row in closed})


_SERVICE_KEYS = ("domain", "mode", "agency", "dong")
Amount = Decimal | int | None


@dataclass
class _ServiceTotals:
    """Services of the period: count and amount by each breakdown, and per month."""

    counts: dict[str, Counter] = field(default_factory=lambda: {key: Counter() for key in _SERVICE_KEYS})
    amounts: dict[str, Counter] = field(default_factory=lambda: {key: Counter() for key in _SERVICE_KEYS})
    months: Counter = field(default_factory=Counter)
    month_amounts: Counter = field(default_factory=Counter)

    def add(self, key: str, value: object, n: int, amount: Amount) -> None:
        self.counts[key][value] += n
        self.amounts[key][value] += int(amount or 0)

    def add_month(self, month: datetime.date, n: int, amount: Amount) -> None:
        self.months[month] += n
        self.month_amounts[month] += int(amount or 0)

    def by(self, key: str) -> tuple[Counter, Counter]:
        return self.counts[key], self.amounts[key]


def _services(scope: ReportScope, period: Period) -> _ServiceTotals:
    """Whole counted months from the rollups (reports/rollups.py), the rest live from the records."""
    totals = _ServiceTotals()
    split = rollups.split_period(district_id=scope.district_id, source=rollups.SERVICES, period=period)
    if split.counted:
        kinds = rollups.rollup_rows(ServiceKindMonth, **scope.rollup).filter(month__in=split.counted)
        for row in kinds.values("month", "agency_id", "domain", "mode").annotate(n=Sum("n"), total=Sum("amount")):
            totals.add("domain", row["domain"], row["n"], row["total"])
            totals.add("mode", row["mode"], row["n"], row["total"])
            totals.add_month(row["month"], row["n"], row["total"])
            if not scope.is_district:
                totals.add("agency", row["agency_id"], row["n"], row["total"])
        if scope.is_district:  # by agency: the per-agency rows (a few thousand; no month needed)
            by_agency = ServiceKindMonth.objects.filter(
                district_id=scope.district_id, agency__isnull=False, month__in=split.counted
            ).order_by()
            for row in by_agency.values("agency_id").annotate(n=Sum("n"), total=Sum("amount")):
                totals.add("agency", row["agency_id"], row["n"], row["total"])
        dongs = rollups.rollup_rows(ServiceDongMonth, **scope.rollup).filter(month__in=split.counted)
        for row in dongs.values("dong_id").annotate(n=Sum("n"), total=Sum("amount")):
            totals.add("dong", row["dong_id"], row["n"], row["total"])
    if split.live:
        live = ServiceRecord.objects.filter(scope.q("provider_agency_id"), split.live_dates("provided_on")).order_by()
        columns = {
            "domain": "domain",
            "mode": "mode",
            "agency": "provider_agency_id",
            "dong": "case__household__dong_id",
        }
        for row in live.values(*columns.values()).annotate(n=Count("pk"), total=Sum("amount")):
            for key, column in columns.items():
                totals.add(key, row[column], row["n"], row["total"])
        for day in live.values("provided_on").annotate(n=Count("pk"), total=Sum("amount")):
            totals.add_month(day["provided_on"].replace(day=1), day["n"], day["total"])
    return totals


@dataclass
class _ContactTotals:
    matrix: Counter  # (kind, outcome) -> n
    months: Counter


def _contacts(scope: ReportScope, period: Period) -> _ContactTotals:
    """Contacts by kind and outcome, and per month: counted months from the rollups, the rest live.

    Live months are counted between Seoul midnights in SQL (no time-zone function per row, which
    SQLite would run in Python for every contact), all in one query.
    """
    matrix: Counter[tuple[str, str]] = Counter()
    by_month: Counter[datetime.date] = Counter()
    split = rollups.split_period(district_id=scope.district_id, source=rollups.CONTACTS, period=period)
    if split.counted:
        counted = rollups.rollup_rows(ContactMonth, **scope.rollup).filter(month__in=split.counted)
        for row in counted.values("month", "kind", "outcome").annotate(n=Sum("n")):
            matrix[(row["kind"], row["outcome"])] += row["n"]
            by_month[row["month"]] += row["n"]
    if split.live:
        parts = split.live_months(period)
        per_month = {
            f"m{i}": Count(
                "pk", filter=Q(contacted_at__gte=seoul_midnight(first), contacted_at__lt=seoul_midnight(last + ONE_DAY))
            )
            for i, (_month, first, last) in enumerate(parts)
        }
        rows = (
            ContactRecord.objects.filter(scope.q("agency_id"), split.live_moments("contacted_at"))
            .order_by()
            .values("kind", "outcome")
            .annotate(n=Count("pk"), **per_month)
        )
        for row in rows:
            counts: dict[str, Any] = dict(row)  # the per-month columns are named at run time
            matrix[(counts["kind"], counts["outcome"])] += counts["n"]
            for i, (month, _first, _last) in enumerate(parts):
                by_month[month] += counts[f"m{i}"]
    return _ContactTotals(matrix, by_month)


def _referral_figures(rows: list[tuple[str, datetime.datetime, datetime.datetime | None]]) -> ReferralFigures:
    statuses = Counter(status for status, _sent, _responded in rows)
    hours = [(responded - sent).total_seconds() / 3600 for _status, sent, responded in rows if responded]
    return ReferralFigures(
        total=len(rows),
        accepted=sum(statuses[s] for s in ACCEPTED_STATUSES),
        declined=statuses[Referral.Status.DECLINED],
        waiting=statuses[Referral.Status.SENT],
        completed=statuses[Referral.Status.COMPLETED],
        withdrawn=statuses[Referral.Status.WITHDRAWN],
        responded=len(hours),
        median_hours=statistics.median(hours) if hours else None,
    )


def statistics_for_scope(*, scope: ReportScope, period: Period) -> Statistics:
    """Every figure of the report for a resolved scope (callers get the scope from ``report_scope``)."""
    began = time.perf_counter()

    first_cases = _first_cases(scope, period)
    opened = (
        Case.objects.filter(scope.q("lead_agency_id"), opened_on__gte=period.start, opened_on__lte=period.end)
        .order_by()
        .values(month=TruncMonth("opened_on"))
        .annotate(n=Count("pk"))
    )
    opened_by_month: Counter[datetime.date] = Counter({_as_date(row["month"]): row["n"] for row in opened})
    active = _active_at_end(scope, period)
    closures = _closures(scope, period)

    services = _services(scope, period)
    by_domain, by_agency, by_dong, by_mode = (services.by(key) for key in ("domain", "agency", "dong", "mode"))
    contacts = _contacts(scope, period)
    matrix = contacts.matrix
    kind_counts: Counter[str] = Counter()
    outcome_counts: Counter[str] = Counter()
    for (kind, outcome), n in matrix.items():
        kind_counts[kind] += n
        outcome_counts[outcome] += n

    referrals = Referral.objects.filter(
        district_id=scope.district_id, sent_at__gte=period.start_at, sent_at__lt=period.end_at
    )
    fields = ("status", "sent_at", "responded_at")
    sent = list(referrals.filter(scope.q("from_agency_id")).values_list(*fields))
    received = list(referrals.filter(scope.q("to_agency_id")).values_list(*fields))

    conferences = Conference.objects.filter(
        district_id=scope.district_id,
        status=Conference.Status.HELD,
        scheduled_at__gte=period.start_at,
        scheduled_at__lt=period.end_at,
    )
    if scope.agency_ids is not None:
        conferences = conferences.filter(Q(host_agency_id__in=scope.agency_ids) | Q(agencies__in=scope.agency_ids))
    held: Counter[str] = Counter(
        {row["kind"]: row["n"] for row in conferences.order_by().values("kind").annotate(n=Count("pk", distinct=True))}
    )
    discussed = (
        ConferenceCase.objects.filter(district_id=scope.district_id, conference__in=conferences.values("pk"))
        .values("case_id")
        .distinct()
        .count()
    )

    dong_labels = _dong_labels(scope)
    outcomes = ContactRecord.Outcome.choices
    household_dongs: Counter[int] = Counter()
    household_months: Counter[datetime.date] = Counter()
    for (month, dong), n in first_cases.items():
        household_dongs[dong] += n
        household_months[month] += n
    active_dongs: Counter = Counter()
    by_stage: Counter = Counter()
    by_type: Counter = Counter()
    by_crisis: Counter = Counter()
    for (stage, case_type, crisis, dong), n in active.items():
        active_dongs[dong] += n
        by_stage[stage] += n
        by_type[case_type] += n
        by_crisis[crisis] += n
    type_labels = list(CaseType.objects.filter(district_id=scope.district_id).values_list("pk", "name"))
    stats = Statistics(
        period=period,
        scope=scope,
        households_new=first_cases.total(),
        cases_opened=opened_by_month.total(),
        cases_active=active.total(),
        active_by_stage=_counter_rows(by_stage, [(s, label) for s, label in Stage.choices if s not in INACTIVE]),
        active_by_type=_counter_rows(by_type, type_labels + [(None, _("미분류"))]),
        active_by_crisis=_counter_rows(by_crisis, CrisisLevel.choices + [(UNSET, _("미조사"))]),
        cases_closed=sum(closures.values()),
        closed_by_reason=_counter_rows(closures, ClosureReason.choices + [(REOPENED, _("이후 다시 열림"))]),
        services_count=sum(by_mode[0].values()),
        services_amount=sum(by_mode[1].values()),
        services_by_domain=_counter_rows(by_domain[0], LifeDomain.choices, by_domain[1]),
        services_by_agency=_counter_rows(by_agency[0], _agency_labels(scope, by_agency[0]), by_agency[1]),
        services_by_dong=_counter_rows(by_dong[0], dong_labels, by_dong[1]),
        services_by_mode=_counter_rows(by_mode[0], ServiceRecord.Mode.choices, by_mode[1]),
        contacts_total=sum(matrix.values()),
        contacts_by_kind=_counter_rows(kind_counts, ContactRecord.Kind.choices),
        contacts_by_outcome=_counter_rows(outcome_counts, outcomes),
        contact_lines=[
            ContactLine(kind, str(label), tuple(matrix.get((kind, o), 0) for o, _l in outcomes))
            for kind, label in ContactRecord.Kind.choices
        ],
        referrals_sent=_referral_figures(sent),
        referrals_received=_referral_figures(received),
        conferences_held=held[Conference.Kind.CASE_CONFERENCE],
        workshops_held=held[Conference.Kind.WORKSHOP],
        cases_discussed=discussed,
        months=[
            MonthRow(
                month,
                household_months[month],
                opened_by_month[month],
                services.months[month],
                services.month_amounts[month],
                contacts.months[month],
            )
            for month in period.months()
        ],
        dongs=[
            DongRow(
                str(pk),
                name,
                household_dongs[pk],
                active_dongs[pk],
                by_dong[0].get(pk, 0),
                int(by_dong[1].get(pk) or 0),
            )
            for pk, name in dong_labels
        ],
    )
    stats.seconds = time.perf_counter() - began
    return stats


def report_statistics(
    *, actor: Actor, start: datetime.date, end: datetime.date, agency_ids: Iterable[int] | None = None
) -> Statistics:
    """All figures from ``start`` to ``end`` (both days included, Seoul dates) within the actor's scope."""
    scope = report_scope(actor=actor, agency_ids=agency_ids)
    return statistics_for_scope(scope=scope, period=Period.custom(start, end))


def statistics_for_actor(*, actor: Actor, period: Period, agency_ids: Iterable[int] | None = None) -> Statistics:
    """As ``report_statistics``, for a period chosen on the form (keeps its kind for the labels)."""
    return statistics_for_scope(scope=report_scope(actor=actor, agency_ids=agency_ids), period=period)


# --- Raw rows (personal data: case scope) ---------------------------------------------------------------


# --- Dashboards ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerLoad:
    worker: object
    role: str
    total: int
    high_crisis: int
    waiting: int  # refused or on hold: still visited, never silently dropped
    by_stage: dict


@dataclass
class Dashboard:
    view: str  # "worker", "supervisor", "agency" or "district"
    stats: Statistics
    my_stages: list[Row] = field(default_factory=list)
    my_total: int = 0
    overdue: list | None = None  # None: monitoring not available in this deployment
    overdue_by_kind: list[Row] = field(default_factory=list)
    tasks_open: int = 0
    tasks_overdue: int = 0
    tasks_due: list[Task] = field(default_factory=list)
    team: list[WorkerLoad] = field(default_factory=list)
    overdue_by_worker: list | None = None


def _overdue(actor: Actor, scope: str):
    """Overdue monitoring from the records app (hamkke.records.monitoring), when it is installed."""
    try:
        from hamkke.records.monitoring import overdue_for_actor
    except ImportError:
        return None
    return overdue_for_actor(actor=actor, scope=scope)


def _overdue_by_worker(rows):
    try:
        from hamkke.records.monitoring import overdue_by_worker
    except ImportError:
        return None
    return overdue_by_worker(rows)


def my_cases_by_stage(*, actor: Actor) -> list[Row]:
    """The actor's own open cases (lead worker or named on the team), by current stage."""
    from hamkke.cases.selectors import case_list_for_actor

    counts = Counter(
        {
            r["stage"]: r["n"]
            for r in case_list_for_actor(actor=actor, mine_only=True)
            .order_by()
            .values("stage")
            .annotate(n=Count("pk", distinct=True))
        }
    )
    return [row for row in _counter_rows(counts, Stage.choices) if row.count or row.key not in INACTIVE]


def team_caseload(*, actor: Actor) -> list[WorkerLoad]:
    """Open cases the actor's agency leads, per lead worker (every active worker listed, even at 0)."""
    members = (
        Membership.objects.filter(
            district_id=actor.district_id,
            agency_id=actor.agency_id,
            is_active=True,
            role__in=roles_with(CASEWORK),
        )
        .select_related("user")
        .order_by("user__display_name", "user__username")
    )
    per_worker: dict[int, Counter] = defaultdict(Counter)
    high: Counter = Counter()
    rows = (
        Case.objects.filter(district_id=actor.district_id, lead_agency_id=actor.agency_id)
        .exclude(stage__in=INACTIVE)
        .order_by()
        .values("lead_worker_id", "stage", "crisis_level")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        per_worker[row["lead_worker_id"]][row["stage"]] += row["n"]
        if row["crisis_level"] == CrisisLevel.HIGH:
            high[row["lead_worker_id"]] += row["n"]
    return [
        WorkerLoad(
            worker=m.user,
            role=m.get_role_display(),
            total=sum(per_worker[m.user_id].values()),
            high_crisis=high[m.user_id],
            waiting=per_worker[m.user_id][Stage.REFUSED] + per_worker[m.user_id][Stage.ON_HOLD],
            by_stage=dict(per_worker[m.user_id]),
        )
        for m in members
    ]


def _open_tasks(actor: Actor) -> QuerySet[Task]:
    return (
        Task.objects.filter(district_id=actor.district_id, assignee_id=actor.user.pk, status=Task.Status.OPEN)
        .select_related("conference")
        .order_by("due_on", "pk")
    )


def dashboard_for_actor(*, actor: Actor, period: Period, agency_ids: Iterable[int] | None = None) -> Dashboard:
    """The dashboard of the actor's role: their own work, their team's, or the district's figures."""
    stats = statistics_for_actor(actor=actor, period=period, agency_ids=agency_ids)
    if may(actor, DISTRICT_WIDE):
        return Dashboard(view="district", stats=stats)
    if may(actor, AGENCY_REPORTS):
        return Dashboard(view="agency", stats=stats, team=team_caseload(actor=actor))

    today = timezone.localdate()
    supervisor = may(actor, SUPERVISE_TEAM)
    overdue = _overdue(actor, "mine")
    tasks = _open_tasks(actor)
    my_stages = my_cases_by_stage(actor=actor)
    dashboard = Dashboard(
        view="supervisor" if supervisor else "worker",
        stats=stats,
        my_stages=my_stages,
        my_total=sum(row.count for row in my_stages if row.key not in INACTIVE),
        overdue=overdue,
        overdue_by_kind=_overdue_kinds(overdue or []),
        tasks_open=tasks.count(),
        tasks_overdue=tasks.filter(due_on__lt=today).count(),
        tasks_due=list(tasks[:5]),
    )
    if supervisor:
        dashboard.team = team_caseload(actor=actor)
        team_overdue = _overdue(actor, "agency")
        dashboard.overdue_by_worker = None if team_overdue is None else _overdue_by_worker(team_overdue)
    return dashboard


def _overdue_kinds(rows) -> list[Row]:
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for row in rows:
        counts[row.kind] += 1
        labels[row.kind] = str(row.label)
    return [Row(kind, labels[kind], n) for kind, n in counts.most_common()]


# --- Case stories -----------------------------------------------------------------------------------


def stories_in_scope(actor: Actor) -> QuerySet:
    """Stories of the cases the actor may read (the story is about a case: it follows the case's scope)."""
    from .models import CaseStory

    if actor.membership is None:
        return CaseStory.objects.none()
    return CaseStory.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, VIEW_CASE))


def story_list_for_actor(*, actor: Actor) -> list:
    """Waiting for approval first, then returned, then approved; newest first within each.

    A story is told from the whole timeline: its text is withheld (``sensitive_withheld``) from a
    reader without the sensitive-data permission on its case (hamkke.access.sensitive), here and in
    ``story_get_for_actor`` and ``story_for_case``."""
    from .models import CaseStory

    waiting_first = DbCase(
        When(status=CaseStory.Status.PENDING, then=0), When(status=CaseStory.Status.RETURNED, then=1), default=2
    )
    stories = (
        stories_in_scope(actor)
        .select_related("agency", "written_by", "decided_by", "case")
        .order_by(waiting_first, "-updated_at")
    )
    return withhold_fields(stories, actor=actor)


def approved_stories_for_workshop(*, actor: Actor) -> QuerySet:
    """Approved stories the actor may read, newest decision first (the workshop pack picks from these)."""
    from .models import CaseStory

    return (
        stories_in_scope(actor)
        .filter(status=CaseStory.Status.APPROVED)
        .select_related("agency", "case__case_type")
        .order_by("-decided_at")
    )


def story_get_for_actor(*, actor: Actor, uuid):
    """One story, or CaseStory.DoesNotExist outside the actor's scope."""
    from .models import CaseStory

    stories = stories_in_scope(actor).select_related("case", "agency", "written_by", "decided_by").filter(uuid=uuid)
    found = withhold_fields(stories, actor=actor)
    if not found:
        raise CaseStory.DoesNotExist
    return found[0]


def story_for_case(*, actor: Actor, case: Case):
    """The case's story (or None) as the actor may read it; the caller holds the case in scope."""
    from .models import CaseStory

    stories = CaseStory.objects.filter(district_id=case.district_id, case=case)
    found = withhold_fields(stories.select_related("written_by", "decided_by"), actor=actor)
    return found[0] if found else None


def story_candidate_cases(*, actor: Actor) -> QuerySet[Case]:
    """Cases a story can be written about (their agency leads them: CHANGE_CASE): a worker's own,
    a supervisor's whole team's."""
    from hamkke.access.policy import CHANGE_CASE
    from hamkke.cases.selectors import case_list_for_actor

    mine_only = not may(actor, SUPERVISE_TEAM)
    return case_list_for_actor(actor=actor, mine_only=mine_only, include_inactive=True).filter(
        pk__in=cases_in_scope(actor, CHANGE_CASE).values("pk")
    )
