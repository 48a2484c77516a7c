"""HTTP behaviour: the case tab, the agency's referral inbox, one referral and its answers."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hamkke.accounts.models import Role
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import CaseParticipant
from hamkke.consents.services import consent_withdraw
from hamkke.referrals.models import Referral
from hamkke.referrals.selectors import referrals_received_waiting
from hamkke.referrals.services import referral_accept, referral_decline
from hamkke.testing.factories import AgencyFactory, CaseFactory, MembershipFactory

from .helpers import REASON, consent_for, need, send, sent_ago

pytestmark = pytest.mark.django_db
Status = Referral.Status


def tab(case):
    return reverse("referrals:case", args=[case.uuid])


def detail(referral):
    return reverse("referrals:detail", args=[referral.uuid])


def login_new_member(client, agency, role=Role.WORKER):
    membership = MembershipFactory(agency=agency, role=role)
    client.force_login(membership.user)
    return membership.user


def denied(user, object_id) -> int:
    return AccessLog.objects.filter(action=Action.DENIED, user_id=user.pk, object_id=str(object_id)).count()


@pytest.fixture
def referral(world):
    consent_for(world, network=True)
    return send(world, need=need(world))


# --- The case tab ----------------------------------------------------------------------------


def test_case_tab_shows_referrals_and_the_send_form_to_the_lead(client, world, referral):
    world.lead_worker.login(client)
    response = client.get(tab(world.case))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.unrelated_agency.name in body and REASON in body and 'id="referral-send"' in body
    assert f"{world.unrelated_agency.name} (의뢰 진행 중)" in body
    log = AccessLog.objects.filter(action=Action.VIEW, case_id=world.case.pk).latest("id")
    assert log.user_id == world.lead_worker.user.pk and world.head.pk in log.person_ids


def test_case_tab_readable_by_the_participating_agency_without_the_send_form(client, world, referral):
    world.participant_worker.login(client)
    response = client.get(tab(world.case))
    assert response.status_code == 200
    body = response.content.decode()
    assert REASON in body and 'id="referral-send"' not in body
    response = client.post(
        reverse("referrals:send", args=[world.case.uuid]), {"to_agency": world.unrelated_agency.pk, "reason": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["unrelated_worker", "auditor", "b_worker", "b_admin", "nobody"])
def test_case_tab_and_send_are_404_for_outsiders_and_audited(client, world, who):
    member = world.members[who]
    member.login(client)
    assert client.get(tab(world.case)).status_code == 404
    assert client.post(reverse("referrals:send", args=[world.case.uuid]), {"reason": "x"}).status_code == 404
    assert denied(member.user, world.case.uuid) == 2
    assert not Referral.objects.exists()


def test_unknown_ids_are_404(client, world):
    world.lead_worker.login(client)
    assert client.get(reverse("referrals:case", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("referrals:detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/referrals/{world.case.pk}/").status_code == 404


def test_send_over_http(client, world):
    consent_for(world, network=True)
    world.lead_worker.login(client)
    response = client.post(
        reverse("referrals:send", args=[world.case.uuid]), {"to_agency": world.unrelated_agency.pk, "reason": REASON}
    )
    assert response.status_code == 302 and response.url == tab(world.case)
    assert Referral.objects.get().to_agency_id == world.unrelated_agency.pk


def test_send_without_consent_shows_the_rule_and_keeps_what_was_typed(client, world):
    world.lead_worker.login(client)
    typed = "청소 지원이 필요합니다 (본인 희망)"
    response = client.post(
        reverse("referrals:send", args=[world.case.uuid]), {"to_agency": world.unrelated_agency.pk, "reason": typed}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "동의를 먼저 기록하세요" in body and typed in body
    assert "동의 기록 없음" in body  # the agency list says which agencies still need a consent
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"to_agency": "abc", "reason": "x"},
        {"to_agency": "999999", "reason": "x"},
        {"to_agency": "", "reason": "x"},
        {"reason": ""},
        {"to_agency": "AGENCY_B", "reason": "x"},
        {"to_agency": "LEAD", "reason": "x"},
        {"to_agency": "UNRELATED", "reason": "x", "need": "not-a-number"},
        {"to_agency": "UNRELATED", "reason": "x" * 5000},
    ],
)
def test_bad_send_input_is_a_form_error_not_a_500(client, world, data):
    consent_for(world, network=True)
    ids = {"AGENCY_B": world.agency_b.pk, "LEAD": world.lead_agency.pk, "UNRELATED": world.unrelated_agency.pk}
    data = {k: ids.get(v, v) for k, v in data.items()}
    world.lead_worker.login(client)
    response = client.post(reverse("referrals:send", args=[world.case.uuid]), data)
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Referral.objects.exists()


def test_a_need_of_another_case_is_not_a_choice(client, world):
    consent_for(world, network=True)
    foreign = need(world, case=CaseFactory(household__dong=world.dong_a, lead_agency=world.lead_agency))
    world.lead_worker.login(client)
    response = client.post(
        reverse("referrals:send", args=[world.case.uuid]),
        {"to_agency": world.unrelated_agency.pk, "reason": "x", "need": foreign.pk},
    )
    assert response.status_code == 200 and not Referral.objects.exists()


# --- The receiving worker, before and after accepting ---------------------------------------


def test_receiving_worker_reads_the_minimum_before_accepting(client, world, referral):
    world.unrelated_worker.login(client)
    response = client.get(detail(referral))
    assert response.status_code == 200
    body = response.content.decode()
    for shown in (
        world.lead_agency.name,
        str(world.lead_worker.user),
        REASON,
        referral.need.agreed_text,
        world.dong_a.name,
        world.head.name,
        f"{world.head.age_on(world.today)}세",
    ):
        assert shown in body
    for hidden in ("퇴계로", world.head.phone, referral.need.expressed_text, "저장강박", world.head_rrn[:6]):
        assert hidden not in body
    assert 'id="referral-accept"' in body and 'id="referral-withdraw"' not in body
    log = AccessLog.objects.filter(action=Action.VIEW, object_type="referral").latest("id")
    assert log.user_id == world.unrelated_worker.user.pk and log.person_ids == [world.head.pk]
    assert log.case_id == world.case.pk


def test_accepting_opens_the_case_to_the_receiving_worker(client, world, referral):
    world.unrelated_worker.login(client)
    case_url = reverse("cases:detail", args=[world.case.uuid])
    assert client.get(case_url).status_code == 404
    assert client.get(tab(world.case)).status_code == 404
    response = client.post(reverse("referrals:accept", args=[referral.uuid]), {"note": "다음 주 방문"})
    assert response.status_code == 302 and response.url == detail(referral)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert client.get(case_url).status_code == 200
    assert client.get(tab(world.case)).status_code == 200
    assert "사례 열기" in client.get(detail(referral)).content.decode()


def test_name_hidden_when_the_consent_no_longer_covers_the_receiver(client, world):
    consent = consent_for(world, world.unrelated_agency)
    referral = send(world)
    consent_withdraw(actor=world.lead_worker.actor, consent=consent)
    world.unrelated_worker.login(client)
    response = client.get(detail(referral))
    body = response.content.decode()
    assert response.status_code == 200 and world.head.name not in body and REASON in body
    assert AccessLog.objects.filter(action=Action.VIEW, object_type="referral").latest("id").person_ids == []
    response = client.post(reverse("referrals:accept", args=[referral.uuid]), {"note": ""})
    assert response.status_code == 200 and "동의" in response.content.decode()
    assert not CaseParticipant.objects.filter(case=world.case, agency=world.unrelated_agency).exists()


def test_decline_needs_a_reason_over_http(client, world, referral):
    world.unrelated_worker.login(client)
    response = client.post(reverse("referrals:decline", args=[referral.uuid]), {"reason": "  "})
    assert response.status_code == 200
    assert "거절 사유를 적으세요" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    response = client.post(reverse("referrals:decline", args=[referral.uuid]), {"reason": "정원 초과"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED and referral.response_note == "정원 초과"


def test_complete_and_withdraw_over_http(client, world, referral):
    world.lead_worker.login(client)
    assert 'id="referral-withdraw"' in client.get(detail(referral)).content.decode()
    client.logout()
    world.unrelated_worker.login(client)
    client.post(reverse("referrals:accept", args=[referral.uuid]), {"note": ""})
    body = client.get(detail(referral)).content.decode()
    assert 'id="referral-complete"' in body and 'id="referral-accept"' not in body
    response = client.post(reverse("referrals:complete", args=[referral.uuid]), {"note": ""})
    assert response.status_code == 200 and "완료 내용을 적으세요" in response.content.decode()
    assert client.post(reverse("referrals:complete", args=[referral.uuid]), {"note": "방역 완료"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED


def test_withdraw_over_http_by_the_sender_only(client, world, referral):
    world.participant_worker.login(client)
    assert client.post(reverse("referrals:withdraw", args=[referral.uuid])).status_code == 403
    client.logout()
    world.lead_supervisor.login(client)
    assert client.post(reverse("referrals:withdraw", args=[referral.uuid])).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_answering_an_already_answered_referral_explains_instead_of_failing(client, world, referral):
    referral_decline(actor=world.unrelated_worker.actor, referral=referral, reason="정원 초과")
    world.unrelated_worker.login(client)
    response = client.post(reverse("referrals:accept", args=[referral.uuid]), {"note": ""}, follow=True)
    assert response.status_code == 200
    assert "수락할 수 없습니다" in response.content.decode()


@pytest.mark.parametrize("who", ["lead_worker", "participant_worker"])
def test_accept_by_a_non_receiver_who_can_read_the_referral_is_403(client, world, referral, who):
    world.members[who].login(client)
    assert client.get(detail(referral)).status_code == 200
    assert client.post(reverse("referrals:accept", args=[referral.uuid]), {"note": ""}).status_code == 403
    assert client.post(reverse("referrals:decline", args=[referral.uuid]), {"reason": "x"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    assert not CaseParticipant.objects.filter(case=world.case, agency=world.unrelated_agency).exists()


@pytest.mark.parametrize("who", ["auditor", "b_worker", "b_admin", "nobody", "other_agency"])
def test_referral_pages_are_404_for_outsiders_and_audited(client, world, referral, who):
    if who == "other_agency":
        user = login_new_member(client, AgencyFactory(district=world.district_a, name="중구주거안심종합센터"))
    else:
        world.members[who].login(client)
        user = world.members[who].user
    urls = [detail(referral)] + [
        reverse(f"referrals:{name}", args=[referral.uuid]) for name in ("accept", "decline", "complete", "withdraw")
    ]
    assert client.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert client.post(url, {"reason": "x", "note": "x"}).status_code == 404
    assert denied(user, referral.uuid) == 5
    referral.refresh_from_db()
    assert referral.status == Status.SENT


# --- The agency inbox ------------------------------------------------------------------------


def other_case_referral(world, *, days_ago=0, status=Status.SENT, to=None) -> Referral:
    """A referral of another case of the lead agency (surroundings: written directly)."""
    case = CaseFactory(household__dong=world.dong_a, lead_agency=world.lead_agency, lead_worker=world.lead_worker.user)
    referral = Referral.objects.create(
        district=world.district_a,
        case=case,
        from_agency=world.lead_agency,
        from_worker=world.lead_worker.user,
        to_agency=to or world.unrelated_agency,
        reason="다른 사례 의뢰",
        status=status,
        sent_at=timezone.now(),
    )
    return sent_ago(referral, days=days_ago)


def test_inbox_received_pending_first_oldest_first_and_sent(client, world):
    consent_for(world, network=True)
    newer = send(world)
    declined = other_case_referral(world, days_ago=9, status=Status.DECLINED)
    oldest_pending = other_case_referral(world, days_ago=4)
    waiting = referrals_received_waiting(actor=world.unrelated_worker.actor)
    assert [r.pk for r in waiting] == [oldest_pending.pk, newer.pk]

    world.unrelated_worker.login(client)
    response = client.get(reverse("referrals:inbox"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(str(oldest_pending.uuid)) < body.index(str(newer.uuid)) < body.index(str(declined.uuid))
    assert "4일째 대기" in body and "tone-warn referral-age" in body and "오늘 의뢰" in body
    log = AccessLog.objects.filter(action=Action.LIST, object_type="referral").latest("id")
    assert log.person_ids == [world.head.pk]

    client.logout()
    world.lead_worker.login(client)
    body = client.get(reverse("referrals:inbox")).content.decode()
    sent_part = body[body.index('id="referrals-sent"') :]
    assert str(newer.uuid) in sent_part and str(declined.uuid) in sent_part


def test_inbox_shows_response_time(client, world, referral):
    sent_ago(referral, days=2, hours=3)
    referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    world.lead_worker.login(client)
    assert "응답까지 2일 3시간" in client.get(reverse("referrals:inbox")).content.decode()


@pytest.mark.parametrize("who", ["participant_worker", "b_worker", "auditor", "district_admin"])
def test_inbox_shows_nothing_of_other_agencies(client, world, referral, who):
    world.members[who].login(client)
    response = client.get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert str(referral.uuid) not in response.content.decode()


def test_inbox_queries_do_not_grow_with_the_number_of_referrals(client, world, django_assert_max_num_queries):
    consent_for(world, network=True)
    send(world)
    other_case_referral(world, status=Status.ACCEPTED)  # every list has a row: its prefetches run
    world.unrelated_worker.login(client)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("referrals:inbox"))
    for days in range(6):
        other_case_referral(world, days_ago=days)
        other_case_referral(world, days_ago=days, status=Status.ACCEPTED)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(reverse("referrals:inbox")).content.decode()
    assert body.count("다른 사례 의뢰") == 13
