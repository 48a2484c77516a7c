"""Issue 14: "방문 기록" in three taps, and the same door for visit notes sent later from a phone
that had no signal (JSON answers, exactly once, a clear refusal when access was lost)."""

import uuid

import pytest
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.stages import Stage
from hamkke.consents.services import consent_withdraw
from hamkke.records.models import ContactRecord

from .conftest import ago

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def visit_url(case):
    return reverse("records:visit", args=[case.uuid])


def visit_data(**overrides):
    data = {
        "outcome": "refused",
        "kind": "home_visit",
        "contacted_at": ago(0, 0).strftime("%Y-%m-%dT%H:%M"),
        "note": "문을 열지 않고 돌아가라고 함",
        "next_contact_on": "",
        "purpose": "casework",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_visit_form_offers_the_four_outcomes_time_now_and_a_fresh_key(client, world):
    world.lead_worker.login(client)
    page = client.get(visit_url(world.case)).content.decode()
    for label in ("만남", "응답 없음", "거부", "이사·연락 두절"):
        assert f"<span>{label}</span>" in page
    assert 'name="contacted_at"' in page and 'name="idempotency_key"' in page
    assert AccessLog.objects.filter(action=Action.VIEW, detail="visit form").exists()


def test_recording_a_refusal_counts_as_an_attempt(client, world, build):
    case = build.case(history=((Stage.REFUSED, 3),))
    world.lead_worker.login(client)
    before = client.get(reverse("cases:detail", args=[case.uuid])).content.decode()
    assert "0회" in before.split('id="refusal-attempts"')[1][:80]
    response = client.post(visit_url(case), visit_data(purpose="monitoring"))
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.uuid])
    record = ContactRecord.objects.get(case=case)
    assert (record.outcome, record.kind, record.purpose) == ("refused", "home_visit", "monitoring")
    after = client.get(response.url).content.decode()
    assert "1회" in after.split('id="refusal-attempts"')[1][:80]
    assert "방문 기록을 저장했습니다" in after


def test_purpose_follows_the_stage_unless_changed(client, world, build):
    case = build.case(history=((Stage.FOLLOW_UP, 3),))
    world.lead_worker.login(client)
    page = client.get(visit_url(case)).content.decode()
    assert '<option value="follow_up" selected>' in page


def test_missing_outcome_is_explained_and_nothing_typed_is_lost(client, world):
    world.lead_worker.login(client)
    response = client.post(visit_url(world.case), visit_data(outcome=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "결과를 고르세요" in page and "문을 열지 않고 돌아가라고 함" in page
    assert not ContactRecord.objects.exists()


def test_offline_note_sent_twice_is_created_once(client, world):
    world.lead_worker.login(client)
    data = visit_data()
    first = client.post(visit_url(world.case), data, **JSON)
    second = client.post(visit_url(world.case), data, **JSON)
    assert (first.status_code, first.json()["status"]) == (201, "created")
    assert (second.status_code, second.json()["status"]) == (200, "existing")
    assert first.json()["record"] == second.json()["record"]
    assert ContactRecord.objects.count() == 1


def test_offline_note_for_a_case_no_longer_open_is_refused_clearly(client, world):
    """The participating agency's worker wrote the note offline; meanwhile the consent was withdrawn."""
    world.participant_worker.login(client)
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    response = client.post(visit_url(world.case), visit_data(), **JSON)
    assert response.status_code == 404
    assert response.json()["status"] == "refused" and "더 이상 기록할 수 없어" in response.json()["message"]
    assert not ContactRecord.objects.exists()
    assert AccessLog.objects.filter(action=Action.DENIED, object_type="case").exists()


def test_offline_note_breaking_a_rule_gets_the_reason(client, world):
    world.lead_worker.login(client)
    response = client.post(visit_url(world.case), visit_data(contacted_at="2099-01-01T10:00"), **JSON)
    assert response.status_code == 400
    assert response.json()["status"] == "invalid" and "미래" in response.json()["message"]


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "auditor", "district_admin"])
def test_visit_form_of_a_case_one_may_not_record_is_404(client, world, who):
    world.members[who].login(client)
    assert client.get(visit_url(world.case)).status_code == 404
    assert client.post(visit_url(world.case), visit_data()).status_code == 404
    assert not ContactRecord.objects.exists()


def test_visit_is_offered_on_the_case_and_each_caseload_row(client, world):
    world.lead_worker.login(client)
    url = visit_url(world.case)
    assert url in client.get(reverse("cases:detail", args=[world.case.uuid])).content.decode()
    assert url in client.get(reverse("cases:caseload")).content.decode()
    world.district_admin.login(client)
    assert url not in client.get(reverse("cases:detail", args=[world.case.uuid])).content.decode()
    assert url not in client.get(reverse("cases:caseload"), {"scope": "all"}).content.decode()
