"""Plan versions that do not go stale (issue 13 §6): each version's own summary, open actions carried
over for review (overdue ones confirmed or rescheduled), finished ones kept finished, and closing
the case ending the plan's open actions with the closure reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.approvals.services import closure_submit
from hamkke.cases.models import Case, ClosureReason
from hamkke.cases.stages import Stage
from hamkke.districts.models import DistrictPolicy
from hamkke.plans import services
from hamkke.plans.models import Performer, PlanAction, ServicePlan

pytestmark = pytest.mark.django_db

Status = ServicePlan.Status
A = PlanAction.Status
TODAY = timezone.localdate


def in_force(world, approvals, actions) -> ServicePlan:
    """An active plan with one goal and ``actions``: [(description, due_on, status)]."""
    approvals.require(world.district_a.pk, False)
    actor = world.lead_worker.actor
    plan = services.plan_create(actor=actor, case=world.case, summary="1판 요지")
    goal = services.goal_add(actor=actor, plan=plan, need=world.need, description="바리스타 과정을 마친다")
    for description, due_on, _status in actions:
        services.action_add(actor=actor, goal=goal, description=description, performer=Performer.PERSON, due_on=due_on)
    services.plan_record_agreement(actor=actor, plan=plan, agreed_on=TODAY(), method="verbal")
    plan = services.plan_submit(actor=actor, plan=plan)
    for description, _due, status in actions:  # progress recorded while the plan is in force
        action = PlanAction.objects.get(goal__plan=plan, description=description)
        services.action_set_status(actor=actor, action=action, status=status)
    return plan


def copies(plan) -> dict[str, PlanAction]:
    return {a.description: a for a in PlanAction.objects.filter(goal__plan=plan)}


def test_each_version_has_its_own_editable_summary(planning, approvals):
    v1 = in_force(planning, approvals, [("등록", TODAY(), A.PLANNED)])
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.REASSESSMENT)
    v2 = services.plan_new_version(actor=planning.lead_worker.actor, case=planning.case)
    assert v2.summary == "1판 요지"  # a starting point ...
    services.plan_update_summary(actor=planning.lead_worker.actor, plan=v2, summary="  2판: 집 정리부터  ")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.summary, v2.summary) == ("1판 요지", "2판: 집 정리부터")  # ... the new version's own
    with pytest.raises(ValidationError, match="고칠 수 없습니다"):
        services.plan_update_summary(actor=planning.lead_worker.actor, plan=v1, summary="바꿈")


def test_a_new_version_carries_open_actions_marks_overdue_ones_and_keeps_finished_ones(planning, approvals):
    past, later = TODAY() - datetime.timedelta(days=10), TODAY() + datetime.timedelta(days=10)
    in_force(
        planning,
        approvals,
        [
            ("지난 예정", past, A.PLANNED),
            ("지난 진행", past, A.IN_PROGRESS),
            ("다가올 예정", later, A.PLANNED),
            ("끝난 일", past, A.DONE),
            ("취소한 일", past, A.CANCELLED),
        ],
    )
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.REASSESSMENT)
    v2 = services.plan_new_version(actor=planning.lead_worker.actor, case=planning.case)
    got = {d: (a.status, a.needs_review) for d, a in copies(v2).items()}
    assert got == {
        "지난 예정": (A.PLANNED, True),
        "지난 진행": (A.IN_PROGRESS, True),
        "다가올 예정": (A.PLANNED, False),
        "끝난 일": (A.DONE, False),
    }


def test_overdue_actions_are_confirmed_or_rescheduled_before_submitting(planning, approvals):
    past = TODAY() - datetime.timedelta(days=3)
    in_force(planning, approvals, [("지난 예정", past, A.PLANNED), ("지난 진행", past, A.IN_PROGRESS)])
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.REASSESSMENT)
    actor = planning.lead_worker.actor
    v2 = services.plan_new_version(actor=actor, case=planning.case)
    services.plan_record_agreement(actor=actor, plan=v2, agreed_on=TODAY(), method="verbal")
    with pytest.raises(ValidationError, match="기한이 지난 실행 계획"):
        services.plan_submit(actor=actor, plan=v2)
    planned, running = copies(v2)["지난 예정"], copies(v2)["지난 진행"]
    with pytest.raises(ValidationError) as caught:
        services.action_review(actor=actor, action=planned, due_on=TODAY() - datetime.timedelta(days=1))
    assert "due_on" in caught.value.message_dict
    services.action_review(actor=actor, action=planned, due_on=TODAY() + datetime.timedelta(days=7))
    services.action_review(actor=actor, action=running)  # confirmed as it is: still going on
    planned.refresh_from_db()
    running.refresh_from_db()
    assert (planned.due_on, planned.needs_review) == (TODAY() + datetime.timedelta(days=7), False)
    assert (running.due_on, running.needs_review) == (past, False)
    assert services.plan_submit(actor=actor, plan=v2).status == Status.ACTIVE


def test_marking_an_overdue_action_done_needs_no_further_review(planning, approvals):
    in_force(planning, approvals, [("지난 예정", TODAY() - datetime.timedelta(days=3), A.PLANNED)])
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.REASSESSMENT)
    v2 = services.plan_new_version(actor=planning.lead_worker.actor, case=planning.case)
    action = copies(v2)["지난 예정"]
    services.action_set_status(actor=planning.lead_worker.actor, action=action, status=A.DONE)
    action.refresh_from_db()
    assert (action.status, action.needs_review) == (A.DONE, False)


def test_closing_the_case_ends_the_plans_open_actions_with_the_closure_reason(planning, approvals):
    plan = in_force(
        planning,
        approvals,
        [("예정인 일", TODAY(), A.PLANNED), ("진행 중인 일", TODAY(), A.IN_PROGRESS), ("끝난 일", TODAY(), A.DONE)],
    )
    DistrictPolicy.objects.filter(district=planning.district_a).update(approval_closure=False)
    closure_submit(
        actor=planning.lead_worker.actor,
        case=Case.objects.get(pk=planning.case.pk),
        closure_reason=ClosureReason.MOVED,
        evaluation="전출",
        goal_evaluations={plan.goals.get().pk: {"result": "partly"}},
    )
    got = {d: (a.status, a.ended_reason) for d, a in copies(plan).items()}
    assert got == {
        "예정인 일": (A.ENDED, ClosureReason.MOVED),
        "진행 중인 일": (A.ENDED, ClosureReason.MOVED),
        "끝난 일": (A.DONE, ""),
    }


def test_the_plan_page_edits_the_summary_and_reviews_an_overdue_action(client, planning, approvals):
    in_force(planning, approvals, [("지난 예정", TODAY() - datetime.timedelta(days=3), A.PLANNED)])
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.REASSESSMENT)
    v2 = services.plan_new_version(actor=planning.lead_worker.actor, case=planning.case)
    action = copies(v2)["지난 예정"]
    planning.lead_worker.login(client)
    page = client.get(reverse("plans:case", args=[planning.case.uuid])).content.decode()
    assert "기한 확인 필요" in page and reverse("plans:action_review", args=[planning.case.uuid, action.uuid]) in page
    response = client.post(
        reverse("plans:summary", args=[planning.case.uuid]), {"summary": "2판 요지", "expected_version": ""}
    )
    assert response.status_code == 302
    new_day = TODAY() + datetime.timedelta(days=14)
    client.post(reverse("plans:action_review", args=[planning.case.uuid, action.uuid]), {"due_on": new_day})
    v2.refresh_from_db()
    action.refresh_from_db()
    assert v2.summary == "2판 요지" and (action.due_on, action.needs_review) == (new_day, False)
    assert "기한 확인 필요" not in client.get(reverse("plans:case", args=[planning.case.uuid])).content.decode()
