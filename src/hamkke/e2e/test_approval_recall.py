"""Issue 13 §4 in a real browser: a community centre's worker submits a service plan, recalls it (회수),
resubmits it, and the centre's own team leader reads the plan's goals and actions in the approvals
inbox (결재함) and approves it.

The world's lead agency is made a community centre (동주민센터) here; its worker and team leader are
``world.lead_worker`` and ``world.lead_supervisor`` (like ``dong-worker`` and ``dong-supervisor``
of the demo).
"""

import pytest
from django.utils import timezone

from hamkke.approvals.models import ApprovalRequest
from hamkke.cases.models import Case
from hamkke.cases.stages import Stage
from hamkke.districts.models import Agency
from hamkke.plans import services as plans
from hamkke.plans.models import Performer, ServicePlan
from hamkke.resources.tests.factories import NeedFactory

from .conftest import menu, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

CENTRE = "신당동주민센터"
GOAL = "바리스타 과정을 마친다"
ACTION = "구립 일자리센터 과정에 등록한다"


def _draft_plan(world) -> ServicePlan:
    """The centre's case in planning with an agreed draft plan: one goal, one action."""
    Agency.objects.filter(pk=world.lead_agency.pk).update(name=CENTRE, kind=Agency.Kind.COMMUNITY_CENTRE)
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.PLANNING)
    case = Case.objects.get(pk=world.case.pk)
    actor = world.lead_worker.actor
    need = NeedFactory(case=case)
    plan = plans.plan_create(actor=actor, case=case, summary="일자리부터 차근차근")
    goal = plans.goal_add(actor=actor, plan=plan, need=need, description=GOAL)
    plans.action_add(actor=actor, goal=goal, description=ACTION, performer=Performer.PERSON)
    plans.plan_record_agreement(actor=actor, plan=plan, agreed_on=timezone.localdate(), method="signature")
    return plan


def _message(page, text: str) -> None:
    expect(page.locator("ul.messages")).to_contain_text(text)


def test_submit_recall_resubmit_and_approve_a_plan_at_a_community_centre(browse_as, world):
    plan = _draft_plan(world)
    plan_path = f"/cases/{world.case.uuid}/plan/"
    worker = browse_as(world.lead_worker)

    # Submit.
    worker.goto(plan_path)
    worker.get_by_role("button", name="결재 요청/확정").click()
    expect(worker.get_by_text("팀장의 결재를 기다리고 있습니다.")).to_be_visible()

    # Recall from the inbox's "내가 올린 결재": the plan is a draft again.
    menu(worker, "결재함").click()
    mine = worker.locator("section", has=worker.get_by_role("heading", name="내가 올린 결재"))
    expect(mine).to_contain_text("결재 대기")
    mine.get_by_role("button", name="회수").click()
    _message(worker, "결재 요청을 회수했습니다.")
    expect(mine).to_contain_text("회수")
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT

    # Resubmit.
    worker.goto(plan_path)
    worker.get_by_role("button", name="결재 요청/확정").click()
    expect(worker.get_by_text("팀장의 결재를 기다리고 있습니다.")).to_be_visible()

    # The centre's team leader sees what is decided and where the plan is, and approves.
    leader = browse_as(world.lead_supervisor)
    menu(leader, "결재함").click()
    waiting = leader.locator("section", has=leader.get_by_role("heading", name="결재할 요청"))
    expect(waiting).to_contain_text(GOAL)
    expect(waiting).to_contain_text(ACTION)
    link = waiting.get_by_role("link", name="서비스 계획")
    expect(link).to_have_attribute("href", f"{plan_path}v{plan.version}/")
    screenshot(leader, "approval-inbox-plan")
    waiting.get_by_role("button", name="승인").click()
    # The row is swapped in place (htmx): no decision buttons left, the status badge says 승인.
    expect(waiting.get_by_role("button", name="승인")).to_have_count(0)
    expect(waiting.locator(".badge")).to_have_text("승인")

    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.ACTIVE
    assert Case.objects.get(pk=world.case.pk).stage == Stage.DELIVERY
    statuses = list(ApprovalRequest.objects.filter(plan=plan).order_by("id").values_list("status", flat=True))
    assert statuses == [ApprovalRequest.Status.RECALLED, ApprovalRequest.Status.APPROVED]
