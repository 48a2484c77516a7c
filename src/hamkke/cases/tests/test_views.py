"""HTTP behaviour of the case pages: scope, audit, bad input, no 500s."""

import datetime

import pytest
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case
from hamkke.cases.stages import Stage
from hamkke.consents.services import consent_withdraw
from hamkke.people.models import Household
from hamkke.testing import make_rrn, with_wrong_check_digit

pytestmark = pytest.mark.django_db


def detail_url(case):
    return reverse("cases:detail", args=[case.uuid])


def test_anonymous_is_sent_to_login(client, world):
    for url in [reverse("cases:caseload"), detail_url(world.case), reverse("cases:register")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_caseload_shows_own_case_in_korean(client, world):
    world.lead_worker.login(client)
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "사례 목록" in text and world.head.name in text
    assert AccessLog.objects.filter(user_id=world.lead_worker.user.pk, action=Action.LIST).exists()


def test_caseload_of_unrelated_agency_does_not_list_the_case(client, world):
    world.unrelated_worker.login(client)
    response = client.get(reverse("cases:caseload"), {"scope": "all"})
    assert response.status_code == 200
    assert world.head.name not in response.content.decode()


def test_caseload_filters_and_htmx_partial(client, world):
    world.lead_worker.login(client)
    response = client.get(reverse("cases:caseload"), {"stage": Stage.DELIVERY}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and world.head.name not in text
    response = client.get(reverse("cases:caseload"), {"stage": Stage.IDENTIFICATION, "dong": world.dong_a.pk})
    assert world.head.name in response.content.decode()


def test_caseload_bad_filter_values_do_not_break(client, world):
    world.lead_worker.login(client)
    response = client.get(reverse("cases:caseload"), {"stage": "nonsense", "dong": "x", "page": "999"})
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["lead_worker", "lead_supervisor", "participant_worker", "district_admin"])
def test_case_detail_open_to_team_and_district_admin(client, world, who):
    getattr(world, who).login(client)
    response = client.get(detail_url(world.case))
    assert response.status_code == 200
    log = AccessLog.objects.filter(action=Action.VIEW, case_id=world.case.pk).latest("id")
    assert log.user_id == getattr(world, who).user.pk
    assert world.head.pk in log.person_ids


@pytest.mark.parametrize("who", ["unrelated_worker", "auditor", "b_worker", "b_admin", "nobody"])
def test_case_detail_closed_to_outsiders_and_attempt_is_audited(client, world, who):
    getattr(world, who).login(client)
    response = client.get(detail_url(world.case))
    assert response.status_code == 404
    assert "찾을 수 없습니다" in response.content.decode()
    denied = AccessLog.objects.get(action=Action.DENIED, user_id=getattr(world, who).user.pk)
    assert denied.object_id == str(world.case.uuid)


def test_participant_loses_access_when_consent_is_withdrawn(client, world):
    world.participant_worker.login(client)
    assert client.get(detail_url(world.case)).status_code == 200
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert client.get(detail_url(world.case)).status_code == 404


def test_rrn_is_masked_and_hidden_from_agencies_without_legal_basis(client, world):
    digits = world.head_rrn.replace("-", "")
    masked = f"{digits[:6]}-{digits[6]}******"
    world.lead_worker.login(client)
    text = client.get(detail_url(world.case)).content.decode()
    assert masked in text and digits not in text and digits[7:] not in text
    world.participant_worker.login(client)
    text = client.get(detail_url(world.case)).content.decode()
    assert masked not in text and digits not in text


def test_stage_change_allowed(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:stage", args=[world.case.uuid]),
        {
            "to_stage": Stage.INITIAL_CONSULTATION,
            "reason": "첫 방문에서 만남",
            "expected_version": world.case.lock_version,
        },
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.stage == Stage.INITIAL_CONSULTATION
    assert world.case.stage_changes.latest("id").reason == "첫 방문에서 만남"


def test_stage_change_not_allowed_is_explained_and_changes_nothing(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:stage", args=[world.case.uuid]), {"to_stage": Stage.DELIVERY, "reason": "건너뛰기"}
    )
    assert response.status_code == 200
    assert "올바르게 선택" in response.content.decode()  # Django's Korean 'select a valid choice'
    world.case.refresh_from_db()
    assert world.case.stage == Stage.IDENTIFICATION


def test_refusal_needs_reason_and_keeps_what_was_typed(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:stage", args=[world.case.uuid]),
        {"to_stage": Stage.REFUSED, "reason": "", "expected_version": world.case.lock_version},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "사유를 적어야 합니다" in text
    assert f'value="{Stage.REFUSED}" selected' in text
    world.case.refresh_from_db()
    assert world.case.stage == Stage.IDENTIFICATION


def test_participant_may_read_but_not_change_stage(client, world):
    world.participant_worker.login(client)
    response = client.post(
        reverse("cases:stage", args=[world.case.uuid]),
        {"to_stage": Stage.INITIAL_CONSULTATION, "expected_version": world.case.lock_version},
    )
    assert response.status_code == 403
    assert "권한이 없습니다" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.stage == Stage.IDENTIFICATION


def test_stage_change_by_outsider_is_404(client, world):
    world.b_worker.login(client)
    response = client.post(reverse("cases:stage", args=[world.case.uuid]), {"to_stage": Stage.CLOSED, "reason": "x"})
    assert response.status_code == 404


def register_data(world, **overrides):
    data = {
        "dong": world.dong_a.pk,
        "address": "서울특별시 중구 다산로 1",
        "address_detail": "101호",
        "name": "김민수",
        "birth_date": "1958-03-02",
        "sex": "M",
        "phone": "010-1234-5678",
        "rrn": "",
        "summary": "이웃 신고로 발굴",
    }
    data.update(overrides)
    return data


def test_register_household_opens_case(client, world):
    world.lead_worker.login(client)
    response = client.post(reverse("cases:register"), register_data(world))
    assert response.status_code == 302
    case = Case.objects.get(household__members__name="김민수")
    assert response["Location"] == detail_url(case)
    assert case.stage == Stage.IDENTIFICATION and case.lead_agency == world.lead_agency


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"rrn": "580302-1234567"}, "검증번호"),
        ({"rrn": "5803021"}, "13자리"),
        ({"birth_date": "1958-02-30"}, "올바른 날짜"),
        ({"birth_date": "2999-01-01"}, "미래"),
        ({"dong": "999999"}, "올바르게 선택"),
        ({"address": ""}, "주소를 입력하세요"),
    ],
)
def test_register_bad_input_gets_message_and_saves_nothing(client, world, overrides, message):
    world.lead_worker.login(client)
    households = Household.objects.count()
    response = client.post(reverse("cases:register"), register_data(world, **overrides))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'value="김민수"' in text  # what the worker typed is still there
    assert Household.objects.count() == households


