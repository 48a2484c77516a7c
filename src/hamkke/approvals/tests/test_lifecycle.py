"""Approvals that never get stuck (issue 13 §4): recall, cancellation when what they decide changes or
the district drops the step, what the inbox shows, and a case type required on closure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.approvals.models import ApprovalRequest
from hamkke.approvals.payloads import describe
from hamkke.approvals.selectors import approval_inbox
from hamkke.approvals.services import (
    approval_decide,
    approval_recall,
    classification_submit,
    closure_submit,
)
from hamkke.cases.models import Case, ClosureReason, CrisisLevel
from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.districts.services import district_policy_update
from hamkke.plans import services as plans
from hamkke.plans.models import Performer, ServicePlan
from hamkke.resources.tests.factories import NeedFactory

from .helpers import TO_CONFERENCE, TO_DELIVERY, active_plan, move, set_policy

pytestmark = pytest.mark.django_db

Status = ApprovalRequest.Status


def fresh(world) -> Case:
    return Case.objects.get(pk=world.case.pk)


def submitted_plan(world) -> ServicePlan:
    """The world's case in planning, a plan with a goal and a dated action, agreed and submitted."""
    move(world, *TO_DELIVERY[:-1])  # ... -> planning
    actor = world.lead_worker.actor
    need = NeedFactory(case=fresh(world))
    plan = plans.plan_create(actor=actor, case=fresh(world), summary="일자리와 집 정리부터")
    goal = plans.goal_add(actor=actor, plan=plan, need=need, description="바리스타 과정을 마친다")
    plans.action_add(
        actor=actor,
        goal=goal,
        description="과정에 등록한다",
        performer=Performer.PERSON,
        due_on=timezone.localdate(),
    )
    plans.plan_record_agreement(actor=actor, plan=plan, agreed_on=timezone.localdate(), method="signature")
    return plans.plan_submit(actor=actor, plan=plan)


def classify(world, member="lead_worker"):
    case_type = next(t for t in world.case_types_a if t.code == "high_complexity")
    return classification_submit(
        actor=world.members[member].actor, case=fresh(world), case_type=case_type, crisis_level=CrisisLevel.HIGH
    )


# --- recall (회수) -------------------------------------------------------------------------------


def test_the_submitter_recalls_a_plan_which_becomes_a_draft_then_resubmits_and_it_is_approved(world):
    plan = submitted_plan(world)
    approval = ApprovalRequest.objects.get(plan=plan)
    approval_recall(actor=world.lead_worker.actor, approval=approval, reason="목표를 고치겠습니다")
    approval.refresh_from_db()
    plan.refresh_from_db()
    assert (approval.status, approval.comment, approval.decided_by) == (
        Status.RECALLED,
        "목표를 고치겠습니다",
        world.lead_worker.user,
    )
    assert plan.status == ServicePlan.Status.DRAFT
    assert list(approval_inbox(actor=world.lead_supervisor.actor)) == []
    plans.plan_submit(actor=world.lead_worker.actor, plan=plan)
    again = ApprovalRequest.objects.get(plan=plan, status=Status.PENDING)
    approval_decide(actor=world.lead_supervisor.actor, approval=again, approve=True)
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.ACTIVE and fresh(world).stage == Stage.DELIVERY


def test_only_the_submitter_recalls_and_only_while_pending(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world)
    with pytest.raises(PermissionDenied):
        approval_recall(actor=world.lead_supervisor.actor, approval=approval)
    approval_recall(actor=world.lead_worker.actor, approval=approval)
    approval.refresh_from_db()
    assert approval.status == Status.RECALLED and approval.comment  # a reason is always recorded
    with pytest.raises(ValidationError) as caught:
        approval_recall(actor=world.lead_worker.actor, approval=approval)
    assert "status" in caught.value.message_dict
    with pytest.raises(ValidationError):
        approval_decide(actor=world.lead_supervisor.actor, approval=approval, approve=True)
    assert fresh(world).case_type_id is None


# --- cancellation when what is decided changes ----------------------------------------------------


def test_closing_the_case_cancels_a_pending_plan_with_the_reason(world):
    set_policy(world, approval_closure=False)
    plan = submitted_plan(world)
    closure_submit(
        actor=world.lead_worker.actor,
        case=fresh(world),
        closure_reason=ClosureReason.MOVED,
        evaluation="전출",
    )
    approval = ApprovalRequest.objects.get(plan=plan)
    plan.refresh_from_db()
    assert fresh(world).stage == Stage.CLOSED
    assert approval.status == Status.CANCELLED and "종결" in approval.comment
    assert plan.status == ServicePlan.Status.DRAFT


def test_a_classification_waiting_when_the_case_goes_on_hold_is_cancelled(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world)
    case_change_stage(actor=world.lead_worker.actor, case=fresh(world), to_stage=Stage.ON_HOLD, reason="입원")
    approval.refresh_from_db()
    assert approval.status == Status.CANCELLED and "보류" in approval.comment


def test_a_stage_change_where_the_request_still_applies_leaves_it_pending(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world)
    case_change_stage(actor=world.lead_worker.actor, case=fresh(world), to_stage=Stage.SELECTION)
    approval.refresh_from_db()
    assert approval.status == Status.PENDING


