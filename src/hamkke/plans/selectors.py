"""Reads of service plans. Every function takes a case the caller already holds through a scoped
selector (hamkke.cases.selectors.case_get_for_actor) and filters on its district first.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from hamkke.access.sensitive import visible_rows
from hamkke.accounts.actor import Actor
from hamkke.approvals.models import ApprovalRequest
from hamkke.assessment.models import Need
from hamkke.cases.models import Case

from .models import Ask, Goal, GoalReview, PlanAction, ServicePlan


def plan_versions(*, case: Case) -> QuerySet[ServicePlan]:
    """Every version of the case's plan, newest first (older versions stay readable)."""
    return ServicePlan.objects.filter(district_id=case.district_id, case=case).order_by("-version")


def plan_latest(*, case: Case) -> ServicePlan | None:
    """The latest version: the one being written, or in force when no new one is being written."""
    return plan_versions(case=case).select_related("case").first()


def _with_goals(plans: QuerySet[ServicePlan], *, actor: Actor, case: Case) -> QuerySet[ServicePlan]:
    """``plans`` with their goals → actions → asks and reviews as ``actor`` may read them: goals for a
    health need and actions under them or using a health strength only with the sensitive-data
    permission (hamkke.access.sensitive). ``plans`` are of ``case`` only (the rule then asks about it alone)."""
    asks = Ask.objects.select_related("recorded_by").order_by("-asked_on", "-id")
    actions = visible_rows(PlanAction.objects.all(), actor=actor, case=case)
    actions = actions.select_related("strength", "resource").prefetch_related(Prefetch("asks", queryset=asks))
    reviews = GoalReview.objects.select_related("recorded_by").order_by("-reviewed_on", "-id")
    goals = (
        visible_rows(Goal.objects.all(), actor=actor, case=case)
        .select_related("need")
        .prefetch_related(Prefetch("actions", queryset=actions.order_by("id")), Prefetch("reviews", queryset=reviews))
        .order_by("id")
    )
    return plans.prefetch_related(Prefetch("goals", goals))


def plans_for_case(*, actor: Actor, case: Case) -> QuerySet[ServicePlan]:
    """Every version, oldest first, with the goals and actions the actor may read."""
    return _with_goals(plan_versions(case=case).order_by("version"), actor=actor, case=case)


def plan_detail(*, actor: Actor, case: Case, version: int | None = None) -> ServicePlan | None:
    """A version (default: the latest) with its goals → actions → asks, in a fixed number of queries,
    as ``actor`` may read them.

    Raises ServicePlan.DoesNotExist for a version that does not exist.
    """
    qs = _with_goals(plan_versions(case=case).select_related("case", "created_by"), actor=actor, case=case)
    if version is None:
        return qs.first()
    return qs.get(version=version)


def plan_goal(*, plan: ServicePlan, goal_id) -> Goal:
    """A goal of this plan, or Goal.DoesNotExist."""
    return Goal.objects.select_related("need", "plan__case").get(district_id=plan.district_id, plan=plan, pk=goal_id)


def plan_action(*, case: Case, uuid) -> PlanAction:
    """An action of any version of this case's plan, or PlanAction.DoesNotExist."""
    return PlanAction.objects.select_related("goal__plan__case").get(
        district_id=case.district_id, goal__plan__case=case, uuid=uuid
    )


def case_ask(*, case: Case, ask_id) -> Ask:
    return Ask.objects.select_related("case").get(district_id=case.district_id, case=case, pk=ask_id)


def asks_without_action(*, case: Case) -> QuerySet[Ask]:
    """묻고 의논하고 부탁하기 not tied to one action (e.g. asked while assessing)."""
    return (
        Ask.objects.filter(district_id=case.district_id, case=case, action__isnull=True)
        .select_related("recorded_by")
        .order_by("-asked_on", "-id")
    )


def goal_needs(*, case: Case) -> QuerySet[Need]:
    """Needs a goal may be tied to: selected (선택) and agreed (합의한 욕구 written)."""
    return (
        Need.objects.filter(district_id=case.district_id, case=case, status=Need.Status.SELECTED)
        .exclude(agreed_text="")
        .order_by("id")
    )


def plan_return_comment(*, plan: ServicePlan) -> str:
    """Why the supervisor returned the plan (the latest returned approval's comment), if it was returned."""
    if plan.status != ServicePlan.Status.RETURNED:
        return ""
    approval = (
        ApprovalRequest.objects.filter(district_id=plan.district_id, plan=plan, status=ApprovalRequest.Status.RETURNED)
        .order_by("-decided_at", "-id")
        .first()
    )
    return approval.comment if approval else ""


def active_plan_goals(*, case: Case) -> tuple[ServicePlan | None, list[Goal]]:
    """The case's plan in force (status active, newest version) and its goals."""
    plan = (
        ServicePlan.objects.filter(district_id=case.district_id, case=case, status=ServicePlan.Status.ACTIVE)
        .order_by("-version")
        .first()
    )
    return plan, (list(plan.goals.order_by("id")) if plan else [])
