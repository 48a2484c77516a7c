"""Registering the unknown (issue 13 item 2): a door that does not open is registered as "성명 미상"
with what was observed; the identity is completed later, when the duplicate check runs again, and a
match may be merged into the existing household with its history kept and the merge audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamkke.assessment.services import need_record
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case, ReferralSource
from hamkke.cases.services import case_register
from hamkke.people.models import UNKNOWN_NAME, Household, Person
from hamkke.people.services import (
    DuplicatePersonFound,
    household_merge,
    person_complete_identity,
    person_create,
)
from hamkke.reports.periods import Period
from hamkke.reports.selectors import statistics_for_actor

pytestmark = pytest.mark.django_db

SEEN = "우편물이 쌓여 있고 문 앞에 쓰레기 봉투 여럿. 60대 남성으로 보임(옆집 주민 제보)."


def register_unknown(world, member="lead_worker", **head):
    return case_register(
        actor=world.members[member].actor,
        dong=world.dong_a,
        address="서울특별시 중구 퇴계로 200",
        head={"identity_known": False, "apparent_age_band": "60s", "description": SEEN, **head},
        referral_source=ReferralSource.NEIGHBOUR,
        referral_note="옆집 주민",
        first_contact_on=world.today - datetime.timedelta(days=10),
    )


def test_an_unknown_person_is_registered_with_a_description_and_sex_unknown(world):
    logs = AccessLog.objects.filter(action=Action.LIST, object_type="person").count()
    case = register_unknown(world)
    person = case.household.head
    assert (person.name, person.identity_known, person.birth_date, person.sex) == (UNKNOWN_NAME, False, None, "U")
    assert (person.apparent_age_band, person.description) == ("60s", SEEN)
    assert case.opened_on == world.today - datetime.timedelta(days=10)
    # nothing to compare yet: the duplicate check waits for the identity
    assert AccessLog.objects.filter(action=Action.LIST, object_type="person").count() == logs


def test_an_unknown_person_needs_what_was_observed_and_takes_no_rrn(world):
    households = Household.objects.count()
    with pytest.raises(ValidationError) as error:
        register_unknown(world, description="  ", rrn=world.head_rrn)
    assert {"description", "rrn"} <= set(error.value.message_dict)
    assert Household.objects.count() == households


def test_sex_is_never_silently_female_and_every_identity_error_comes_at_once(world):
    with pytest.raises(ValidationError) as error:
        person_create(actor=world.lead_worker.actor, household=world.household, name="", birth_date=None, sex="")
    assert set(error.value.message_dict) == {"name", "birth_date", "sex"}
    assert "1953-08-14" in error.value.message_dict["birth_date"][0]


def test_the_register_form_passes_an_unknown_person_to_the_service(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:register"),
        {
            "dong": world.dong_a.pk,
            "address": "서울특별시 중구 퇴계로 200",
            "identity_unknown": "on",
            "apparent_age_band": "60s",
            "description": SEEN,
            "first_contact_on": (world.today - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(description=SEEN)
    assert person.name == UNKNOWN_NAME and person.sex == Person.Sex.UNKNOWN


def test_the_register_form_without_sex_says_so_instead_of_choosing_female(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("cases:register"),
        {"dong": world.dong_a.pk, "address": "서울특별시 중구 퇴계로 9", "name": "김철수", "birth_date": "1960-01-02"},
    )
    assert response.status_code == 200 and "성별을 고르세요" in response.content.decode()
    assert not Person.objects.filter(name="김철수").exists()


# --- completing the identity -------------------------------------------------------------------------


def test_completing_the_identity_runs_the_duplicate_check_again(world):
    person = register_unknown(world).household.head
    actor = world.lead_worker.actor
    with pytest.raises(DuplicatePersonFound) as error:
        person_complete_identity(
            actor=actor, person=person, name=world.head.name, birth_date=world.head.birth_date, sex="F"
        )
    assert [c.person_id for c in error.value.candidates] == [world.head.pk]
    person.refresh_from_db()
    assert not person.identity_known
    done = person_complete_identity(
        actor=actor, person=person, name="이순자", birth_date=datetime.date(1961, 4, 5), sex="F"
    )
    assert (done.name, done.identity_known, done.birth_date) == ("이순자", True, datetime.date(1961, 4, 5))
    assert AccessLog.objects.filter(action=Action.UPDATE, person_ids=[person.pk], detail="identity completed").exists()
    with pytest.raises(ValidationError):
        person_complete_identity(actor=actor, person=done, name="x", birth_date=datetime.date(1961, 4, 5), sex="F")


def test_only_the_agency_working_the_case_completes_the_identity(world):
    person = register_unknown(world).household.head
    with pytest.raises(PermissionDenied):
        person_complete_identity(
            actor=world.unrelated_worker.actor, person=person, name="이", birth_date=datetime.date(1961, 4, 5), sex="F"
        )


def test_a_match_is_merged_into_the_existing_household_with_its_history(world):
    case = register_unknown(world)
    unknown = case.household.head
    source = case.household
    need = need_record(
        actor=world.lead_worker.actor, case=case, domain="housing", expressed_text="집 정리", person=unknown
    )
    target = household_merge(actor=world.lead_worker.actor, person=unknown, into=world.head)
    assert target == world.household
    case.refresh_from_db()
    need.refresh_from_db()
    unknown.refresh_from_db()
    source.refresh_from_db()
    assert case.household_id == world.household.pk and need.person_id == world.head.pk
    assert unknown.merged_into_id == world.head.pk and source.merged_into_id == world.household.pk
    assert set(Case.objects.filter(household=world.household)) == {world.case, case}
    assert case.history.filter(household_id=source.pk).exists()  # the change history keeps where it was
    assert world.household.members.filter(pk=unknown.pk).count() == 0
    log = AccessLog.objects.filter(action=Action.UPDATE, detail__startswith="merged household").get()
    assert set(log.person_ids) == {world.head.pk, unknown.pk}


def test_no_merge_into_a_household_the_actor_cannot_open(world):
    unknown = register_unknown(world).household.head
    elsewhere = register_unknown(world, member="unrelated_worker", description="다른 기관의 가구").household.head
    with pytest.raises(PermissionDenied):
        household_merge(actor=world.lead_worker.actor, person=unknown, into=elsewhere)


def test_the_identify_page_offers_the_merge_and_merges(client, world):
    unknown = register_unknown(world).household.head
    world.lead_worker.login(client)
    url = reverse("people:person_identify", args=[unknown.uuid])
    page = client.post(url, {"name": world.head.name, "birth_date": world.head.birth_date.isoformat(), "sex": "F"})
    text = page.content.decode()
    assert page.status_code == 200 and "이 가구와 합치기" in text and str(world.head.uuid) in text
    merged = client.post(reverse("people:person_merge", args=[unknown.uuid]), {"into": str(world.head.uuid)})
    assert merged.status_code == 302 and merged["Location"] == reverse("people:household", args=[world.household.uuid])


# --- statistics ------------------------------------------------------------------------------------


def test_statistics_count_an_unknown_household_like_any_other(world):
    period = Period.of_year((world.today - datetime.timedelta(days=10)).year)  # the year it opened in
    before = statistics_for_actor(actor=world.district_admin.actor, period=period).households_new
    register_unknown(world)
    after = statistics_for_actor(actor=world.district_admin.actor, period=period).households_new
    assert after == before + 1
