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

from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce
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

from .periods import Period, seoul_midnight

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


def _counter_rows(counter: Counter, labels: Iterable[tuple[str, str]], amounts: dict | None = None) -> list[Row]:
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


def _first_cases(scope: ReportScope, period: Period) -> list[tuple[int, datetime.date, int]]:
    """(household, opened_on, dong) of each household whose first case in the district is in the period."""
    first = (
        Case.objects.filter(district_id=scope.district_id, household_id=OuterRef("household_id"))
        .order_by("opened_on", "pk")
        .values("pk")[:1]
    )
    return list(
        Case.objects.filter(scope.q("lead_agency_id"), opened_on__gte=period.start, opened_on__lte=period.end)
        .annotate(first_id=Subquery(first))
        .filter(pk=F("first_id"))
        .values_list("household_id", "opened_on", "household__dong_id")
    )


def _active_at_end(scope: ReportScope, period: Period) -> list[tuple[str, int | None, str, int]]:
    """(stage at the end, case type, crisis level, dong) of every case active when the period ends."""
    last_stage = (
        StageChange.objects.filter(case_id=OuterRef("pk"), changed_at__lt=period.end_at)
        .order_by("-changed_at", "-pk")
        .values("to_stage")[:1]
    )
    rows = (
        Case.objects.filter(scope.q("lead_agency_id"), opened_on__lte=period.end)
        .annotate(stage_at_end=Coalesce(Subquery(last_stage), F("stage")))
        .values_list("stage_at_end", "case_type_id", "crisis_level", "household__dong_id")
    )
    return [row for row in rows if row[0] not in INACTIVE]


def _closures(scope: ReportScope, period: Period) -> Counter:
    """Closure reason -> cases closed in the period (each case once)."""
    closed = (
        StageChange.objects.filter(
            district_id=scope.district_id,
            to_stage=Stage.CLOSED,
            changed_at__gte=period.start_at,
            changed_at__lt=period.end_at,
        )
        .filter(scope.q("case__lead_agency_id"))
        .values_list("case_id", "case__closure_reason", "case__closed_on")
    )
    reasons = {}
    for case_id, reason, closed_on in closed:
        still = reason and closed_on is not None and period.start <= closed_on <= period.end
        reasons[case_id] = reason if still else REOPENED
    return Counter(reasons.values())


@dataclass
class _ServiceTotals:
    """Services of the period counted in two queries: by (domain, mode, agency, dong), and by day."""

    groups: list[dict]
    months: Counter
    month_amounts: Counter

    KEYS = {"domain": "domain", "mode": "mode", "agency": "provider_agency_id", "dong": "case__household__dong_id"}

    def by(self, key: str) -> tuple[Counter, Counter]:
        counts, amounts = Counter(), Counter()
        for group in self.groups:
            counts[group[self.KEYS[key]]] += group["n"]
            amounts[group[self.KEYS[key]]] += int(group["total"] or 0)
        return counts, amounts


def _services(scope: ReportScope, period: Period) -> _ServiceTotals:
    services = ServiceRecord.objects.filter(
        scope.q("provider_agency_id"), provided_on__gte=period.start, provided_on__lte=period.end
    ).order_by()
    groups = list(services.values(*_ServiceTotals.KEYS.values()).annotate(n=Count("pk"), total=Sum("amount")))
    months, amounts = Counter(), Counter()
    for day in services.values("provided_on").annotate(n=Count("pk"), total=Sum("amount")):
        months[day["provided_on"].replace(day=1)] += day["n"]
        amounts[day["provided_on"].replace(day=1)] += int(day["total"] or 0)
    return _ServiceTotals(groups, months, amounts)


@dataclass
class _ContactTotals:
    matrix: Counter  # (kind, outcome) -> n
    months: Counter


def _contacts(scope: ReportScope, period: Period) -> _ContactTotals:
    """Contacts by kind and outcome, and per month, in one query.

    Months are counted between Seoul midnights in SQL (no time-zone function per row, which
    SQLite would run in Python for every contact).
    """
    months = period.months()
    bounds = [max(period.start_at, seoul_midnight(m)) for m in months] + [period.end_at]
    per_month = {
        f"m{i}": Count("pk", filter=Q(contacted_at__gte=bounds[i], contacted_at__lt=bounds[i + 1]))
        for i in range(len(months))
    }
    rows = (
        ContactRecord.objects.filter(
            scope.q("agency_id"), contacted_at__gte=period.start_at, contacted_at__lt=period.end_at
        )
        .order_by()
        .values("kind", "outcome")
        .annotate(n=Count("pk"), **per_month)
    )
    matrix, by_month = Counter(), Counter()
    for row in rows:
        matrix[(row["kind"], row["outcome"])] += row["n"]
        for i, month in enumerate(months):
            by_month[month] += row[f"m{i}"]
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
    opened = Case.objects.filter(
        scope.q("lead_agency_id"), opened_on__gte=period.start, opened_on__lte=period.end
    ).values_list("opened_on", flat=True)
    opened_by_month = Counter(day.replace(day=1) for day in opened)
    active = _active_at_end(scope, period)
    closures = _closures(scope, period)

    services = _services(scope, period)
    by_domain, by_agency, by_dong, by_mode = (services.by(key) for key in ("domain", "agency", "dong", "mode"))
    contacts = _contacts(scope, period)
    matrix = contacts.matrix
    kind_counts, outcome_counts = Counter(), Counter()
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
    held = dict(conferences.values_list("pk", "kind").distinct())
    discussed = (
        ConferenceCase.objects.filter(district_id=scope.district_id, conference_id__in=list(held))
        .values("case_id")
        .distinct()
        .count()
    )

    dong_labels = _dong_labels(scope)
    outcomes = ContactRecord.Outcome.choices
    household_dongs = Counter(dong for _h, _day, dong in first_cases)
    active_dongs = Counter(row[3] for row in active)
    type_labels = list(CaseType.objects.filter(district_id=scope.district_id).values_list("pk", "name"))
    stats = Statistics(
        period=period,
        scope=scope,
        households_new=len({household for household, _day, _dong in first_cases}),
        cases_opened=len(opened),
        cases_active=len(active),
        active_by_stage=_counter_rows(
            Counter(row[0] for row in active), [(s, label) for s, label in Stage.choices if s not in INACTIVE]
        ),
        active_by_type=_counter_rows(Counter(row[1] for row in active), type_labels + [(None, _("미분류"))]),
        active_by_crisis=_counter_rows(Counter(row[2] for row in active), CrisisLevel.choices + [(UNSET, _("미조사"))]),
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
        conferences_held=sum(1 for kind in held.values() if kind == Conference.Kind.CASE_CONFERENCE),
        workshops_held=sum(1 for kind in held.values() if kind == Conference.Kind.WORKSHOP),
        cases_discussed=discussed,
        months=[
            MonthRow(
                month,
                sum(1 for _h, day, _d in first_cases if day.replace(day=1) == month),
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
    counts, labels = Counter(), {}
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
