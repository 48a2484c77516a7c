"""The platform administrator's page /platform/districts/ (issue 16 item 6): the list of districts
without any case data, creation through the form with the initial password shown once, the
service's refusals on the form, everyone else refused, the menu link for platform admins only."""

import pytest

from hamkke.accounts.models import Membership, User
from hamkke.audit.models import AccessLog
from hamkke.districts.models import Agency, District
from hamkke.testing.factories import UserFactory, login_verified

pytestmark = pytest.mark.django_db

URL = "/platform/districts/"
RESULT = "/platform/districts/result/"
FORM = {
    "code": "11215",
    "name": "서울특별시 광진구",
    "agencies": "광진구청 희망복지지원단=district_office\r\n광진종합사회복지관=welfare_centre\r\n",
    "admin_username": "gwangjin-admin",
    "admin_email": "it@example.go.kr",
    "admin_display_name": "광진 관리자",
}


@pytest.fixture
def platform_client(world, client):
    world.members["platform_admin"].login(client)
    return client


def test_the_list_shows_both_districts_and_nothing_of_any_case(world, platform_client):
    page = platform_client.get(URL).content.decode()
    for district in (world.district_a, world.district_b):
        assert district.name in page and district.code in page
    assert world.district_admin.username in page and world.b_admin.username in page
    assert "플랫폼 관리자는 어느 구의 사례·당사자 정보도 볼 수 없습니다" in page
    assert world.head.name not in page and str(world.case.uuid) not in page
    assert world.household.address not in page
    for kind in Agency.Kind:
        assert kind.value in page  # the valid kinds are shown


def test_creating_a_district_shows_the_password_once_and_audits(world, platform_client):
    before = AccessLog.objects.count()
    response = platform_client.post(URL, FORM)
    assert response.status_code == 302 and response["Location"] == RESULT
    assert "password" not in response["Location"]
    page = platform_client.get(RESULT).content.decode()
    district = District.objects.get(code="11215")
    assert district.name in page
    admin = User.objects.get(username="gwangjin-admin")
    password = page.split('id="initial-password">', 1)[1].split("<", 1)[0]
    assert password and admin.check_password(password)
    assert (admin.email, admin.display_name) == ("it@example.go.kr", "광진 관리자")
    assert Agency.objects.filter(district=district).count() == 2
    assert "hamkke_platform_result" not in platform_client.session  # not kept after that page
    again = platform_client.get(RESULT).content.decode()
    assert password not in again and 'id="platform-result-gone"' in again
    assert AccessLog.objects.count() >= before + 4  # the district, two agencies, the admin's membership
    listing = platform_client.get(URL).content.decode()
    assert "gwangjin-admin" in listing and password not in listing


def test_adding_an_agency_and_another_admin_to_an_existing_district(world, platform_client):
    platform_client.post(URL, FORM)
    platform_client.get(RESULT)
    more = {**FORM, "agencies": "광진구청 희망복지지원단=district_office\n광진구 정신건강복지센터=mental_health_centre"}
    more["admin_username"] = "gwangjin-admin2"
    assert platform_client.post(URL, more).status_code == 302
    page = platform_client.get(RESULT).content.decode()
    assert 'id="initial-password"' in page
    district = District.objects.get(code="11215")
    assert Agency.objects.filter(district=district).count() == 3
    usernames = Membership.objects.filter(district=district).values_list("user__username", flat=True)
    assert set(usernames) >= {"gwangjin-admin", "gwangjin-admin2"}


def test_the_services_refusals_are_shown_on_the_form_all_at_once(world, platform_client):
    bad = {
        **FORM,
        "code": world.district_a.code,  # another district's code
        "agencies": "어딘가=castle",  # an unknown kind
        "admin_username": world.lead_worker.username,  # someone's username
    }
    response = platform_client.post(URL, bad)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"code", "agencies", "admin_username"}
    assert not District.objects.filter(name=FORM["name"]).exists()
    response = platform_client.post(URL, {**FORM, "agencies": "no equals sign"})
    assert response.status_code == 200 and "agencies" in response.context["form"].errors


@pytest.mark.parametrize("key", ["lead_worker", "district_admin", "auditor", "b_admin"])
def test_everyone_else_gets_a_404_and_creates_nothing(world, client, key):
    world.members[key].login(client)
    assert client.get(URL).status_code == 404
    assert client.post(URL, FORM).status_code == 404
    assert client.get(RESULT).status_code == 404
    assert not District.objects.filter(code="11215").exists()


def test_the_menu_link_only_for_platform_admins(world, client):
    world.members["platform_admin"].login(client)
    assert f'href="{URL}"' in client.get(URL).content.decode()
    client.logout()
    world.members["district_admin"].login(client)
    assert f'href="{URL}"' not in client.get("/district/settings/").content.decode()


def test_no_active_agency_warning_is_not_shown_to_a_platform_admin_but_still_to_others(world, client):
    warning = "활성화된 소속 기관이 없습니다"
    world.members["platform_admin"].login(client)
    assert warning not in client.get(URL).content.decode()
    client.logout()
    nobody = UserFactory(username="no-membership-yet")  # no membership, no flag
    assert login_verified(client, nobody, world.password)
    response = client.get("/", follow=True)
    assert response.status_code == 200 and warning in response.content.decode()
