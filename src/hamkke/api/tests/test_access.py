"""The access matrix holds for the API: same selectors, same 404/403 and audit as the web."""

import datetime

import pytest

from hamkke.audit.models import AccessLog, Action

pytestmark = pytest.mark.django_db

READERS = ["lead_worker", "lead_supervisor", "participant_worker", "district_admin"]
OUTSIDERS = ["unrelated_worker", "b_worker", "b_admin", "auditor"]


def case_url(world, suffix=""):
    return f"/api/v1/cases/{world.case.uuid}/{suffix}"


@pytest.mark.parametrize("key", READERS)
def test_readers_get_the_case(world, api_as, key):
    response = api_as(key).get(case_url(world))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["uuid"] == str(world.case.uuid)
    assert body["household"]["head_name"] == world.head.name
    assert "id" not in body and "pk" not in body


@pytest.mark.parametrize("key", OUTSIDERS)
def test_outsiders_get_404_and_a_denial_in_the_log(world, api_as, key):
    client = api_as(key)
    before = AccessLog.objects.filter(action=Action.DENIED).count()
    response = client.get(case_url(world))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    denial = AccessLog.objects.filter(action=Action.DENIED).order_by("-pk").first()
    assert AccessLog.objects.filter(action=Action.DENIED).count() == before + 1
    assert denial.object_id == str(world.case.uuid) and denial.user_id == world.members[key].user.pk


@pytest.mark.parametrize("key", OUTSIDERS)
def test_outsiders_list_nothing(world, api_as, key):
    client = api_as(key)
    for path in ["cases", "households", "persons", "needs", "service-records", "contact-records", "plans"]:
        response = client.get(f"/api/v1/{path}/")
        assert response.status_code == 200
        assert response.json()["count"] == 0, path


@pytest.mark.parametrize("path", ["households/{household}", "persons/{head}"])
@pytest.mark.parametrize("key", OUTSIDERS)
def test_outsiders_get_404_for_household_and_person(world, api_as, key, path):
    url = "/api/v1/" + path.format(household=world.household.uuid, head=world.head.uuid) + "/"
    assert api_as(key).get(url).status_code == 404


def test_b_worker_gets_404_for_a_case_of_agency_a_by_uuid_even_for_writes(world, api_as):
    client = api_as("b_worker")
    response = client.post(
        case_url(world, "stage/"),
        {"to_stage": "initial_consultation", "expected_version": world.case.lock_version},
        format="json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/contact-records/",
        {"case": str(world.case.uuid), "contacted_at": "2020-01-01T10:00:00+09:00", "kind": "phone", "outcome": "met"},
        format="json",
    )
    assert response.status_code == 404
    world.case.refresh_from_db()
    assert world.case.stage == "identification"


def test_participant_reads_but_cannot_change_the_stage(world, api_as):
    client = api_as("participant_worker")
    assert client.get(case_url(world)).status_code == 200
    response = client.post(
        case_url(world, "stage/"),
        {"to_stage": "initial_consultation", "expected_version": world.case.lock_version},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    world.case.refresh_from_db()
    assert world.case.stage == "identification"


def test_participant_cannot_record_a_need(world, api_as):
    response = api_as("participant_worker").post(
        "/api/v1/needs/",
        {"case": str(world.case.uuid), "domain": "housing", "expressed_text": "집이 좀 깨끗했으면"},
        format="json",
    )
    assert response.status_code == 403


def test_lead_worker_changes_the_stage_through_the_service(world, api_as):
    client = api_as("lead_worker")
    response = client.post(
        case_url(world, "stage/"),
        {"to_stage": "initial_consultation", "reason": "첫 상담", "expected_version": world.case.lock_version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "initial_consultation"
    assert world.case.stage_changes.filter(to_stage="initial_consultation", reason="첫 상담").exists()


def test_a_bad_transition_is_a_json_field_error(world, api_as):
    response = api_as("lead_worker").post(
        case_url(world, "stage/"), {"to_stage": "delivery", "expected_version": 1}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "to_stage" in body["fields"]
    assert body["message"]["en"] and body["message"]["ko"]


def test_closing_is_not_offered_by_the_stage_endpoint(world, api_as):
    response = api_as("lead_worker").post(
        case_url(world, "stage/"), {"to_stage": "closed", "reason": "x", "expected_version": 1}, format="json"
    )
    assert response.status_code == 400 and "to_stage" in response.json()["fields"]


def test_participant_records_contact_and_service_as_its_own_agency(world, api_as):
    client = api_as("participant_worker")
    day = world.today.isoformat()
    response = client.post(
        "/api/v1/contact-records/",
        {
            "case": str(world.case.uuid),
            # yesterday: "today 00:30" is in the future in the first half hour after Seoul midnight
            "contacted_at": f"{world.today - datetime.timedelta(days=1)}T00:30:00+09:00",
            "kind": "home_visit",
            "outcome": "no_answer",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["agency"]["uuid"] == str(world.participating_agency.uuid)
    response = client.post(
        "/api/v1/service-records/",
        {
            "case": str(world.case.uuid),
            "provided_on": day,
            "domain": "daily_living",
            "mode": "direct",
            "description": "밑반찬 전달",
            "amount_kind": "goods",
            "amount": 20000,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["provider_agency"]["uuid"] == str(world.participating_agency.uuid)


def test_service_rules_come_back_as_field_errors(world, api_as):
    response = api_as("lead_worker").post(
        "/api/v1/service-records/",
        {
            "case": str(world.case.uuid),
            "provided_on": world.today.isoformat(),
            "domain": "livelihood",
            "mode": "direct",
            "description": "긴급 생계비",
            "amount_kind": "money",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "amount" in response.json()["fields"]


def test_auditor_sees_nothing_and_nobody_is_refused(world, api_as, client):
    assert api_as("auditor").get("/api/v1/cases/").json()["count"] == 0
    world.nobody.login(client)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_district_admin_reads_but_does_not_write(world, api_as):
    client = api_as("district_admin")
    assert client.get(case_url(world)).status_code == 200
    assert (
        client.post(
            case_url(world, "stage/"),
            {"to_stage": "initial_consultation", "expected_version": world.case.lock_version},
            format="json",
        ).status_code
        == 403
    )


def test_withdrawn_consent_removes_the_participant_at_once(world, api_as):
    from hamkke.consents.services import consent_withdraw

    client = api_as("participant_worker")
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert client.get(case_url(world)).status_code == 404