def test_register_reports_every_problem_in_one_answer(client, world):
    """Issue 13 item 8: a future birth date, an RRN with a wrong check digit and an RRN whose birth
    date differs, no address and no dong — all said in one response, each with what to do."""
    world.lead_worker.login(client)
    rrn = with_wrong_check_digit(make_rrn(datetime.date(1953, 8, 14), "M"))
    data = register_data(world, birth_date="2999-01-01", rrn=rrn, address="", dong="", name="")
    response = client.post(reverse("cases:register"), data)
    assert response.status_code == 200
    text = response.content.decode()
    for words in (
        "미래 날짜는 입력할 수 없습니다 — 오늘 또는 이전 날짜를 입력하세요",
        "주민등록번호 검증번호가 맞지 않습니다",
        "주민등록번호의 생년월일이 입력한 생년월일과 다릅니다",
        "주소를 입력하세요",
        "행정동을 고르세요",
        "성명을 입력하세요 (모르면 ‘성명 미상’으로 등록할 수 있습니다)",
    ):
        assert words in text, words
    assert "이 필드는 필수 항목입니다" not in text
    assert not Household.objects.filter(address="").exists()


def test_register_dong_of_another_district_is_refused(client, world):
    world.lead_worker.login(client)
    response = client.post(reverse("cases:register"), register_data(world, dong=world.dong_b.pk))
    assert response.status_code == 200
    assert not Case.objects.filter(household__members__name="김민수").exists()


def test_register_form_has_no_rrn_field_without_legal_basis(client, world):
    world.participant_worker.login(client)
    response = client.get(reverse("cases:register"))
    assert response.status_code == 200
    assert 'name="rrn"' not in response.content.decode()
    world.lead_worker.login(client)
    assert 'name="rrn"' in client.get(reverse("cases:register")).content.decode()


@pytest.mark.parametrize("who", ["auditor", "district_admin", "lead_admin"])
def test_register_refused_for_roles_that_do_not_open_cases(client, world, who):
    getattr(world, who).login(client)
    assert client.get(reverse("cases:register")).status_code == 403


def test_unknown_case_id_is_404_not_500(client, world):
    world.lead_worker.login(client)
    assert client.get("/cases/not-a-uuid/").status_code == 404
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.FOLLOW_UP])
def test_caseload_can_show_every_stage_closed_and_follow_up_included(client, world, stage):
    """Issue 13 item 3: closed and follow-up cases are found through '전체(종결·사후관리 포함)'."""
    from hamkke.cases.forms import CaseloadFilterForm
    from hamkke.cases.models import Case

    Case.objects.filter(pk=world.case.pk).update(stage=stage)  # surroundings: the case is no longer open
    world.lead_worker.login(client)
    assert world.head.name not in client.get(reverse("cases:caseload")).content.decode()
    every = client.get(reverse("cases:caseload"), {"stage": CaseloadFilterForm.STAGE_EVERY})
    assert world.head.name in every.content.decode() and "전체(종결·사후관리 포함)" in every.content.decode()


def test_the_known_only_list_offers_emergency_access_to_case_workers_only(client, world):
    """A case the agency takes part in without a consent in force is listed with its lead only; the
    emergency-access link is there for those the emergency service lets ask (CASEWORK), not for others."""
    from hamkke.accounts.models import Role
    from hamkke.testing.factories import MembershipFactory, login_verified

    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    emergency = reverse("access:emergency", args=[world.case.uuid])
    world.participant_worker.login(client)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert world.case.reference in page and emergency in page
    client.logout()
    admin = MembershipFactory(agency=world.participating_agency, role=Role.AGENCY_ADMIN).user
    admin.set_password(world.password)
    admin.save()
    assert login_verified(client, admin, world.password)
    assert emergency not in client.get(reverse("cases:caseload")).content.decode()
