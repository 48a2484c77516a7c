"""HTTP behaviour of the resource directory: district only, edit rights, bad input never a 500."""

import pytest
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.core.domains import LifeDomain
from hamkke.resources.models import Resource

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db

LIST, ADD = reverse("resources:list"), reverse("resources:add")


def edit_url(resource):
    return reverse("resources:edit", args=[resource.uuid])


def form_data(**overrides):
    data = {
        "name": "바리스타 양성 과정",
        "kind": "formal",
        "type": "employment",
        "domain": "employment",
        "description": "12주 과정",
        "provider": "마음카페",
        "contact": "02-000-0000",
        "capacity": "8",
        "is_ordinary": "on",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_list_shows_the_districts_resources_only(client, world):
    ResourceFactory(agency=world.participating_agency, name="중구 바리스타 과정")
    ResourceFactory(agency=world.agency_b, name="성동구 일자리 과정")
    world.lead_worker.login(client)
    text = client.get(LIST).content.decode()
    assert "중구 바리스타 과정" in text and "성동구 일자리 과정" not in text
    world.b_worker.login(client)
    text = client.get(LIST).content.decode()
    assert "중구 바리스타 과정" not in text and "성동구 일자리 과정" in text


def test_list_search_htmx_partial_and_bad_filters(client, world):
    ResourceFactory(agency=world.lead_agency, name="바리스타 양성 과정")
    ResourceFactory(agency=world.lead_agency, name="집수리 봉사", kind="informal", type="volunteer", domain="housing")
    world.participant_worker.login(client)
    response = client.get(LIST, {"text": "바리스타"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "바리스타 양성 과정" in text and "집수리 봉사" not in text
    response = client.get(LIST, {"kind": "nonsense", "dong": "x", "domain": "?", "active": "1", "page": "999"})
    assert response.status_code == 200


def test_list_is_paginated(client, world):
    for n in range(30):
        ResourceFactory(agency=world.lead_agency, name=f"자원 {n:02d}")
    world.lead_worker.login(client)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "자원 00" in first and "자원 29" not in first
    assert "자원 29" in second and "자원 00" not in second


@pytest.mark.parametrize("who", ["auditor", "nobody"])
def test_list_and_add_refused_without_a_reading_role(client, world, who):
    getattr(world, who).login(client)
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert not Resource.objects.exists()


def test_add_then_listed_and_audited(client, world):
    world.participant_worker.login(client)
    response = client.post(ADD, form_data(dongs=[world.dong_a.pk], provider_agency=world.participating_agency.pk))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.added_by_agency == world.participating_agency and list(resource.dongs.all()) == [world.dong_a]
    assert resource.capacity == 8 and resource.domain == LifeDomain.EMPLOYMENT
    assert AccessLog.objects.filter(action=Action.CREATE, object_id=str(resource.uuid)).exists()
    assert "바리스타 양성 과정" in client.get(response["Location"]).content.decode()


def test_add_bad_input_shows_errors_and_keeps_what_was_typed(client, world):
    world.lead_worker.login(client)
    response = client.post(
        ADD,
        form_data(
            name="우리 동네 반찬 가게", kind="informal", type="programme", capacity="-3", dongs=[world.dong_b.pk]
        ),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "우리 동네 반찬 가게" in text and "errorlist" in text
    assert not Resource.objects.exists()
    # the form passes, the service refuses: the type does not fit the kind
    response = client.post(ADD, form_data(name="우리 동네 반찬 가게", kind="informal", type="programme"))
    assert response.status_code == 200
    assert "비공식 자원의 유형은" in response.content.decode() and not Resource.objects.exists()


def test_edit_by_the_adding_agency_and_deactivate(client, world):
    resource = ResourceFactory(agency=world.lead_agency, name="바리스타 양성 과정")
    world.lead_supervisor.login(client)
    assert "바리스타 양성 과정" in client.get(edit_url(resource)).content.decode()
    response = client.post(edit_url(resource), form_data(name="바리스타 심화 과정", is_active=""))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.name == "바리스타 심화 과정" and not resource.is_active
    assert "수정했습니다" in client.get(LIST).content.decode()  # the message, once
    assert "바리스타 심화 과정" not in client.get(LIST).content.decode()  # active ones by default
    assert "바리스타 심화 과정" in client.get(LIST, {"active": "inactive"}).content.decode()


def test_edit_refused_to_other_agencies_and_hidden_from_other_districts(client, world):
    resource = ResourceFactory(agency=world.lead_agency, name="바리스타 양성 과정")
    world.participant_worker.login(client)
    assert client.get(edit_url(resource)).status_code == 403
    assert client.post(edit_url(resource), form_data(name="바꿈")).status_code == 403
    world.b_admin.login(client)
    assert client.get(edit_url(resource)).status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, object_id=str(resource.uuid)).exists()
    world.district_admin.login(client)
    assert client.post(edit_url(resource), form_data(name="관리자가 고침")).status_code == 302
    resource.refresh_from_db()
    assert resource.name == "관리자가 고침"


def test_edit_link_only_for_resources_the_actor_may_edit(client, world):
    mine = ResourceFactory(agency=world.participating_agency, name="복지관 자원")
    theirs = ResourceFactory(agency=world.lead_agency, name="구청 자원")
    world.participant_worker.login(client)
    text = client.get(LIST).content.decode()
    assert edit_url(mine) in text and edit_url(theirs) not in text


def test_edit_unknown_uuid_is_404(client, world):
    world.lead_worker.login(client)
    assert client.get("/resources/00000000-0000-0000-0000-000000000000/edit/").status_code == 404
    assert client.get("/resources/not-a-uuid/edit/").status_code == 404
