"""HTTP behaviour of the 결재·종결 tab and the approval inbox."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkke.approvals.models import ApprovalRequest
from hamkke.approvals.services import classification_submit, closure_submit
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case, ClosureReason
from hamkke.cases.stages import Stage

from .helpers import TO_CONFERENCE, TO_DELIVERY, active_plan, move, set_policy

pytestmark = pytest.mark.django_db


def tab(case):
    return reverse("approvals:case", args=[case.uuid])


def submit_classification(world, member="lead_worker"):
    high = next(t for t in world.case_types_a if t.code == "high_complexity")
    return classification_submit(
        actor=world.members[member].actor,
        case=Case.objects.get(pk=world.case.pk),
        case_type=high,
        crisis_level="high",
        note="안전 위험",
    )


def decide_url(approval):
    return reverse("approvals:decide", args=[approval.uuid])


@pytest.mark.parametrize("who", ["lead_worker", "lead_supervisor", "participant_worker", "district_admin"])
def test_tab_open_to_the_team_and_audited(client, world, who):
    getattr(world, who).login(client)
    response = client.get(tab(world.case))
    assert response.status_code == 200
    assert "결재 이력" in response.content.decode()
    log = AccessLog.objects.filter(action=Action.VIEW, case_id=world.case.pk).latest("id")
    assert log.user_id == getattr(world, who).user.pk and world.head.pk in log.person_ids


@pytest.mark.parametrize("who", ["unrelated_worker", "auditor", "b_worker", "b_admin", "nobody"])
def test_tab_and_its_forms_are_404_for_outsiders_and_audited(client, world, who):
    getattr(world, who).login(client)
    assert client.get(tab(world.case)).status_code == 404
    for name in ("classify", "close", "follow_up", "reopen"):
        assert client.post(reverse(f"approvals:{name}", args=[world.case.uuid]), {"reason": "x"}).status_code == 404
    assert (
        AccessLog.objects.filter(
            action=Action.DENIED, user_id=getattr(world, who).user.pk, object_id=str(world.case.uuid)
        ).count()
        == 5
    )


def test_unknown_case_is_404(client, world):
    world.lead_worker.login(client)
    assert client.get(reverse("approvals:case", args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/cases/{world.case.pk}/approvals/").status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in (tab(world.case), reverse("approvals:inbox")):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_participant_reads_without_forms_and_cannot_submit(client, world):
    move(world, *TO_CONFERENCE)
    world.participant_worker.login(client)
    text = client.get(tab(world.case)).content.decode()
    assert reverse("approvals:classify", args=[world.case.uuid]) not in text
    high = world.case_types_a[0]
    response = client.post(
        reverse("approvals:classify", args=[world.case.uuid]), {"case_type": high.pk, "crisis_level": "high"}
    )
    assert response.status_code == 403
    assert not ApprovalRequest.objects.exists()


def test_classification_form_submits_for_approval(client, world):
    move(world, *TO_CONFERENCE)
    world.lead_worker.login(client)
    assert reverse("approvals:classify", args=[world.case.uuid]) in client.get(tab(world.case)).content.decode()
    high = next(t for t in world.case_types_a if t.code == "high_complexity")
    response = client.post(
        reverse("approvals:classify", args=[world.case.uuid]),
        {"case_type": high.pk, "crisis_level": "high", "note": "사례회의 결과"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == tab(world.case)
    text = response.content.decode()
    assert "결재를 요청했습니다" in text and "결재 대기" in text
    assert ApprovalRequest.objects.get().payload["note"] == "사례회의 결과"


def test_classification_form_errors_keep_what_was_typed(client, world):
    move(world, *TO_CONFERENCE)
    world.lead_worker.login(client)
    response = client.post(
        reverse("approvals:classify", args=[world.case.uuid]),
        {"case_type": "999999", "crisis_level": "nonsense", "note": "회의 메모 그대로"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "errorlist" in text and "회의 메모 그대로" in text
    assert not ApprovalRequest.objects.exists()


def test_classification_in_the_wrong_stage_shows_the_service_error(client, world):
    world.lead_worker.login(client)  # identification: the form is not offered, a forged post is refused
    response = client.post(
        reverse("approvals:classify", args=[world.case.uuid]),
        {"case_type": world.case_types_a[0].pk, "crisis_level": "high"},
    )
    assert response.status_code == 200 and "사례회의" in response.content.decode()
    assert not ApprovalRequest.objects.exists()


def test_closure_form_asks_each_goal_and_keeps_input_on_error(client, world):
    move(world, *TO_DELIVERY)
    first, second = active_plan(world).goals.order_by("id")
    world.lead_worker.login(client)
    text = client.get(tab(world.case)).content.decode()
    assert f'name="goal_{first.pk}"' in text and "바리스타 교육 수료" in text
    url = reverse("approvals:close", args=[world.case.uuid])
    response = client.post(
        url,
        {
            "closure_reason": "goals_achieved",
            "evaluation": "",
            f"goal_{first.pk}": "achieved",
            f"goal_{first.pk}_note": "수료증",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "수료증" in text and text.count('class="errorlist"') >= 2
    assert not ApprovalRequest.objects.exists()
    response = client.post(
        url,
        {
            "closure_reason": "goals_achieved",
            "evaluation": "스스로 해냄",
            f"goal_{first.pk}": "achieved",
            f"goal_{second.pk}": "partly",
        },
    )
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().kind == "closure"


def test_closed_case_shows_follow_up_and_reopens(client, world):
    set_policy(world, approval_closure=False)
    move(world, *TO_DELIVERY)
    closure_submit(
        actor=world.lead_worker.actor,
        case=Case.objects.get(pk=world.case.pk),
        closure_reason=ClosureReason.GOALS_ACHIEVED,
        evaluation="잘 지냄",
    )
    world.lead_worker.login(client)
    text = client.get(tab(world.case)).content.decode()
    due = (world.today + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
    assert "사후관리 일정" in text and due in text and "잘 지냄" in text
    response = client.post(reverse("approvals:follow_up", args=[world.case.uuid]))
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).stage == Stage.FOLLOW_UP
    url = reverse("approvals:reopen", args=[world.case.uuid])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"reason": "다시 연락 옴"})
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).stage == Stage.INTAKE


# --- inbox and deciding -------------------------------------------------------------------------


def test_inbox_lists_pending_oldest_first_with_days_waiting(client, world):
    move(world, *TO_CONFERENCE)
    older = submit_classification(world)
    ApprovalRequest.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=4))
    newer = closure_submit(
        actor=world.lead_worker.actor,
        case=Case.objects.get(pk=world.case.pk),
        closure_reason="moved",
        evaluation="전출",
    )
    world.lead_supervisor.login(client)
    text = client.get(reverse("approvals:inbox")).content.decode()
    assert text.index(f"approval-{older.uuid}") < text.index(f"approval-{newer.uuid}")
    assert "4일" in text
    log = AccessLog.objects.filter(action=Action.LIST, user_id=world.lead_supervisor.user.pk).latest("id")
    assert world.head.pk in log.person_ids


@pytest.mark.parametrize("who", ["unrelated_worker", "participant_worker", "district_admin"])
def test_inbox_shows_nothing_to_those_who_cannot_approve(client, world, who):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    getattr(world, who).login(client)
    assert f"approval-{approval.uuid}" not in client.get(reverse("approvals:inbox")).content.decode()


def test_supervisor_approves_by_plain_post(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    response = client.post(decide_url(approval), {"decision": "approve", "comment": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("approvals:inbox")
    assert "승인했습니다" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).stage == Stage.SELECTION


def test_decision_from_the_case_tab_returns_there(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    assert decide_url(approval) in client.get(tab(world.case)).content.decode()
    response = client.post(decide_url(approval), {"decision": "approve", "next": tab(world.case)})
    assert response["Location"] == tab(world.case)
    closure = closure_submit(
        actor=world.lead_worker.actor,
        case=Case.objects.get(pk=world.case.pk),
        closure_reason="moved",
        evaluation="전출",
    )
    response = client.post(
        decide_url(closure), {"decision": "return", "comment": "보완", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("approvals:inbox")  # never an outside address


def test_deciding_an_already_decided_request_says_so(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    client.post(decide_url(approval), {"decision": "approve"})
    response = client.post(decide_url(approval), {"decision": "return", "comment": "번복"}, follow=True)
    assert "이미 결재가 끝난" in response.content.decode()
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "approved"


def test_return_without_comment_shows_the_error(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    response = client.post(decide_url(approval), {"decision": "return", "comment": ""})
    assert response.status_code == 200 and "의견을 적어야" in response.content.decode()
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"


def test_htmx_return_swaps_the_row(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    response = client.post(decide_url(approval), {"decision": "return", "comment": "근거 보완"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert text.lstrip().startswith(f'<tr id="approval-{approval.uuid}"') and "근거 보완" in text
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "returned"


def test_self_approval_shows_the_error_and_keeps_the_comment(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world, member="lead_supervisor")
    world.lead_supervisor.login(client)
    response = client.post(decide_url(approval), {"decision": "approve", "comment": "내가 올린 것"})
    text = response.content.decode()
    assert response.status_code == 200 and "자신이 올린 요청" in text and "내가 올린 것" in text
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"


def test_worker_of_the_team_is_refused_403(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    for who in ("lead_worker", "participant_worker"):
        getattr(world, who).login(client)
        assert client.post(decide_url(approval), {"decision": "approve"}).status_code == 403
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "b_admin", "auditor"])
def test_decide_is_404_outside_the_case_scope(client, world, who):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    getattr(world, who).login(client)
    assert client.post(decide_url(approval), {"decision": "approve"}).status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, object_id=str(approval.uuid)).exists()


def test_worker_sees_own_requests_with_status_and_comment(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    client.post(decide_url(approval), {"decision": "return", "comment": "위기도 근거를 보완하세요"})
    world.lead_worker.login(client)
    text = client.get(reverse("approvals:inbox")).content.decode()
    assert "내가 올린 결재" in text and "반려" in text and "위기도 근거를 보완하세요" in text
    assert "위기도 근거를 보완하세요" in client.get(tab(world.case)).content.decode()


def test_bad_decision_value_is_a_form_error_not_a_500(client, world):
    move(world, *TO_CONFERENCE)
    approval = submit_classification(world)
    world.lead_supervisor.login(client)
    response = client.post(decide_url(approval), {"decision": "maybe"})
    assert response.status_code == 200
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"
