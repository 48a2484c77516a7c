"""Issue 11.8 through the API: the Idempotency-Key header makes a resend harmless."""

import datetime

import pytest

from hamkke.records.models import ContactRecord, ServiceRecord

pytestmark = pytest.mark.django_db


def contact_body(world):
    return {
        "case": str(world.case.uuid),
        # yesterday: "today 00:30" is in the future in the first half hour after Seoul midnight
        "contacted_at": f"{world.today - datetime.timedelta(days=1)}T00:30:00+09:00",
        "kind": "phone",
        "outcome": "no_answer",
    }


def service_body(world):
    return {
        "case": str(world.case.uuid),
        "provided_on": world.today.isoformat(),
        "domain": "daily_living",
        "mode": "direct",
        "description": "밑반찬 전달",
    }


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [("contact-records", contact_body, ContactRecord), ("service-records", service_body, ServiceRecord)],
)
def test_two_identical_posts_with_a_key_make_one_record(world, api_as, path, body, model):
    client = api_as("lead_worker")
    url = f"/api/v1/{path}/"
    first = client.post(url, body(world), format="json", HTTP_IDEMPOTENCY_KEY="visit-2026-12-04-a")
    second = client.post(url, body(world), format="json", HTTP_IDEMPOTENCY_KEY="visit-2026-12-04-a")
    assert (first.status_code, second.status_code) == (201, 200), second.json()
    assert first.json()["uuid"] == second.json()["uuid"]
    assert model.objects.count() == 1
    third = client.post(url, body(world), format="json", HTTP_IDEMPOTENCY_KEY="visit-2026-12-04-b")
    assert third.status_code == 201 and model.objects.count() == 2
    assert client.post(url, body(world), format="json").status_code == 201  # no key: a new record each time
    assert model.objects.count() == 3


def test_someone_elses_key_is_refused_not_answered_with_their_record(world, api_as):
    url = "/api/v1/contact-records/"
    assert (
        api_as("lead_worker").post(url, contact_body(world), format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code
        == 201
    )
    other = api_as("participant_worker").post(url, contact_body(world), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 400
    assert "요청 키" in str(other.json()), other.json()
    assert "uuid" not in other.json()
    assert ContactRecord.objects.count() == 1


@pytest.mark.parametrize("bad", ["", " ", "x" * 256, "키"])
def test_a_bad_key_is_a_clear_400(world, api_as, bad):
    response = api_as("lead_worker").post(
        "/api/v1/contact-records/", contact_body(world), format="json", HTTP_IDEMPOTENCY_KEY=bad
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not ContactRecord.objects.exists()
