"""Outcomes (성과): how far goals were attained, by case type and by life domain — not only counts.

Each goal counts once, with its latest rating (plans.GoalReview, goal attainment scale −2 … +2) made
in the period. The scope is the lead agency's cases (reports.selectors.ReportScope), like the other
figures. Reads only codes and numbers: no personal data leaves this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from hamkke.core.domains import LifeDomain
from hamkke.plans.models import GoalReview

from .periods import Period
from .selectors import ReportScope


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    goals: int  # goals rated in the period
    mean: float  # mean attainment, −2 … +2
    met: int  # goals rated 0 or better (attained as expected, or more)

    @property
    def met_share(self) -> int:
        return round(100 * self.met / self.goals) if self.goals else 0


@dataclass(frozen=True)
class Outcomes:
    by_case_type: list[OutcomeRow]
    by_domain: list[OutcomeRow]
    total: OutcomeRow


def _rows(groups: dict[str, list[int]], labels: dict[str, str]) -> list[OutcomeRow]:
    rows = [
        OutcomeRow(label=labels.get(key, key), goals=len(v), mean=round(sum(v) / len(v), 2), met=sum(s >= 0 for s in v))
        for key, v in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row.goals, row.label))


def goal_outcomes(*, scope: ReportScope, period: Period) -> Outcomes:
    """The latest rating of each goal rated in the period, grouped by case type and by the need's domain."""
    in_period = GoalReview.objects.filter(
        scope.q("goal__plan__case__lead_agency_id"), reviewed_on__gte=period.start, reviewed_on__lte=period.end
    )
    latest = in_period.filter(goal=OuterRef("goal")).order_by("-reviewed_on", "-id").values("id")[:1]
    rows = in_period.filter(id=Subquery(latest)).values_list(
        "attainment", "goal__plan__case__case_type__name", "goal__need__domain"
    )
    by_type: dict[str, list[int]] = defaultdict(list)
    by_domain: dict[str, list[int]] = defaultdict(list)
    scores = []
    for attainment, case_type, domain in rows:
        by_type[case_type or _("구분 전")].append(attainment)
        by_domain[domain].append(attainment)
        scores.append(attainment)
    total = _rows({"all": scores}, {"all": _("합계")})[0] if scores else OutcomeRow(_("합계"), 0, 0.0, 0)
    return Outcomes(
        by_case_type=_rows(by_type, {}),
        by_domain=_rows(by_domain, dict(LifeDomain.choices)),
        total=total,
    )
