"""Outreach and intake (발굴·접수): how the household was found, first contact, urgency screening, and
the duplicate check before anything is created."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case, ReferralSource, Urgency
from hamkke.cases.services import case_register
from hamkke.people.models import Household, Person
from hamkke.people.selectors import MATCH_NAME_BIRTH, MATCH_RRN, person_duplicate_candidates

pytestmark = pytest.mark.django_db

CONFIRM_BOX = 'name="confirm_not_duplicate"'


def register_data(world, **overrides):
    data = {
        "dong": world.dong_a.pk,
        "address": "서울특별시 중구 다산로 1",
        "address_detail": "101호",
        "name": "김민수",
        "birth_date": "1958-03-02",
        "sex": "M",
        "phone": "",
        "rrn": "",
        "summary": "이웃 신고로 발굴",
        "referral_source": ReferralSource.NEIGHBOUR,
        "referral_note": "옆집 주민이 우편물이 쌓인 것을 보고 연락",
        "first_contact_on": "",
        "urgency": Urgency.SOON,
    }
    data.update(overrides)
    return data


def register(actor, dong, name="김민수", birth=datetime.date(1958, 3, 2), sex="M", rrn="", **intake):
    return case_register(
        actor=actor,
        dong=dong,
        address="서울특별시 중구 다산로 1",
        head={"name": name, "birth_date": birth, "sex": sex, "rrn": rrn},
        **intake,
    )


# --- intake fields (service) ------------------------------------------------------------------------


def test_intake_fields_are_saved(world):
    first = world.today - datetime.timedelta(days=3)
    case = register(
        world.lead_worker.actor,
        world.dong_a,
        referral_source=ReferralSource.BLIND_SPOT_LIST,
        referral_note="  2분기 발굴 명단  ",
        first_contact_on=first,
        urgency=Urgency.URGENT,
    )
    case.refresh_from_db()
    assert (case.referral_source, case.referral_note, case.first_contact_on, case.urgency) == (
        ReferralSource.BLIND_SPOT_LIST,
        "2분기 발굴 명단",
        first,
        Urgency.URGENT,
    )
    assert case.history.count() == 2  # created, then the intake fields: both in the change history


def test_intake_fields_are_optional(world):
    case = register(world.lead_worker.actor, world.dong_a)
    assert (case.referral_source, case.first_contact_on, case.urgency) == ("", None, "")


@pytest.mark.parametrize(
    "intake, field",
    [
        ({"referral_source": "rumour"}, "referral_source"),
        ({"urgency": "asap"}, "urgency"),
        ({"referral_source": ReferralSource.OTHER}, "referral_note"),
        ({"referral_note": "가" * 201}, "referral_note"),
        ({"first_contact_on": datetime.date(2999, 1, 1)}, "first_contact_on"),
        ({"first_contact_on": datetime.date(1999, 12, 31)}, "first_contact_on"),
    ],
)
def test_bad_intake_is_refused_and_creates_nothing(world, intake, field):
    households = Household.objects.count()
    with pytest.raises(ValidationError) as error:
        register(world.lead_worker.actor, world.dong_a, **intake)
    assert field in error.value.error_dict
    assert Household.objects.count() == households


def test_first_contact_cannot_be_after_the_opening_date(world):
    opened = world.today - datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        register(
            world.lead_worker.actor,
            world.dong_a,
            opened_on=opened,
            first_contact_on=opened + datetime.timedelta(days=1),
        )
    assert "first_contact_on" in error.value.error_dict
    case = register(world.lead_worker.actor, world.dong_a, opened_on=opened, first_contact_on=opened)
    assert case.first_contact_on == opened


# --- intake fields (HTTP) ---------------------------------------------------------------------------


def test_register_form_saves_intake(client, world):
    world.lead_worker.login(client)
    first = world.today - datetime.timedelta(days=2)
    response = client.post(reverse("cases:register"), register_data(world, first_contact_on=first.isoformat()))
    assert response.status_code == 302
    case = Case.objects.get(household__members__name="김민수")
    assert (case.referral_source, case.first_contact_on, case.urgency) == (
        ReferralSource.NEIGHBOUR,
        first,
        Urgency.SOON,
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"first_contact_on": "2024-02-30"}, "올바른 날짜"),
        ({"first_contact_on": "2999-01-01"}, "미래"),
        ({"referral_source": "rumour"}, "올바르게 선택"),
        ({"urgency": "asap"}, "올바르게 선택"),
        ({"referral_source": ReferralSource.OTHER, "referral_note": ""}, "기타"),
    ],
)
def test_register_form_bad_intake_is_a_form_error(client, world, overrides, message):
    world.lead_worker.login(client)
    households = Household.objects.count()
    response = client.post(reverse("cases:register"), register_data(world, **overrides))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and 'value="김민수"' in text
    assert Household.objects.count() == households


# --- duplicate check --------------------------------------------------------------------------------


def test_selector_finds_name_birth_and_rrn_matches_in_the_district_only(world):
    lead = world.lead_worker.actor
    by_name = person_duplicate_candidates(actor=lead, name=" 홍길순 ", birth_date=world.head.birth_date)
    assert [(c.person_id, c.matched_on, c.in_scope) for c in by_name] == [(world.head.pk, MATCH_NAME_BIRTH, True)]
    assert by_name[0].cases == (world.case,)
    by_rrn = person_duplicate_candidates(actor=lead, name="다른이름", birth_date=world.today, rrn=world.head_rrn)
    assert [(c.person_id, c.matched_on) for c in by_rrn] == [(world.head.pk, MATCH_RRN)]
    assert person_duplicate_candidates(actor=lead, name="홍길순", birth_date=datetime.date(1958, 3, 16)) == []
    other_district = person_duplicate_candidates(
        actor=world.b_worker.actor, name="홍길순", birth_date=world.head.birth_date, rrn=world.head_rrn
    )
    assert other_district == []


def test_selector_gives_only_the_lead_agency_for_a_match_out_of_scope(world):
    candidates = person_duplicate_candidates(
        actor=world.unrelated_worker.actor, name="홍길순", birth_date=world.head.birth_date
    )
    assert len(candidates) == 1
    match = candidates[0]
    assert not match.in_scope and match.person is None and match.cases == ()
    assert match.lead_agencies == (world.lead_agency.name,)


def test_in_scope_match_shows_links_and_asks_to_confirm(client, world):
    world.lead_worker.login(client)
    households = Household.objects.count()
    data = register_data(world, name=world.head.name, birth_date=world.head.birth_date.isoformat(), sex="F")
    response = client.post(reverse("cases:register"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("people:household", args=[world.household.uuid]) in text
    assert reverse("cases:detail", args=[world.case.uuid]) in text
    assert CONFIRM_BOX in text and "기존 당사자와 다른 사람임을 확인했습니다" in text
    assert world.head.rrn_masked not in text  # never the RRN, not even masked
    assert Household.objects.count() == households
    log = AccessLog.objects.filter(action=Action.LIST, object_type="person").latest("id")
    assert log.user_id == world.lead_worker.user.pk and log.person_ids == [world.head.pk]

    response = client.post(reverse("cases:register"), {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name=world.head.name, birth_date=world.head.birth_date).count() == 2


def test_out_of_scope_match_shows_only_the_lead_agency(client, world):
    world.unrelated_worker.login(client)
    data = register_data(
        world,
        name=world.head.name,
        birth_date=world.head.birth_date.isoformat(),
        sex="F",
        address="서울특별시 중구 필동로 5",
    )
    response = client.post(reverse("cases:register"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert world.lead_agency.name in text and CONFIRM_BOX in text
    for hidden in [
        str(world.household.uuid),
        str(world.case.uuid),
        str(world.head.uuid),
        world.household.address,
        world.head.phone,
        world.case.lead_worker.display_name,
        world.head.rrn_masked,
    ]:
        assert hidden not in text
    log = AccessLog.objects.filter(action=Action.LIST, object_type="person").latest("id")
    assert log.person_ids == [world.head.pk]
    assert client.post(reverse("cases:register"), {**data, "confirm_not_duplicate": "on"}).status_code == 302


def test_rrn_match_is_a_hard_stop_without_a_confirm_box(client, world):
    world.lead_worker.login(client)
    households = Household.objects.count()
    data = register_data(
        world, name="홍길동", birth_date=world.head.birth_date.isoformat(), sex="F", rrn=world.head_rrn
    )
    for attempt in (data, {**data, "confirm_not_duplicate": "on"}):
        response = client.post(reverse("cases:register"), attempt)
        assert response.status_code == 200
        text = response.content.decode()
        assert "주민등록번호 일치" in text and "새로 등록할 수 없습니다" in text
        assert CONFIRM_BOX not in text
        assert reverse("people:household", args=[world.household.uuid]) in text
    assert Household.objects.count() == households


def test_no_match_creates_at_once_and_the_lookup_is_logged(client, world):
    world.lead_worker.login(client)
    response = client.post(reverse("cases:register"), register_data(world))
    assert response.status_code == 302
    log = AccessLog.objects.filter(action=Action.LIST, object_type="person").latest("id")
    assert log.person_ids == [] and log.user_id == world.lead_worker.user.pk


def test_confirm_box_is_not_offered_before_a_match(client, world):
    world.lead_worker.login(client)
    assert CONFIRM_BOX not in client.get(reverse("cases:register")).content.decode()
    response = client.post(reverse("cases:register"), register_data(world, address=""))
    assert CONFIRM_BOX not in response.content.decode()
