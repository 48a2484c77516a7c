"""The case team: partners join and leave, the lead is transferred, every change is recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE, can
from hamkke.cases.models import TeamEvent
from hamkke.cases.services import case_participant_leave, case_transfer_lead

pytestmark = pytest.mark.django_db


def test_lead_adds_a_partner_over_http_and_it_is_on_the_timeline(client, world):
    world.lead_worker.login(client)
    url = reverse("cases:participant_add", args=[world.case.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"agency": world.unrelated_agency.pk, "worker": world.unrelated_worker.user.pk, "role": "정신건강 상담"}
    )
    assert response.status_code == 302
    assert world.case.participants.filter(agency=world.unrelated_agency, left_on__isnull=True).exists()
    assert TeamEvent.objects.filter(case=world.case, kind="joined", agency=world.unrelated_agency).exists()


def test_partner_form_errors_are_shown_not_500(client, world):
    world.lead_worker.login(client)
    url = reverse("cases:participant_add", args=[world.case.uuid])
    response = client.post(url, {"agency": world.participating_agency.pk})  # already on the team
    assert response.status_code == 200 and "이미 참여 중인 기관" in response.content.decode()
    response = client.post(url, {"agency": world.agency_b.pk})  # other district: not a choice
    assert response.status_code == 200


def test_only_the_lead_manages_the_team(client, world):
    world.participant_worker.login(client)
    assert client.get(reverse("cases:participant_add", args=[world.case.uuid])).status_code == 404
    assert client.get(reverse("cases:lead_transfer", args=[world.case.uuid])).status_code == 404


def test_partner_leaves_and_loses_access(client, world):
    world.participant_worker.login(client)
    url = reverse("cases:participant_leave", args=[world.case.uuid, world.participant.pk])
    response = client.post(url, {"note": "지원 종료"})
    assert response["Location"] == reverse("cases:caseload")
    assert not can(world.participant_worker.actor, VIEW_CASE, world.case)
    assert TeamEvent.objects.filter(case=world.case, kind="left").exists()
    with pytest.raises(ValidationError):
        case_participant_leave(actor=world.lead_worker.actor, participant=world.participant)


def test_unrelated_worker_cannot_make_a_partner_leave(world):
    with pytest.raises(PermissionDenied):
        case_participant_leave(actor=world.unrelated_worker.actor, participant=world.participant)


def test_lead_transfer_needs_a_note_and_a_worker_of_the_new_agency(world):
    actor = world.lead_worker.actor
    with pytest.raises(ValidationError):
        case_transfer_lead(
            actor=actor,
            case=world.case,
            to_agency=world.participating_agency,
            to_worker=world.participant_worker.user,
            note="",
        )
    with pytest.raises(ValidationError):
        case_transfer_lead(
            actor=actor,
            case=world.case,
            to_agency=world.participating_agency,
            to_worker=world.unrelated_worker.user,
            note="복지관 이관",
        )
    case = case_transfer_lead(
        actor=actor,
        case=world.case,
        to_agency=world.participating_agency,
        to_worker=world.participant_worker.user,
        note="복지관 중심 지원으로 이관",
    )
    assert case.lead_agency == world.participating_agency and case.lead_worker == world.participant_worker.user
    assert can(world.participant_worker.actor, CHANGE_CASE, case)
    assert not can(world.lead_worker.actor, CHANGE_CASE, case)
    # the previous lead stays on the team, so with the consent in force it still reads the case
    assert case.participants.filter(agency=world.lead_agency, left_on__isnull=True).exists()
    event = TeamEvent.objects.get(case=case, kind="lead_transferred")
    assert event.from_agency == world.lead_agency and event.note == "복지관 중심 지원으로 이관"


def test_lead_transfer_over_http(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:lead_transfer", args=[world.case.uuid]),
        {
            "to_agency": world.participating_agency.pk,
            "to_worker": world.participant_worker.user.pk,
            "note": "이관",
            "keep_previous_as_participant": "on",
        },
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.lead_agency == world.participating_agency
