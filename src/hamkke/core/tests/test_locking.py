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


# --- Issue 11, finding 11: leaving the version out does not skip the check ------------------------

MISSING = "화면을 새로 고친 뒤 다시 저장하세요"


def test_edit_forms_without_the_version_are_refused(world):
    from hamkke.plans.models import ServicePlan

    client = Client()
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:stage", args=[world.case.uuid]), {"to_stage": Stage.REFUSED, "reason": "거부"}
    )
    assert response.status_code == 200 and MISSING in response.content.decode()
    assert "거부" in response.content.decode()  # what was typed stays
    world.case.refresh_from_db()
    assert world.case.stage == Stage.IDENTIFICATION
    item = need(world)
    data = {"domain": "housing", "expressed_text": "바뀐 말", "proposer": "person", "framing": "positive"}
    response = client.post(reverse("assessment:need_edit", args=[world.case.uuid, item.uuid]), data)
    assert response.status_code == 200 and MISSING in response.content.decode()
    item.refresh_from_db()
    assert item.expressed_text == "집이 너무 좁아요"
    # A new need has no version to send.
    response = client.post(reverse("assessment:need_add", args=[world.case.uuid]), data)
    assert response.status_code == 302 and Need.objects.filter(expressed_text="바뀐 말").exists()
    plan = ServicePlan.objects.create(
        district=world.district_a, case=world.case, version=1, created_by=world.lead_worker.user
    )
    response = client.post(reverse("plans:submit", args=[world.case.uuid]))
    assert MISSING in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT


def test_the_api_stage_change_needs_the_version_it_was_based_on(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(world.lead_worker.user)
    detail = f"/api/v1/cases/{world.case.uuid}/"
    url = detail + "stage/"
    shown = client.get(detail)
    etag = shown["ETag"]
    assert etag == f'"v{world.case.lock_version}"' and shown.json()["version"] == world.case.lock_version
    response = client.post(url, {"to_stage": "initial_consultation"}, format="json")
    assert response.status_code == 428 and response.json()["code"] == "precondition_required"
    assert client.post(url, {"to_stage": "initial_consultation"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    world.case.refresh_from_db()
    assert world.case.stage == Stage.INITIAL_CONSULTATION
    # A second client that read the same version is refused (412), by If-Match or by expected_version.
    stale = client.post(url, {"to_stage": "refused", "reason": "거부"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"
    old = int(etag.strip('"v'))
    stale = client.post(url, {"to_stage": "refused", "reason": "거부", "expected_version": old}, format="json")
    assert stale.status_code == 412
    assert client.post(url, {"to_stage": "refused"}, format="json", HTTP_IF_MATCH="*").status_code == 412
    world.case.refresh_from_db()
    assert world.case.stage == Stage.INITIAL_CONSULTATION
