"""No lost updates: two workers editing the same case, need or plan at once."""

import pytest
from django.test import Client
from django.urls import reverse

from hamkke.assessment.models import Need
from hamkke.cases.stages import Stage

pytestmark = pytest.mark.django_db

CONFLICT = "다른 담당자가 먼저 이 내용을 바꿨습니다"


def two_clients(world):
    first, second = Client(), Client()
    world.lead_worker.login(first)
    world.lead_supervisor.login(second)
    return first, second


def test_two_stage_changes_from_the_same_page(world):
    first, second = two_clients(world)
    url = reverse("cases:stage", args=[world.case.uuid])
    shown = world.case.lock_version  # both opened the case page at this version
    assert (
        first.post(
            url, {"to_stage": Stage.INITIAL_CONSULTATION, "reason": "방문", "expected_version": shown}
        ).status_code
        == 302
    )
    response = second.post(url, {"to_stage": Stage.REFUSED, "reason": "거부 의사 확인", "expected_version": shown})
    text = response.content.decode()
    assert response.status_code == 200 and CONFLICT in text
    assert "거부 의사 확인" in text  # what the second worker typed is still there
    world.case.refresh_from_db()
    assert world.case.stage == Stage.INITIAL_CONSULTATION and world.case.lock_version == shown + 1
    # the form now carries the current version: saving again is a deliberate second step
    assert f'name="expected_version" value="{shown + 1}"' in text


def need(world):
    return Need.objects.create(
        district=world.district_a,
        case=world.case,
        domain="housing",
        expressed_text="집이 너무 좁아요",
        felt_text="편히 쉴 곳",
        recorded_by=world.lead_worker.user,
    )


def test_two_need_edits_at_once(world):
    item = need(world)
    first, second = two_clients(world)
    url = reverse("assessment:need_edit", args=[world.case.uuid, item.uuid])
    data = {
        "domain": "housing",
        "expressed_text": "집이 너무 좁아요",
        "felt_text": "편히 쉴 곳",
        "proposer": "person",
        "framing": "positive",
        "expected_version": item.lock_version,
    }
    assert first.post(url, {**data, "agreed_text": "조용히 쉴 수 있는 방 마련"}).status_code == 302
    response = second.post(url, {**data, "agreed_text": "이사 준비"})
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    item.refresh_from_db()
    assert item.agreed_text == "조용히 쉴 수 있는 방 마련"


def test_plan_submitted_from_a_stale_page_is_refused(world):
    from hamkke.plans.models import ServicePlan

    plan = ServicePlan.objects.create(
        district=world.district_a, case=world.case, version=1, created_by=world.lead_worker.user
    )
    first, second = two_clients(world)
    shown = plan.lock_version
    assert (
        first.post(
            reverse("plans:agreement", args=[world.case.uuid]),
            {"agreed_on": str(world.today), "method": "verbal", "expected_version": shown},
        ).status_code
        == 302
    )
    response = second.post(reverse("plans:submit", args=[world.case.uuid]), {"expected_version": shown})
    assert CONFLICT in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT
