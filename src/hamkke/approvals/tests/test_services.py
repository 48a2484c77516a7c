"""결재: submitting, approving, returning; classification at selection; closure; follow-up; reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.approvals.models import ApprovalRequest
from hamkke.approvals.services import (
    approval_decide,
    approval_submit,
    case_reopen,
    classification_submit,
    closure_submit,
    follow_up_start,
)
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case, CaseType, ClosureReason, CrisisLevel, StageChange
from hamkke.cases.stages import Stage
from hamkke.testing.factories import CaseTypeFactory, MembershipFactory

from .helpers import TO_CONFERENCE, TO_DELIVERY, active_plan, move, set_policy

pytestmark = pytest.mark.django_db

Status = ApprovalRequest.Status


def case_type(world, code="high_complexity"):
    return next(t for t in world.case_types_a if t.code == code)


def classify(world, member="lead_worker", code="high_complexity", level=CrisisLevel.HIGH, **kwargs):
    return classification_submit(
        actor=world.members[member].actor,
        case=Case.objects.get(pk=world.case.pk),
        case_type=case_type(world, code),
        crisis_level=level,
        **kwargs,
    )


def decide(world, approval, member="lead_supervisor", approve=True, comment=""):
    return approval_decide(actor=world.members[member].actor, approval=approval, approve=approve, comment=comment)


def fresh(world) -> Case:
    return Case.objects.get(pk=world.case.pk)


def close(world, member="lead_worker", **kwargs):
    values = {
        "closure_reason": ClosureReason.GOALS_ACHIEVED,
        "evaluation": "스스로 생활을 꾸려 감",
        "goal_evaluations": {},
    }
    values.update(kwargs)
    return closure_submit(actor=world.members[member].actor, case=fresh(world), **values)


# --- approval required or not (district setting) ---------------------------------------------


def test_classification_needing_approval_waits_and_changes_nothing(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world, note="사례회의에서 안전 위험 확인")
    assert approval.status == Status.PENDING
    assert approval.agency == world.lead_agency and approval.submitted_by == world.lead_worker.user
    assert approval.payload == {
        "case_type": case_type(world).pk,
        "crisis_level": "high",
        "note": "사례회의에서 안전 위험 확인",
    }
    case = fresh(world)
    assert (case.case_type, case.crisis_level, case.stage) == (None, "", Stage.CONFERENCE)
    assert AccessLog.objects.filter(action=Action.CREATE, object_id=str(approval.uuid), case_id=case.pk).exists()


def test_classification_without_approval_applies_at_once(world):
    set_policy(world, approval_classification=False)
    move(world, *TO_CONFERENCE)
    assert classify(world, code="general", level=CrisisLevel.MEDIUM) is None
    case = fresh(world)
    assert (case.case_type.code, case.crisis_level, case.stage) == ("general", "medium", Stage.SELECTION)
    assert not ApprovalRequest.objects.exists()


def test_closure_without_approval_closes_at_once(world):
    set_policy(world, approval_closure=False)
    move(world, *TO_DELIVERY)
    assert close(world) is None
    case = fresh(world)
    assert case.stage == Stage.CLOSED and case.closure_reason == ClosureReason.GOALS_ACHIEVED


def test_plan_without_approval_is_applied_at_once_by_the_plans_handler(world, plan_calls):
    """No "None means activate it yourself": the registered plan handler activates it."""
    set_policy(world, approval_plan=False)
    plan = active_plan(world)
    assert approval_submit(actor=world.lead_worker.actor, case=world.case, kind="plan", plan=plan) is None
    assert [(c[0], c[2]) for c in plan_calls] == [("activate", plan)] and not ApprovalRequest.objects.exists()


def test_plan_needing_approval_waits(world, plan_calls):
    plan = active_plan(world)
    approval = approval_submit(actor=world.lead_worker.actor, case=world.case, kind="plan", plan=plan)
    assert approval.status == Status.PENDING and approval.plan == plan
    assert plan_calls == []


def test_plan_submission_needs_a_plan_of_this_case(world):
    with pytest.raises(ValidationError) as caught:
        approval_submit(actor=world.lead_worker.actor, case=world.case, kind="plan")
    assert "plan" in caught.value.message_dict


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValidationError):
        approval_submit(actor=world.lead_worker.actor, case=world.case, kind="budget")


def test_second_pending_request_of_the_same_kind_is_refused(world):
    move(world, *TO_CONFERENCE)
    classify(world)
    with pytest.raises(ValidationError) as caught:
        classify(world, code="general")
    assert "kind" in caught.value.message_dict
    assert ApprovalRequest.objects.filter(kind="classification").count() == 1
    assert close(world).kind == "closure"  # another kind may wait at the same time


@pytest.mark.parametrize(
    "member", ["participant_worker", "unrelated_worker", "district_admin", "auditor", "lead_admin", "b_worker"]
)
def test_only_the_lead_agency_team_submits(world, member):
    move(world, *TO_CONFERENCE)
    with pytest.raises(PermissionDenied):
        classify(world, member=member)
    assert not ApprovalRequest.objects.exists()


# --- deciding ---------------------------------------------------------------------------------


def test_approving_classification_sets_type_and_moves_conference_to_selection(world):
    move(world, *TO_CONFERENCE)
    approval = decide(world, classify(world), comment="동의합니다")
    assert approval.status == Status.APPROVED
    assert approval.decided_by == world.lead_supervisor.user and approval.decided_at is not None
    assert approval.comment == "동의합니다"
    case = fresh(world)
    assert (case.case_type.code, case.crisis_level, case.stage) == ("high_complexity", "high", Stage.SELECTION)
    change = StageChange.objects.filter(case=case).latest("changed_at", "id")
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.CONFERENCE,
        Stage.SELECTION,
        world.lead_supervisor.user,
    )
    assert AccessLog.objects.filter(
        action=Action.UPDATE, object_id=str(approval.uuid), user_id=world.lead_supervisor.user.pk
    ).exists()


def test_approving_classification_at_reassessment_keeps_the_stage(world):
    move(world, *TO_DELIVERY, Stage.REASSESSMENT)
    decide(world, classify(world, code="general", level=CrisisLevel.LOW))
    case = fresh(world)
    assert (case.case_type.code, case.crisis_level, case.stage) == ("general", "low", Stage.REASSESSMENT)


def test_classification_is_decided_only_in_its_stages(world):
    with pytest.raises(ValidationError) as caught:
        classify(world)  # identification
    assert "case_type" in caught.value.message_dict
    move(world, Stage.INITIAL_CONSULTATION, Stage.INTAKE)
    with pytest.raises(ValidationError):
        classify(world, code="general")  # at intake only the referral-only track
    assert classify(world, code="referral", level=CrisisLevel.LOW).status == Status.PENDING


def test_classification_needs_an_active_type_of_the_district_and_a_crisis_level(world):
    move(world, *TO_CONFERENCE)
    CaseType.objects.filter(code="general", district=world.district_a).update(is_active=False)
    other = CaseTypeFactory(district=world.district_b, code="general")
    for kind in (CaseType.objects.get(code="general", district=world.district_a), other):
        with pytest.raises(ValidationError) as caught:
            classification_submit(actor=world.lead_worker.actor, case=fresh(world), case_type=kind, crisis_level="high")
        assert "case_type" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        classify(world, level="extreme")
    assert "crisis_level" in caught.value.message_dict


def test_returning_needs_a_comment_and_applies_nothing(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world)
    with pytest.raises(ValidationError) as caught:
        decide(world, approval, approve=False, comment="  ")
    assert "comment" in caught.value.message_dict
    approval = decide(world, approval, approve=False, comment="위기도 근거를 보완하세요")
    assert approval.status == Status.RETURNED and approval.comment == "위기도 근거를 보완하세요"
    case = fresh(world)
    assert (case.case_type, case.crisis_level, case.stage) == (None, "", Stage.CONFERENCE)
    assert classify(world).status == Status.PENDING  # resubmitting after a return is allowed


@pytest.mark.parametrize(
    "member", ["lead_worker", "participant_worker", "lead_admin", "district_admin", "unrelated_worker", "b_admin"]
)
def test_only_a_supervisor_of_the_lead_agency_decides(world, member):
    move(world, *TO_CONFERENCE)
    approval = classify(world)
    with pytest.raises(PermissionDenied):
        decide(world, approval, member=member)
    assert ApprovalRequest.objects.get(pk=approval.pk).status == Status.PENDING


def test_supervisor_of_another_agency_cannot_decide(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world)
    other = actor_for(MembershipFactory(agency=world.unrelated_agency, role=Role.SUPERVISOR).user)
    with pytest.raises(PermissionDenied):
        approval_decide(actor=other, approval=approval, approve=True)


def test_self_approval_is_refused_but_another_supervisor_approves(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world, member="lead_supervisor")
    with pytest.raises(ValidationError) as caught:
        decide(world, approval)
    assert "decision" in caught.value.message_dict
    second = actor_for(MembershipFactory(agency=world.lead_agency, role=Role.SUPERVISOR).user)
    assert approval_decide(actor=second, approval=approval, approve=True).status == Status.APPROVED


def test_a_supervisor_may_return_their_own_submission(world):
    move(world, *TO_CONFERENCE)
    approval = classify(world, member="lead_supervisor")
    assert decide(world, approval, approve=False, comment="철회합니다").status == Status.RETURNED


def test_a_decided_request_cannot_be_decided_again(world):
    move(world, *TO_CONFERENCE)
    approval = decide(world, classify(world))
    with pytest.raises(ValidationError) as caught:
        decide(world, approval, approve=False, comment="번복")
    assert "status" in caught.value.message_dict


def test_approving_a_plan_calls_plan_activate(world, plan_calls):
    plan = active_plan(world)
    approval = approval_submit(actor=world.lead_worker.actor, case=world.case, kind="plan", plan=plan)
    decide(world, approval)
    assert [(c[0], c[1].user, c[2]) for c in plan_calls] == [("activate", world.lead_supervisor.user, plan)]


def test_returning_a_plan_calls_plan_return_with_the_comment(world, plan_calls):
    plan = active_plan(world)
    approval = approval_submit(actor=world.lead_worker.actor, case=world.case, kind="plan", plan=plan)
    decide(world, approval, approve=False, comment="당사자 동의를 먼저 받으세요")
    assert [(c[0], c[2], c[3]) for c in plan_calls] == [("return", plan, "당사자 동의를 먼저 받으세요")]


# --- closure ----------------------------------------------------------------------------------


def test_closure_needs_a_reason_and_an_overall_evaluation(world):
    move(world, *TO_DELIVERY)
    with pytest.raises(ValidationError) as caught:
        close(world, closure_reason="", evaluation="  ")
    assert {"closure_reason", "evaluation"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError):
        close(world, closure_reason="bored")
    assert not ApprovalRequest.objects.exists()


def test_closure_needs_an_evaluation_of_each_goal_of_the_active_plan(world):
    move(world, *TO_DELIVERY)
    plan = active_plan(world)
    first, second = plan.goals.order_by("id")
    with pytest.raises(ValidationError) as caught:
        close(world, goal_evaluations={first.pk: {"result": "achieved"}})
    assert set(caught.value.message_dict) == {f"goal_{second.pk}"}
    with pytest.raises(ValidationError) as caught:
        close(world, goal_evaluations={first.pk: {"result": "achieved"}, second.pk: {"result": "perfect"}})
    assert set(caught.value.message_dict) == {f"goal_{second.pk}"}
    with pytest.raises(ValidationError) as caught:
        close(
            world,
            goal_evaluations={
                first.pk: {"result": "achieved"},
                second.pk: {"result": "partly"},
                10**9: {"result": "achieved"},
            },
        )
    assert "goals" in caught.value.message_dict


def test_goals_of_a_plan_not_in_force_need_no_evaluation(world):
    move(world, *TO_DELIVERY)
    plan = active_plan(world)
    plan.status = plan.Status.SUPERSEDED
    plan.save()
    assert close(world).status == Status.PENDING


def test_approving_closure_closes_with_reason_and_readable_evaluation(world):
    move(world, *TO_DELIVERY)
    first, second = active_plan(world).goals.order_by("id")
    approval = close(
        world,
        closure_reason=ClosureReason.MOVED,
        evaluation="이사 후 새 동네에 연계",
        goal_evaluations={
            first.pk: {"result": "achieved", "note": "수료증 받음"},
            second.pk: {"result": "not_achieved", "note": ""},
        },
    )
    assert fresh(world).stage == Stage.DELIVERY  # waiting for the supervisor
    decide(world, approval)
    case = fresh(world)
    assert case.stage == Stage.CLOSED and case.closure_reason == ClosureReason.MOVED
    assert case.closed_on == world.today
    assert case.closure_evaluation == (
        "종합 평가: 이사 후 새 동네에 연계\n목표별 평가:\n"
        "- 바리스타 교육 수료: 달성 (수료증 받음)\n- 집 안 정리: 미달성"
    )
    change = StageChange.objects.filter(case=case).latest("changed_at", "id")
    assert change.to_stage == Stage.CLOSED and "전출" in change.reason


def test_returned_closure_leaves_the_case_open(world):
    move(world, *TO_DELIVERY)
    decide(world, close(world), approve=False, comment="종결 평가를 당사자와 함께 다시 쓰세요")
    case = fresh(world)
    assert case.stage == Stage.DELIVERY and case.closure_evaluation == "" and case.closed_on is None


def test_closure_only_from_stages_that_may_close(world):
    set_policy(world, approval_closure=False)
    move(world, *TO_DELIVERY)
    close(world)
    with pytest.raises(ValidationError) as caught:
        close(world)
    assert "stage" in caught.value.message_dict


# --- follow-up and reopening ------------------------------------------------------------------


def closed_case(world):
    set_policy(world, approval_closure=False)
    move(world, *TO_DELIVERY)
    close(world)
    return fresh(world)


def test_follow_up_moves_a_closed_case_only(world):
    with pytest.raises(ValidationError):
        follow_up_start(actor=world.lead_worker.actor, case=fresh(world))
    case = follow_up_start(actor=world.lead_worker.actor, case=closed_case(world))
    assert case.stage == Stage.FOLLOW_UP and case.closed_on == world.today


def test_follow_up_and_reopen_need_change_permission(world):
    case = closed_case(world)
    with pytest.raises(PermissionDenied):
        follow_up_start(actor=world.participant_worker.actor, case=case)
    with pytest.raises(PermissionDenied):
        case_reopen(actor=world.participant_worker.actor, case=case, reason="다시")


def test_reopening_needs_a_reason_and_keeps_the_history(world):
    case = follow_up_start(actor=world.lead_worker.actor, case=closed_case(world))
    changes_before = list(StageChange.objects.filter(case=case).values_list("pk", flat=True))
    with pytest.raises(ValidationError) as caught:
        case_reopen(actor=world.lead_worker.actor, case=case, reason=" ")
    assert "reason" in caught.value.message_dict
    case = case_reopen(actor=world.lead_worker.actor, case=case, reason="다시 도움을 요청함")
    assert case.stage == Stage.INTAKE and case.closed_on is None
    changes = StageChange.objects.filter(case=case).order_by("changed_at", "id")
    assert list(changes.values_list("pk", flat=True))[:-1] == changes_before
    assert changes.last().reason == "재개: 다시 도움을 요청함"
    assert fresh(world).closure_evaluation.startswith("종합 평가")  # the old evaluation stays readable


def test_only_closed_cases_are_reopened(world):
    with pytest.raises(ValidationError):
        case_reopen(actor=world.lead_worker.actor, case=fresh(world), reason="다시")


# --- with the real plans service -------------------------------------------------------------


def submitted_plan(world):
    from hamkke.plans.models import ServicePlan

    move(world, *TO_CONFERENCE, Stage.SELECTION, Stage.PLANNING)
    plan = active_plan(world)
    ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.SUBMITTED)
    plan.refresh_from_db()
    return plan


def test_approved_plan_is_put_in_force_by_the_plans_service(world):
    pytest.importorskip("hamkke.plans.services")
    plan = submitted_plan(world)
    approval = approval_submit(actor=world.lead_worker.actor, case=fresh(world), kind="plan", plan=plan)
    decide(world, approval)
    plan.refresh_from_db()
    assert plan.status == plan.Status.ACTIVE and fresh(world).stage == Stage.DELIVERY


def test_returned_plan_is_editable_again(world):
    pytest.importorskip("hamkke.plans.services")
    plan = submitted_plan(world)
    approval = approval_submit(actor=world.lead_worker.actor, case=fresh(world), kind="plan", plan=plan)
    decide(world, approval, approve=False, comment="당사자 동의 방법을 적으세요")
    plan.refresh_from_db()
    assert plan.status == plan.Status.RETURNED and fresh(world).stage == Stage.PLANNING
