"""Access request (정보주체 열람 청구): what the export holds, who may make it, and that it is audited."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hamkke.assessment.models import Need
from hamkke.audit.models import AccessLog, Action
from hamkke.core import rrn as rrn_rules
from hamkke.people import privacy
from hamkke.people.models import Person
from hamkke.testing.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

REASON = "열람 청구 접수 2026-118호"


def _url(world, person=None):
    return reverse("people:person_access_request", args=[(person or world.head).uuid])


def _need(world, person, text):
    return Need.objects.create(
        district=world.district_a,
        case=world.case,
        person=person,
        domain="housing",
        expressed_text=text,
        recorded_by=world.lead_worker.user,
    )


def test_json_export_holds_the_persons_data_and_who_read_it(client, world):
    _need(world, world.head, "집을 치우고 싶어요")
    child = PersonFactory(household=world.household, name="홍아이", relation=Person.Relation.CHILD)
    _need(world, child, "친구랑 놀고 싶어요")  # another member's need: not the head's data
    other_lead = CaseFactory(household=world.household, lead_agency=world.unrelated_agency, summary="정신건강 상담")
    world.participant_worker.login(client)
    client.get(reverse("people:person", args=[world.head.uuid]))  # someone else read the head's data
    client.logout()
    world.lead_worker.login(client)
    assert client.get(_url(world)).status_code == 200
    response = client.post(_url(world), {"reason": REASON, "format": "json"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="hamkke-access-request-')
    text = response.content.decode()
    data = json.loads(text)
    assert data["person"]["name"] == world.head.name and data["person"]["rrn"] == world.head.rrn_masked
    assert rrn_rules.normalize(world.head_rrn) not in text and world.head_rrn not in text
    assert data["household"]["address"] == world.household.address
    [case] = data["cases"]
    assert case["reference"] == world.case.reference and case["summary"] == world.case.summary
    # rows are keyed by the model's field names (the export is generated from the declarations)
    assert [n["expressed_text"] for n in case["needs"]] == ["집을 치우고 싶어요"]
    assert case["consents"][0]["third_party_agencies"] == [world.participating_agency.name]
    assert case["agencies"][0]["agency"] == world.participating_agency.name
    assert "친구랑" not in text and other_lead.summary not in text
    assert data["other_agencies"] == [world.unrelated_agency.name]
    readers = {(row["agency"], row["user"], row["action"]) for row in data["access_log"]}
    assert (world.participating_agency.name, str(world.participant_worker.user), "열람") in readers
    log = AccessLog.objects.get(action=Action.EXPORT)
    assert (log.detail, log.person_ids, log.object_id) == (
        f"access request: {REASON}",
        [world.head.pk],
        str(world.head.uuid),
    )


def test_printable_html_export(client, world):
    world.lead_worker.login(client)
    response = client.post(_url(world), {"reason": REASON, "format": "html"})
    text = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert world.head.name in text and world.case.reference in text and "접속기록" in text
    assert world.head_rrn not in text and world.head.rrn_masked in text
    assert AccessLog.objects.filter(action=Action.EXPORT, person_ids=[world.head.pk]).count() == 1


def test_export_needs_a_reason(client, world):
    world.lead_worker.login(client)
    response = client.post(_url(world), {"reason": "청구", "format": "json"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
    with pytest.raises(Exception, match="5자 이상"):
        privacy.person_data_export(actor=world.lead_worker.actor, person=world.head, reason=" 청 구 ")


def test_link_only_for_the_lead_agency_team(client, world):
    world.lead_worker.login(client)
    assert _url(world) in client.get(reverse("people:person", args=[world.head.uuid])).content.decode()
    client.logout()
    world.participant_worker.login(client)
    page = client.get(reverse("people:person", args=[world.head.uuid]))
    assert page.status_code == 200 and _url(world) not in page.content.decode()


@pytest.mark.parametrize("who", ["participant_worker", "unrelated_worker", "b_worker", "auditor", "district_admin"])
def test_export_closed_to_everyone_else(client, world, who):
    member = getattr(world, who)
    member.login(client)
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), {"reason": REASON, "format": "json"}).status_code == 404
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=member.user.pk).count() == 2


def test_export_service_refuses_outside_change_scope(world):
    with pytest.raises(Exception, match="주관하는 기관"):
        privacy.person_data_export(actor=world.participant_worker.actor, person=world.head, reason=REASON)


def test_command_exports_json_and_html(world, capsys, tmp_path):
    call_command(
        "export_person_data", "--person", str(world.head.uuid), "--as", world.lead_worker.username, "--reason", REASON
    )
    data = json.loads(capsys.readouterr().out)
    assert data["person"]["name"] == world.head.name and data["generated_by"]["user"] == str(world.lead_worker.user)
    target = tmp_path / "export.html"
    call_command(
        "export_person_data",
        "--person",
        str(world.head.uuid),
        "--as",
        world.lead_worker.username,
        "--reason",
        REASON,
        "--format",
        "html",
        "--output",
        str(target),
    )
    assert world.head.name in target.read_text(encoding="utf-8")
    assert AccessLog.objects.filter(action=Action.EXPORT, user_id=world.lead_worker.user.pk).count() == 2


def test_command_refuses_outsiders_and_bad_input(world):
    with pytest.raises(CommandError, match="not in this user's cases"):
        call_command(
            "export_person_data", "--person", str(world.head.uuid), "--as", world.b_worker.username, "--reason", REASON
        )
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=world.b_worker.user.pk).exists()
    with pytest.raises(CommandError, match="not in this user's cases"):
        call_command(
            "export_person_data", "--person", "not-a-uuid", "--as", world.lead_worker.username, "--reason", REASON
        )
    with pytest.raises(CommandError, match="5자 이상"):
        call_command(
            "export_person_data", "--person", str(world.head.uuid), "--as", world.lead_worker.username, "--reason", "왜"
        )
    with pytest.raises(CommandError, match="no active user"):
        call_command("export_person_data", "--person", str(world.head.uuid), "--as", "ghost", "--reason", REASON)
