"""Emergency access and what an agency sees of a case it may not read."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.access.models import EmergencyAccess
from hamkke.access.policy import VIEW_CASE, can, cases_known_without_content
from hamkke.access.services import emergency_access_open, emergency_access_review
from hamkke.audit.models import AccessLog, Action
from hamkke.consents.services import consent_withdraw

pytestmark = pytest.mark.django_db

REASON = "야간 응급 신고, 자해 위험으로 경찰과 동행 방문 필요"


def make_high_crisis(world):
    world.case.crisis_level = "high"
    world.case.save(update_fields=["crisis_level"])


def test_emergency_access_needs_a_reason_and_a_high_crisis(world):
    actor = world.unrelated_worker.actor
    with pytest.raises(ValidationError) as error:
        emergency_access_open(actor=actor, case=world.case, reason=REASON)
    assert "위기도" in str(error.value)
    make_high_crisis(world)
    with pytest.raises(ValidationError):
        emergency_access_open(actor=actor, case=world.case, reason="급함")
    assert not can(actor, VIEW_CASE, world.case)
    access = emergency_access_open(actor=actor, case=world.case, reason=REASON)
    assert can(actor, VIEW_CASE, world.case)
    log = AccessLog.objects.get(action=Action.EMERGENCY)
    assert log.case_id == world.case.pk and log.user_id == actor.user.pk
    assert access.expires_at - access.granted_at == datetime.timedelta(hours=24)


def test_emergency_access_expires(world):
    make_high_crisis(world)
    actor = world.unrelated_worker.actor
    access = emergency_access_open(actor=actor, case=world.case, reason=REASON)
    EmergencyAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not can(actor, VIEW_CASE, world.case)


@pytest.mark.parametrize("who", ["auditor", "district_admin", "lead_admin", "b_worker"])
def test_emergency_access_refused_to_other_roles_and_districts(world, who):
    make_high_crisis(world)
    with pytest.raises(PermissionDenied):
        emergency_access_open(actor=getattr(world, who).actor, case=world.case, reason=REASON)


def test_emergency_access_is_reviewed_by_the_district_admin(client, world):
    make_high_crisis(world)
    access = emergency_access_open(actor=world.unrelated_worker.actor, case=world.case, reason=REASON)
    world.district_admin.login(client)
    page = client.get(reverse("access:emergency_review")).content.decode()
    assert REASON in page
    with pytest.raises(ValidationError):
        emergency_access_review(actor=world.district_admin.actor, access=access, note="")
    response = client.post(reverse("access:emergency_review_one", args=[access.uuid]), {"note": "정당한 사유 확인"})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == world.district_admin.user
    with pytest.raises(PermissionDenied):
        emergency_access_review(actor=world.lead_supervisor.actor, access=access, note="x")


def test_emergency_form_over_http(client, world):
    make_high_crisis(world)
    world.unrelated_worker.login(client)
    url = reverse("access:emergency", args=[world.case.uuid])
    page = client.get(url).content.decode()
    assert world.head.name not in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and not EmergencyAccess.objects.exists()
    response = client.post(url, {"reason": REASON})
    assert response["Location"] == reverse("cases:detail", args=[world.case.uuid])
    assert client.get(response["Location"]).status_code == 200


def test_other_district_cannot_even_see_the_emergency_form(client, world):
    world.b_worker.login(client)
    assert client.get(reverse("access:emergency", args=[world.case.uuid])).status_code == 404


def test_participant_without_consent_sees_only_existence_and_lead(client, world):
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert list(cases_known_without_content(world.participant_worker.actor)) == [world.case]
    assert list(cases_known_without_content(world.unrelated_worker.actor)) == []
    world.participant_worker.login(client)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert world.case.reference in page and world.lead_agency.name in page
    assert world.head.name not in page
    assert client.get(reverse("cases:detail", args=[world.case.uuid])).status_code == 404


# --- Issue 11, finding 10: nothing of the case before the reason; every look and refusal logged ---


@pytest.mark.parametrize("crisis", ["high", ""])
def test_the_emergency_form_shows_nothing_of_the_case(client, world, crisis):
    world.case.crisis_level = crisis
    world.case.save(update_fields=["crisis_level"])
    world.unrelated_worker.login(client)
    page = client.get(reverse("access:emergency", args=[world.case.uuid])).content.decode()
    main = page[page.index("<main>") :]
    for secret in (world.case.reference, world.lead_agency.name, str(world.lead_worker.user), world.head.name):
        assert secret not in main, secret
    # Eligible or not, the page is the same: it does not tell whether the case is high-crisis.
    assert "위기도가 높거나 긴급으로 선별된 사례만 열 수 있으며" in main and 'name="reason"' in main


def test_looking_at_the_emergency_form_and_refusals_are_logged(client, world):
    world.unrelated_worker.login(client)
    url = reverse("access:emergency", args=[world.case.uuid])
    client.get(url)
    shown = AccessLog.objects.get(object_type="emergencyaccess", action=Action.VIEW)
    assert shown.object_id == str(world.case.uuid) and shown.user_id == world.unrelated_worker.user.pk
    client.post(url, {"reason": "짧음"})
    client.post(url, {"reason": REASON})  # not high-crisis: refused after the reason is given
    refusals = AccessLog.objects.filter(action=Action.DENIED, detail__startswith="emergency access refused")
    assert sorted(r.detail for r in refusals) == [
        "emergency access refused: not eligible",
        "emergency access refused: reason too short",
    ]
    assert {r.case_id for r in refusals} == {world.case.pk} and not EmergencyAccess.objects.exists()
    client.logout()
    world.auditor.login(client)  # a role that may not: refused and logged
    assert client.get(url).status_code == 403
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=world.auditor.user.pk).exists()
    with pytest.raises(PermissionDenied):
        emergency_access_open(actor=world.auditor.actor, case=world.case, reason=REASON)
    assert AccessLog.objects.filter(detail="emergency access refused: role").exists()
