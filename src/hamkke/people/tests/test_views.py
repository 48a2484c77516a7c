import pytest
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.people.models import Person

pytestmark = pytest.mark.django_db


def test_household_and_person_pages_for_the_team(client, world):
    world.lead_worker.login(client)
    response = client.get(reverse("people:household", args=[world.household.uuid]))
    assert response.status_code == 200 and world.head.name in response.content.decode()
    response = client.get(reverse("people:person", args=[world.head.uuid]))
    assert response.status_code == 200
    assert world.head.rrn_masked in response.content.decode()
    assert AccessLog.objects.filter(action=Action.VIEW, object_type="person", person_ids=[world.head.pk]).exists()


@pytest.mark.parametrize("who", ["unrelated_worker", "auditor", "b_worker"])
def test_household_and_person_pages_closed_to_outsiders(client, world, who):
    getattr(world, who).login(client)
    assert client.get(reverse("people:household", args=[world.household.uuid])).status_code == 404
    assert client.get(reverse("people:person", args=[world.head.uuid])).status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=getattr(world, who).user.pk).count() == 2


def test_participant_sees_person_without_rrn(client, world):
    world.participant_worker.login(client)
    text = client.get(reverse("people:person", args=[world.head.uuid])).content.decode()
    assert world.head.name in text and world.head.rrn_masked not in text and "처리 근거가 없어" in text


def test_add_member_with_bad_rrn_keeps_input(client, world):
    world.lead_worker.login(client)
    url = reverse("people:person_add", args=[world.household.uuid])
    data = {"name": "홍아름", "birth_date": "2015-05-05", "sex": "F", "relation": "child", "rrn": "150505-4000000"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'value="홍아름"' in response.content.decode()
    assert not Person.objects.filter(name="홍아름").exists()
    data["rrn"] = ""
    assert client.post(url, data).status_code == 302
    assert Person.objects.get(name="홍아름").household == world.household


def test_participant_cannot_add_members(client, world):
    world.participant_worker.login(client)
    url = reverse("people:person_add", args=[world.household.uuid])
    assert client.get(url).status_code == 404
