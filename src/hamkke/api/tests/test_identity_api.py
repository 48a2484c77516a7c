"""The API completes an unknown person's identity and merges households through the same services as the
pages (issue 13 item 2): the duplicate check answers 409 with the candidates, the merge is scoped and
audited, bad input is a 400 with the service's message."""

import pytest
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import ReferralSource
from hamkke.cases.services import case_register

pytestmark = pytest.mark.django_db


def unknown_head(world, member="lead_worker"):
    return case_register(
        actor=world.members[member].actor,
        dong=world.dong_a,
        address="서울특별시 중구 퇴계로 200",
        head={"identity_known": False, "apparent_age_band": "60s", "description": "문이 열리지 않음(이웃 제보)"},
        referral_source=ReferralSource.NEIGHBOUR,
    ).household.head


def complete_url(person):
    return reverse("api_v1:person-complete-identity", args=[person.uuid])


def test_completing_an_identity_through_the_api_runs_the_duplicate_check(world, api_as):
    person = unknown_head(world)
    api = api_as("lead_worker")
    same = {"name": world.head.name, "birth_date": world.head.birth_date.isoformat(), "sex": "F"}
    conflict = api.post(complete_url(person), same, format="json")
    assert conflict.status_code == 409, conflict.content
    assert conflict.json()["code"] == "possible_duplicate"
    assert [c["person"] for c in conflict.json()["candidates"]] == [str(world.head.uuid)]
    person.refresh_from_db()
    assert not person.identity_known

    done = api.post(complete_url(person), dict(same, confirm_not_duplicate=True), format="json")
    assert done.status_code == 200, done.content
    assert done.json()["name"] == world.head.name
    person.refresh_from_db()
    assert person.identity_known
    assert AccessLog.objects.filter(action=Action.UPDATE, person_ids=[person.pk], detail="identity completed").exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"name": "이순자"}, {"name": "이순자", "birth_date": "2999-01-01", "sex": "F"}, {"birth_date": "어제"}],
)
def test_bad_identity_input_is_a_400_that_says_what_to_enter(world, api_as, body):
    person = unknown_head(world)
    response = api_as("lead_worker").post(complete_url(person), body, format="json")
    assert response.status_code == 400, response.content
    person.refresh_from_db()
    assert not person.identity_known


def test_merging_through_the_api_moves_the_case_and_is_audited(world, api_as):
    person = unknown_head(world)
    case = person.household.cases.get()
    response = api_as("lead_worker").post(
        reverse("api_v1:person-merge", args=[person.uuid]), {"into": str(world.head.uuid)}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["uuid"] == str(world.household.uuid)
    case.refresh_from_db()
    assert case.household_id == world.household.pk
    assert AccessLog.objects.filter(action=Action.UPDATE, detail__startswith="merged household").exists()


def test_no_merge_into_a_person_outside_the_scope(world, api_as):
    person = unknown_head(world)
    elsewhere = unknown_head(world, member="unrelated_worker")
    response = api_as("lead_worker").post(
        reverse("api_v1:person-merge", args=[person.uuid]), {"into": str(elsewhere.uuid)}, format="json"
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.merged_into_id is None


def test_another_agency_cannot_complete_the_identity(world, api_as):
    person = unknown_head(world)
    response = api_as("unrelated_worker").post(
        complete_url(person), {"name": "이순자", "birth_date": "1961-04-05", "sex": "F"}, format="json"
    )
    assert response.status_code in (403, 404)
    person.refresh_from_db()
    assert not person.identity_known
