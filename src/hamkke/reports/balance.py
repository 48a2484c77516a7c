"""Caseload balance (사례 부담 균형) for team leaders: who carries how much, weighted by the work a case asks.

Care for the workers (the district's workshop report ends with a promise against worker stress):
a supervisor sees each worker's open cases weighted by case type and crisis level, the overdue work,
the refusing households they keep visiting, and the long cases.

Weights, stated so that a district can argue with them:
- case type: the district's own monitoring interval says how intensive it is, 30 days = 1
  (고난도 every 14 days → 2, 서비스연계 every 90 days → 0.5), clamped to 0.5 … 2;
- crisis level: 위기(상) × 2, 중 × 1.5, 하 or none × 1.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import CASEWORK, SUPERVISE_TEAM, may, roles_with
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership
from hamkke.cases.models import Case, CrisisLevel
from hamkke.cases.stages import INACTIVE, Stage
from hamkke.records.monitoring import SCOPE_AGENCY, overdue_for_actor

CRISIS_WEIGHT = {CrisisLevel.HIGH: 2.0, CrisisLevel.MEDIUM: 1.5, CrisisLevel.LOW: 1.0, "": 1.0}
BASE_MONITORING_DAYS = 30
LONG_CASE_YEARS = 2
HEAVY_RATIO = 1.3  # a load this much above the team's mean is shown as heavy


def type_weight(monitoring_days: int | None) -> float:
    if not monitoring_days:
        return 1.0
    return min(2.0, max(0.5, BASE_MONITORING_DAYS / monitoring_days))


@dataclass
class WorkerBalance:
    worker: object
    role: str
    cases: int = 0
    weighted: float = 0.0
    high_crisis: int = 0
    overdue: int = 0
    refusing: int = 0
    long_cases: int = 0
    ratio: float = 0.0  # weighted load / the team's mean

    @property
    def heavy(self) -> bool:
        return self.ratio >= HEAVY_RATIO


def caseload_balance(*, actor: Actor, today: datetime.date | None = None) -> list[WorkerBalance]:
    """One row per case worker of the supervisor's agency (every active one, even at 0), heaviest first."""
    if not may(actor, SUPERVISE_TEAM):
        raise PermissionDenied(_("사례 부담 균형은 팀장만 볼 수 있습니다."))
    today = today or timezone.localdate()
    members = (
        Membership.objects.filter(
            district_id=actor.district_id, agency_id=actor.agency_id, is_active=True, role__in=roles_with(CASEWORK)
        )
        .select_related("user")
        .order_by("user__display_name", "user__username")
    )
    rows = {m.user_id: WorkerBalance(worker=m.user, role=m.get_role_display()) for m in members}
    long_before = (
        today.replace(year=today.year - LONG_CASE_YEARS)
        if not (today.month == 2 and today.day == 29)
        else (today.replace(year=today.year - LONG_CASE_YEARS, day=28))
    )
    cases = (
        Case.objects.filter(district_id=actor.district_id, lead_agency_id=actor.agency_id)
        .exclude(stage__in=INACTIVE)
        .values_list("lead_worker_id", "stage", "crisis_level", "case_type__monitoring_days", "opened_on")
    )
    for worker_id, stage, crisis, monitoring_days, opened_on in cases:
        row = rows.get(worker_id)
        if row is None:  # a lead worker who has left the agency: their cases still need a home
            continue
        row.cases += 1
        row.weighted += CRISIS_WEIGHT.get(crisis, 1.0) * type_weight(monitoring_days)
        row.high_crisis += crisis == CrisisLevel.HIGH
        row.refusing += stage == Stage.REFUSED
        row.long_cases += opened_on <= long_before
    overdue: Counter = Counter(
        row.case.lead_worker_id for row in overdue_for_actor(actor=actor, scope=SCOPE_AGENCY, today=today)
    )
    for worker_id, count in overdue.items():
        if worker_id in rows:
            rows[worker_id].overdue = count
    result = list(rows.values())
    loads = [row.weighted for row in result]
    mean = sum(loads) / len(loads) if loads else 0
    for row in result:
        row.weighted = round(row.weighted, 1)
        row.ratio = round(row.weighted / mean, 2) if mean else 0.0
    return sorted(result, key=lambda row: (-row.weighted, str(row.worker)))


def orphan_cases(*, actor: Actor) -> int:
    """Open cases of the agency whose lead worker is no longer an active case worker there."""
    if not may(actor, SUPERVISE_TEAM):
        return 0
    active = Membership.objects.filter(agency_id=actor.agency_id, is_active=True, role__in=roles_with(CASEWORK)).values(
        "user_id"
    )
    return (
        Case.objects.filter(district_id=actor.district_id, lead_agency_id=actor.agency_id)
        .exclude(stage__in=INACTIVE)
        .exclude(lead_worker_id__in=active)
        .count()
    )
