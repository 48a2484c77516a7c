"""HTTP behaviour of the consultation and assessment tab: scope, permissions, forms, htmx, no 500s."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hamkke.assessment.models import CrisisAssessment, InitialConsultation, Need, Strength
from hamkke.assessment.services import need_record, strength_record
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.services import case_register
from hamkke.core.domains import LifeDomain

pytestmark = pytest.mark.django_db

EXPRESSED = "일하고 싶어요"
NEED_DATA = {
    "domain": LifeDomain.EMPLOYMENT,
    "expressed_text": EXPRESSED,
    "felt_text": "쓸모 있는 사람이고 싶다",
    "agreed_text": "바리스타 과정을 마치고 카페에서 일한다",
    "proposer": Need.Proposer.PERSON,
    "framing": Need.Framing.POSITIVE,
    "person": "",
}
ADD_DATA = {
    "consultations": {
        "held_on": "",
        "place": "동주민센터",
        "participants": "당사자",
        "presenting_issues": "잠을 못 잔다",
        "worker_observations": "",
    },
    "needs": NEED_DATA,
    "strengths": {
        "side": Strength.Side.INNER,
        "kind": Strength.Kind.EXPERIENCE,
        "description": "커피 내린 경험",
        "domain": "",
        "note": "",
        "person": "",
    },
    "crisis": {"assessed_on": "", "level": "medium", "note": "정신건강 위험 살핌", "mental_health_risk": "on"},
}
MODELS = {"consultations": InitialConsultation, "needs": Need, "strengths": Strength, "crisis": CrisisAssessment}
ADD_NAMES = {
    "consultations": "consultation_add",
    "needs": "need_add",
    "strengths": "strength_add",
    "crisis": "crisis_add",
}
OUTSIDERS = ["unrelated_worker", "auditor", "b_worker", "b_admin", "nobody"]


def tab_url(case):
    return reverse("assessment:case", args=[case.uuid])


def add_url(case, section):
    return reverse(f"assessment:{ADD_NAMES[section]}", args=[case.uuid])


def add_data(world, section, **overrides):
    data = dict(ADD_DATA[section])
    for date_field in ("held_on", "assessed_on"):
        if date_field in data:
            data[date_field] = world.today.isoformat()
    data.update(overrides)
    return data


@pytest.fixture
def need(world):
    return need_record(
        actor=world.lead_worker.actor,
        case=world.case,
        domain=LifeDomain.HOUSING,
        expressed_text="집 좀 치워 주세요",
        felt_text="편히 쉬고 싶다",
        agreed_text="방 하나를 쉬는 곳으로",
    )


@pytest.fixture
def strength(world):
    return strength_record(
        actor=world.lead_worker.actor,
        case=world.case,
        side=Strength.Side.OUTER,
        kind=Strength.Kind.FAMILY,
        description="딸이 주말마다 들름",
    )


def item_urls(world, need, strength):
    case = world.case.uuid
    return (
        [tab_url(world.case)]
        + [add_url(world.case, s) for s in ADD_NAMES]
        + [
            reverse("assessment:need_edit", args=[case, need.uuid]),
            reverse("assessment:need_status", args=[case, need.uuid]),
            reverse("assessment:strength_edit", args=[case, strength.uuid]),
        ]
    )


# --- who may see and change -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead_worker", "lead_supervisor"])
def test_lead_agency_sees_the_tab_with_add_forms(client, world, need, who):
    getattr(world, who).login(client)
    response = client.get(tab_url(world.case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "집 좀 치워 주세요" in text and 'name="expressed_text"' in text
    assert reverse("assessment:need_status", args=[world.case.uuid, need.uuid]) in text
    log = AccessLog.objects.filter(action=Action.VIEW, case_id=world.case.pk).latest("id")
    assert log.user_id == getattr(world, who).user.pk and world.head.pk in log.person_ids


@pytest.mark.parametrize("who", ["participant_worker", "district_admin"])
def test_readers_see_the_tab_without_forms_and_cannot_add(client, world, need, strength, who):
    getattr(world, who).login(client)
    response = client.get(tab_url(world.case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "집 좀 치워 주세요" in text and "딸이 주말마다 들름" in text
    assert 'name="expressed_text"' not in text and "/status/" not in text and "/edit/" not in text
    for url in item_urls(world, need, strength)[1:]:
        assert client.get(url).status_code == 404
    for section in ADD_NAMES:
        assert client.post(add_url(world.case, section), add_data(world, section)).status_code == 404
    assert Need.objects.count() == 1 and Strength.objects.count() == 1
    assert not InitialConsultation.objects.exists() and not CrisisAssessment.objects.exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_everywhere_and_it_is_logged(client, world, need, strength, who):
    getattr(world, who).login(client)
    for url in item_urls(world, need, strength):
        assert client.get(url).status_code == 404, url
    assert client.post(add_url(world.case, "needs"), add_data(world, "needs")).status_code == 404
    assert Need.objects.count() == 1
    denied = AccessLog.objects.filter(action=Action.DENIED, user_id=getattr(world, who).user.pk)
    assert denied.filter(object_id=str(world.case.uuid)).exists()


def test_unknown_ids_and_a_need_of_another_case_are_404(client, world, need):
    world.lead_worker.login(client)
    assert client.get(reverse("assessment:case", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("assessment:need_edit", args=[world.case.uuid, uuid.uuid4()])).status_code == 404
    other = case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a2,
        address="명동길 3",
        head={"name": "남궁민", "birth_date": world.head.birth_date.replace(year=1971), "sex": "M"},
    )
    assert client.get(reverse("assessment:need_status", args=[other.uuid, need.uuid])).status_code == 404
    assert client.get(f"/cases/{world.case.uuid}/assessment/needs/{need.pk}/edit/").status_code == 404


# --- adding, normal post and htmx ---------------------------------------------------------------------


@pytest.mark.parametrize("section", list(ADD_NAMES))
def test_add_form_posts_and_redirects_to_the_tab(client, world, section):
    world.lead_worker.login(client)
    response = client.post(add_url(world.case, section), add_data(world, section))
    assert response.status_code == 302
    assert response["Location"] == f"{tab_url(world.case)}#{section}"
    record = MODELS[section].objects.get()
    assert record.case == world.case and record.recorded_by == world.lead_worker.user


@pytest.mark.parametrize("section", list(ADD_NAMES))
def test_add_form_with_htmx_swaps_the_section(client, world, section):
    world.lead_worker.login(client)
    response = client.post(add_url(world.case, section), add_data(world, section), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and f'id="{section}"' in text
    # What was done is said once, in the page's message area (swapped out of band), not in the section.
    assert text.count('<div id="messages" role="status" hx-swap-oob="innerHTML">') == 1
    assert text.count("기록했습니다.") == 1
    assert MODELS[section].objects.count() == 1


# --- messages: said once, in words that say what happened (issue 13 item 8) --------------------------


@pytest.mark.parametrize("section", list(ADD_NAMES))
def test_success_message_appears_once_after_the_redirect(client, world, section):
    world.lead_worker.login(client)
    response = client.post(add_url(world.case, section), add_data(world, section), follow=True)
    text = response.content.decode()
    assert text.count("기록했습니다.") == 1
    # Shown once and gone: the next page does not repeat it.
    assert "기록했습니다." not in client.get(tab_url(world.case)).content.decode()


def test_htmx_answer_replaces_the_message_of_the_previous_page(client, world, need):
    """The found bug: after an edit (message on top of the tab), an inline add showed its own note
    in the section while the earlier message stayed: two success messages on one page. The htmx
    answer now carries the one message area, which replaces what it said; an answer with errors
    empties it."""
    world.lead_worker.login(client)
    response = client.post(add_url(world.case, "needs"), add_data(world, "needs"), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    area = text[text.index('<div id="messages"') :]
    assert area.count("<li") == 1 and "욕구를 기록했습니다." in area
    response = client.post(add_url(world.case, "needs"), add_data(world, "needs", domain="x"), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert '<div id="messages" role="status" hx-swap-oob="innerHTML"></div>' in text


@pytest.mark.parametrize(
    "section, updated",
    [
        ("needs", "욕구를 수정했습니다."),
        ("strengths", "강점·당사자 자원을 수정했습니다."),
        ("consultations", "초기상담을 수정했습니다."),
    ],
)
def test_an_edit_says_it_was_changed_not_recorded(client, world, need, strength, section, updated):
    world.lead_worker.login(client)
    if section == "consultations":
        client.post(add_url(world.case, "consultations"), add_data(world, "consultations"))
        client.get(tab_url(world.case))  # the add's own message, shown
    instance = {"needs": need, "strengths": strength, "consultations": InitialConsultation.objects.first()}[section]
    data = {
        "needs": {**NEED_DATA, "expected_version": need.lock_version},
        "strengths": {"side": "outer", "kind": "family", "description": "딸이 들름", "domain": "", "note": ""},
        "consultations": add_data(world, "consultations"),
    }[section]
    url = reverse(f"assessment:{ADD_NAMES[section].replace('_add', '_edit')}", args=[world.case.uuid, instance.uuid])
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert text.count(updated) == 1 and "기록했습니다." not in text


def test_add_page_works_without_javascript(client, world):
    world.lead_worker.login(client)
    response = client.get(add_url(world.case, "crisis"))
    assert response.status_code == 200
    assert f'value="{world.today.isoformat()}"' in response.content.decode()


@pytest.mark.parametrize(
    "section, overrides, message",
    [
        ("consultations", {"held_on": "2024-02-30"}, "올바른 날짜"),
        ("consultations", {"held_on": "2999-01-01"}, "미래"),
        ("crisis", {"assessed_on": "31/12/2024"}, "올바른 날짜"),
        ("crisis", {"level": "extreme"}, "올바르게 선택"),
        ("needs", {"domain": "nonsense"}, "올바르게 선택"),
        ("needs", {"person": "999999"}, "올바르게 선택"),
        ("strengths", {"kind": "pet"}, "올바르게 선택"),
        ("strengths", {"side": "outer", "kind": "will"}, "안쪽 자원"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_a_form_error_and_keeps_what_was_typed(client, world, section, overrides, message, htmx):
    world.lead_worker.login(client)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = add_data(world, section, **overrides)
    response = client.post(add_url(world.case, section), data, **headers)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    typed = next(v for k, v in data.items() if k in ("presenting_issues", "note", "expressed_text", "description"))
    assert typed in text
    assert not MODELS[section].objects.exists()


def test_need_without_felt_need_is_refused_on_the_form(client, world):
    world.lead_worker.login(client)
    response = client.post(add_url(world.case, "needs"), add_data(world, "needs", felt_text=""))
    assert response.status_code == 200
    assert "느끼는 욕구를 적어야" in response.content.decode()
    assert not Need.objects.exists()


def test_agreed_text_repeating_the_expressed_warns_until_confirmed(client, world):
    world.lead_worker.login(client)
    data = add_data(world, "needs", agreed_text=EXPRESSED + "!")
    assert 'name="confirm_same_text"' not in client.get(tab_url(world.case)).content.decode()
    response = client.post(add_url(world.case, "needs"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "거의 그대로" in text and 'name="confirm_same_text"' in text and "표현한 말 그대로 합의했음을 확인" in text
    assert not Need.objects.exists()
    response = client.post(add_url(world.case, "needs"), {**data, "confirm_same_text": "on"})
    assert response.status_code == 302
    assert Need.objects.get().agreed_text == EXPRESSED + "!"


# --- editing and status -------------------------------------------------------------------------------


def test_need_edit_page_prefills_and_saves(client, world, need):
    world.lead_worker.login(client)
    url = reverse("assessment:need_edit", args=[world.case.uuid, need.uuid])
    response = client.get(url)
    assert response.status_code == 200 and "편히 쉬고 싶다" in response.content.decode()
    response = client.post(
        url,
        {
            **NEED_DATA,
            "expressed_text": "집 좀 치워 주세요",
            "agreed_text": "거실을 함께 정리해 친구를 초대한다",
            "expected_version": need.lock_version,
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.domain, need.agreed_text) == (LifeDomain.EMPLOYMENT, "거실을 함께 정리해 친구를 초대한다")


def test_strength_edit_refuses_a_kind_of_the_wrong_side(client, world, strength):
    world.lead_worker.login(client)
    url = reverse("assessment:strength_edit", args=[world.case.uuid, strength.uuid])
    response = client.post(url, {"side": "inner", "kind": "family", "description": "딸", "domain": "", "note": ""})
    assert response.status_code == 200 and "바깥 자원" in response.content.decode()
    strength.refresh_from_db()
    assert strength.side == Strength.Side.OUTER


def test_consultation_edit(client, world):
    world.lead_worker.login(client)
    client.post(add_url(world.case, "consultations"), add_data(world, "consultations"))
    consultation = InitialConsultation.objects.get()
    url = reverse("assessment:consultation_edit", args=[world.case.uuid, consultation.uuid])
    response = client.post(url, add_data(world, "consultations", presenting_issues="밤에 잠을 못 잔다"))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.presenting_issues == "밤에 잠을 못 잔다"


def test_need_status_page_sets_aside_with_a_reason_only(client, world, need):
    world.lead_worker.login(client)
    url = reverse("assessment:need_status", args=[world.case.uuid, need.uuid])
    response = client.post(
        url,
        {"status": Need.Status.SET_ASIDE, "set_aside_reason": "", "set_aside_note": "나중에", "expected_version": 1},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "내려놓는 이유를 고르세요" in text and "나중에" in text
    response = client.post(
        url,
        {
            "status": Need.Status.SET_ASIDE,
            "set_aside_reason": Need.SetAsideReason.RESOURCES,
            "set_aside_note": "지역에 맞는 자원이 없음",
            "expected_version": 1,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#needs")
    need.refresh_from_db()
    assert (need.status, need.set_aside_reason) == (Need.Status.SET_ASIDE, Need.SetAsideReason.RESOURCES)
    text = client.get(tab_url(world.case)).content.decode()
    assert "지역에 맞는 자원이 없음" in text


def test_need_status_page_refuses_an_unknown_or_impossible_status(client, world, need):
    world.lead_worker.login(client)
    url = reverse("assessment:need_status", args=[world.case.uuid, need.uuid])
    for status in ("done", Need.Status.ACHIEVED):
        response = client.post(url, {"status": status, "expected_version": 1})
        assert response.status_code == 200 and "올바르게 선택" in response.content.decode()
    need.refresh_from_db()
    assert need.status == Need.Status.DISCUSSING
    assert client.post(url, {"status": Need.Status.SELECTED, "expected_version": 1}).status_code == 302


def test_a_need_of_100000_characters_gets_a_field_error_and_keeps_the_input(client, world):
    """Issue 11, finding 11: three 100,000-character texts (2.7 MB as a browser form) used to answer a bare
    400 page and lose everything; now each text gets its field error and the page keeps what was typed."""
    from urllib.parse import urlencode

    world.lead_worker.login(client)
    long = "가" * 100_000
    data = {**NEED_DATA, "expressed_text": long, "felt_text": long, "agreed_text": long}
    response = client.post(
        add_url(world.case, "needs"), urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    text = response.content.decode()
    assert response.status_code == 200 and text.count("최대 2000 개의 글자") == 3
    assert long in text  # the input is kept
    assert not Need.objects.filter(case=world.case).exists()


def test_need_texts_over_the_limit_are_refused_by_the_service(world):
    from hamkke.assessment.models import NEED_TEXT_MAX
    from hamkke.assessment.services import need_record

    with pytest.raises(ValidationError) as error:
        need_record(
            actor=world.lead_worker.actor, case=world.case, domain="housing", expressed_text="가" * (NEED_TEXT_MAX + 1)
        )
    assert "expressed_text" in error.value.error_dict
