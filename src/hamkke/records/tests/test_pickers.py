"""Issue 14: the records tab stays small on a district with thousands of resources and hundreds of
agencies — searchable pickers (core.widgets.Picker) instead of an <option> per resource per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamkke.core.domains import LifeDomain
from hamkke.records.models import ServiceRecord
from hamkke.resources.models import Resource
from hamkke.testing.factories import AgencyFactory

from .test_views import service_data, services_url, tab_url

pytestmark = pytest.mark.django_db


def make_resources(world, n, *, district=None, start=0, active=True, name="푸드뱅크 반찬 나눔"):
    district = district or world.district_a
    agency = world.lead_agency if district == world.district_a else world.agency_b
    Resource.objects.bulk_create(
        Resource(
            district=district,
            name=f"{name} {start + i}",
            kind=Resource.Kind.FORMAL,
            type=Resource.Type.PROGRAMME,
            domain=LifeDomain.LIVELIHOOD,
            provider="중구 복지정책과",
            is_active=active,
            added_by_agency=agency,
            added_by=world.lead_worker.user,
        )
        for i in range(n)
    )


def pick_url(case, kind):
    return reverse(f"records:pick_{kind}", args=[case.uuid])


def test_records_tab_small_and_constant_with_2000_resources_and_300_agencies(client, world):
    world.lead_worker.login(client)
    make_resources(world, 10)
    client.get(tab_url(world.case))  # first request of the session: its one-off queries
    with CaptureQueriesContext(connection) as few:
        small = client.get(tab_url(world.case))
    make_resources(world, 1990, start=10)
    AgencyFactory.create_batch(300, district=world.district_a)
    with CaptureQueriesContext(connection) as many:
        big = client.get(tab_url(world.case))
    assert big.status_code == 200
    assert len(big.content) < 100_000, len(big.content)
    assert len(many) == len(few)
    assert big.content.count(b"<option") == small.content.count(b"<option")
    assert b"\xed\x91\xb8\xeb\x93\x9c\xeb\xb1\x85\xed\x81\xac" not in big.content  # "푸드뱅크": no resource listed


def test_picker_needs_two_characters_then_narrows_within_the_district(client, world):
    make_resources(world, 30)
    make_resources(world, 3, name="경로당 안부 확인")
    make_resources(world, 2, name="경로당 폐쇄", active=False)
    make_resources(world, 2, district=world.district_b, name="경로당 성동")
    world.lead_worker.login(client)

    one = client.get(pick_url(world.case, "resource"), {"q": "경"})
    assert one.status_code == 200
    assert "2글자 이상" in one.content.decode()
    assert b"data-value" not in one.content

    two = client.get(pick_url(world.case, "resource"), {"q": "경로"}).content.decode()
    assert two.count("data-value") == 3
    assert "경로당 안부 확인 0" in two and "폐쇄" not in two and "성동" not in two

    wide = client.get(pick_url(world.case, "resource"), {"q": "푸드"}).content.decode()
    assert wide.count("data-value") == 20 and "더 입력해 좁히세요" in wide

    agencies = client.get(pick_url(world.case, "agency"), {"q": "중구"}).content.decode()
    assert world.lead_agency.name in agencies and world.agency_b.name not in agencies


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "auditor"])
def test_picker_of_a_case_out_of_reach_is_404(client, world, who):
    make_resources(world, 3, name="경로당 안부 확인")
    world.members[who].login(client)
    assert client.get(pick_url(world.case, "resource"), {"q": "경로"}).status_code == 404


def test_chosen_resource_is_saved_and_redrawn_by_name(client, world):
    make_resources(world, 3, name="경로당 안부 확인")
    make_resources(world, 1, district=world.district_b, name="성동 자원")
    mine = Resource.objects.get(name="경로당 안부 확인 1")
    theirs = Resource.objects.get(district=world.district_b)
    world.lead_worker.login(client)

    refused = client.post(services_url(world.case), service_data(world, [{"resource": str(theirs.pk)}]))
    assert refused.status_code == 200 and not ServiceRecord.objects.exists()
    # the row is drawn again with the valid choice's name, not a list of every resource
    redrawn = client.post(
        services_url(world.case), service_data(world, [{"resource": str(mine.pk), "mode": ""}])
    ).content.decode()
    assert 'value="경로당 안부 확인 1"' in redrawn and "경로당 안부 확인 0" not in redrawn

    saved = client.post(services_url(world.case), service_data(world, [{"resource": str(mine.pk)}]))
    assert saved.status_code == 302
    assert ServiceRecord.objects.get().resource == mine