def test_approving_a_closure_is_not_cancelled_by_its_own_stage_change(world):
    move(world, *TO_DELIVERY)
    approval = closure_submit(
        actor=world.lead_worker.actor, case=fresh(world), closure_reason=ClosureReason.MOVED, evaluation="전출"
    )
    approval_decide(actor=world.lead_supervisor.actor, approval=approval, approve=True)
    approval.refresh_from_db()
    assert approval.status == Status.APPROVED and fresh(world).stage == Stage.CLOSED


def test_a_new_plan_in_force_cancels_a_closure_that_evaluated_the_old_one(world):
    move(world, *TO_DELIVERY)
    set_policy(world, approval_plan=False)
    old = active_plan(world, goals=("집 안 정리",))
    first_goal = old.goals.get()
    closure = closure_submit(
        actor=world.lead_worker.actor,
        case=fresh(world),
        closure_reason=ClosureReason.GOALS_ACHIEVED,
        evaluation="정리됨",
        goal_evaluations={first_goal.pk: {"result": "achieved"}},
    )
    new = plans.plan_new_version(actor=world.lead_worker.actor, case=fresh(world))
    plans.plan_record_agreement(
        actor=world.lead_worker.actor, plan=new, agreed_on=timezone.localdate(), method="verbal"
    )
    goal = new.goals.get()
    plans.action_add(actor=world.lead_worker.actor, goal=goal, description="매주 정리", performer=Performer.PERSON)
    plans.plan_submit(actor=world.lead_worker.actor, plan=new)
    closure.refresh_from_db()
    assert closure.status == Status.CANCELLED and "계획" in closure.comment


def test_switching_an_approval_off_cancels_its_pending_requests_only(world):
    plan = submitted_plan(world)
    district_policy_update(actor=world.district_admin.actor, changes={"approval_classification": False})
    assert ApprovalRequest.objects.get(plan=plan).status == Status.PENDING  # another step: untouched
    district_policy_update(actor=world.district_admin.actor, changes={"approval_plan": False})
    approval = ApprovalRequest.objects.get(plan=plan)
    plan.refresh_from_db()
    assert approval.status == Status.CANCELLED and "시군구" in approval.comment
    assert plan.status == ServicePlan.Status.DRAFT
    # Resubmitted, it now comes into force at once.
    plans.plan_submit(actor=world.lead_worker.actor, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.ACTIVE


# --- what the inbox shows ---------------------------------------------------------------------------


def test_the_inbox_shows_the_plans_goals_and_actions_and_links_to_the_plan(client, world):
    plan = submitted_plan(world)
    world.lead_supervisor.login(client)
    page = client.get(reverse("approvals:inbox")).content.decode()
    assert "바리스타 과정을 마친다" in page and "과정에 등록한다" in page and "일자리와 집 정리부터" in page
    assert reverse("plans:version", args=[world.case.uuid, plan.version]) in page


def test_the_submitter_recalls_from_the_inbox(client, world):
    plan = submitted_plan(world)
    approval = ApprovalRequest.objects.get(plan=plan)
    world.lead_worker.login(client)
    page = client.get(reverse("approvals:inbox")).content.decode()
    assert reverse("approvals:recall", args=[approval.uuid]) in page
    response = client.post(reverse("approvals:recall", args=[approval.uuid]), {"reason": ""})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == Status.RECALLED


# --- a case type on closure ----------------------------------------------------------------------------


def test_closing_requires_a_case_type_when_the_district_requires_one(world):
    move(world, *TO_DELIVERY)
    set_policy(world, closure_needs_classification=True, approval_closure=False)
    with pytest.raises(ValidationError) as caught:
        closure_submit(
            actor=world.lead_worker.actor, case=fresh(world), closure_reason=ClosureReason.MOVED, evaluation="전출"
        )
    assert {"case_type", "crisis_level"} <= set(caught.value.message_dict)
    assert fresh(world).stage == Stage.DELIVERY
    case_type = next(t for t in world.case_types_a if t.code == "general")
    closure_submit(
        actor=world.lead_worker.actor,
        case=fresh(world),
        closure_reason=ClosureReason.MOVED,
        evaluation="전출",
        case_type=case_type,
        crisis_level=CrisisLevel.LOW,
    )
    case = fresh(world)
    assert case.stage == Stage.CLOSED and case.case_type == case_type and case.crisis_level == CrisisLevel.LOW


def test_a_classified_case_closes_without_proposing_a_case_type_again(world):
    move(world, *TO_DELIVERY)
    case_type = next(t for t in world.case_types_a if t.code == "general")
    Case.objects.filter(pk=world.case.pk).update(case_type=case_type, crisis_level=CrisisLevel.LOW)
    set_policy(world, closure_needs_classification=True)
    approval = closure_submit(
        actor=world.lead_worker.actor, case=fresh(world), closure_reason=ClosureReason.MOVED, evaluation="전출"
    )
    assert approval.status == Status.PENDING and "case_type" not in approval.payload


def test_a_pending_closure_shows_the_proposed_case_type(world):
    move(world, *TO_DELIVERY)
    set_policy(world, closure_needs_classification=True)
    case_type = next(t for t in world.case_types_a if t.code == "general")
    approval = closure_submit(
        actor=world.lead_worker.actor,
        case=fresh(world),
        closure_reason=ClosureReason.MOVED,
        evaluation="전출",
        case_type=case_type,
        crisis_level=CrisisLevel.LOW,
    )
    lines = describe(approval)
    assert any(case_type.name in line for line in lines) and any("전출" in line for line in lines)
