import pytest
from django.urls import reverse

from hamkke.consents.models import Consent

pytestmark = pytest.mark.django_db


def test_record_consent_naming_an_agency(client, world):
    world.lead_worker.login(client)
    url = reverse("consents:add", args=[world.case.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "person": world.head.pk,
            "given_on": str(world.today),
            "required_collection": "on",
            "third_party_agencies": [world.unrelated_agency.pk],
            "optional_items": ["contact"],
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.latest("id")
    assert list(consent.third_party_agencies.all()) == [world.unrelated_agency]
    # Consent alone opens nothing: the agency must also be on the case team.
    world.unrelated_worker.login(client)
    assert client.get(reverse("cases:detail", args=[world.case.uuid])).status_code == 404


def test_consent_without_required_item_is_refused_with_message(client, world):
    world.lead_worker.login(client)
    count = Consent.objects.count()
    response = client.post(
        reverse("consents:add", args=[world.case.uuid]), {"person": world.head.pk, "given_on": str(world.today)}
    )
    assert response.status_code == 200
    assert "필수 항목 수집·이용에 동의해야" in response.content.decode()
    assert Consent.objects.count() == count


def test_withdraw_consent_by_lead_removes_participant_access(client, world):
    world.lead_worker.login(client)
    response = client.post(reverse("consents:withdraw", args=[world.consent.uuid]))
    assert response.status_code == 302
    world.participant_worker.login(client)
    assert client.get(reverse("cases:detail", args=[world.case.uuid])).status_code == 404


def test_participant_cannot_withdraw_or_record(client, world):
    world.participant_worker.login(client)
    assert client.post(reverse("consents:withdraw", args=[world.consent.uuid])).status_code == 404
    assert client.get(reverse("consents:add", args=[world.case.uuid])).status_code == 404
