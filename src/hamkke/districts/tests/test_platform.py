"""The platform administrator and ``manage.py create_district`` (issue 16 item 6), and two districts
side by side: nothing of one is found from the other, names are unique where they should be."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from hamkke.access import policy
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Membership, User
from hamkke.audit.models import AccessLog
from hamkke.cases.models import Case, CaseType
from hamkke.cases.search import case_search
from hamkke.cases.services import case_register
from hamkke.districts.models import Agency, District
from hamkke.districts.platform import district_setup
from hamkke.people.models import Person
from hamkke.people.search import parse_query, person_search
from hamkke.reports.selectors import report_statistics
from hamkke.testing.factories import PLATFORM_ADMINS, AgencyFactory, MembershipFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db

ARGS = [
    "--code=11200",
    "--name=서울특별시 성동구",
    "--agency=성동구청 희망복지지원단=district_office",
    "--agency=성동종합사회복지관=welfare_centre",
    "--admin-username=seongdong-admin",
    "--admin-email=it@example.go.kr",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_district", *args, stdout=out)
    return out.getvalue()


def initial_password(output: str) -> str:
    line = next(line for line in output.splitlines() if "initial password" in line)
    return line.rsplit(": ", 1)[1]


def test_create_district_makes_district_agencies_and_admin_and_is_idempotent(client):
    first = run(*ARGS)
    district = District.objects.get(code="11200")
    assert district.name == "서울특별시 성동구"
    office, centre = (
        Agency.objects.get(district=district, name=n) for n in ("성동구청 희망복지지원단", "성동종합사회복지관")
    )
    assert (office.kind, office.sector, office.rrn_allowed) == ("district_office", "public", True)
    assert (centre.kind, centre.sector, centre.rrn_allowed) == ("welfare_centre", "private", False)
    assert CaseType.objects.filter(district=district).count() == 3  # the national default types
    admin = User.objects.get(username="seongdong-admin")
    membership = admin.memberships.get()
    assert (membership.agency, membership.district, membership.role) == (office, district, policy.DISTRICT_ADMIN_ROLE)
    assert policy.may(actor_for(admin), policy.DISTRICT_SETTINGS)
    # the initial password: printed once, in this run only; the admin logs in with it
    password = initial_password(first)
    assert len(password) >= 12 and first.count(password) == 1
    assert admin.check_password(password) and login_verified(client, admin, password)
    assert first.count("만들었습니다 / created") == 4
    assert AccessLog.objects.filter(action="create", object_type__in=("district", "agency", "membership")).count() == 4

    again = run(*ARGS)
    assert "만들었습니다" not in again and again.count("이미 있습니다 / already there") == 4
    assert "initial password" not in again and password not in again
    assert User.objects.get(username="seongdong-admin").check_password(password)  # not reset
    assert Agency.objects.filter(district=district).count() == 2 and Membership.objects.filter(user=admin).count() == 1

    # a further agency later: only that one is new
    more = run(*ARGS, "--agency=행당1동 주민센터=community_centre")
    assert more.count("만들었습니다 / created") == 1
    assert Agency.objects.get(district=district, name="행당1동 주민센터").rrn_allowed


def test_create_district_refuses_a_taken_username_code_or_kind_and_changes_nothing(world):
    before = (District.objects.count(), Agency.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="lead_worker"):  # a user of district A: usernames are installation-wide
        run("--code=11290", "--name=서울특별시 성북구", "--admin-username=lead_worker")
    with pytest.raises(CommandError, match="성동구"):  # the code is already B's
        run("--code=11200", "--name=서울특별시 성북구", "--admin-username=sb-admin")
    with pytest.raises(CommandError, match="agencies"):
        run("--code=11290", "--name=서울특별시 성북구", "--agency=성북구청=castle", "--admin-username=sb-admin")
    assert (District.objects.count(), Agency.objects.count(), User.objects.count()) == before
    # the existing district's admin re-run for B: b_admin is already B's district admin
    output = run("--code=11200", "--name=성동구", "--agency=성동구청 희망복지지원단", "--admin-username=b_admin")
    assert "initial password" not in output and "created" not in output


@pytest.fixture
def platform_admin(world):
    return UserFactory(username="platform", is_platform_admin=True)


def test_platform_admin_creates_districts_but_reaches_no_case(world, platform_admin):
    actor = actor_for(platform_admin)
    assert policy.may(actor, policy.MANAGE_DISTRICTS)
    for member in world.members.values():  # no role, however high, is a platform admin
        assert policy.may(member.actor, policy.MANAGE_DISTRICTS) == (member.key in PLATFORM_ADMINS), member.key
    for permission in policy.RULES:
        assert not policy.cases_in_scope(actor, permission).exists(), permission
        assert not policy.cases_in_scope_reference(actor, permission).exists(), permission
    for capability in policy.CAPABILITIES:
        assert not policy.may(actor, capability), capability
    # A platform admin who also works in district B gets B's worker access, nothing of A.
    MembershipFactory(user=platform_admin, agency=world.agency_b)
    actor = actor_for(platform_admin)
    assert not policy.cases_in_scope(actor).filter(district=world.district_a).exists()

    setup = district_setup(
        actor=actor,
        code="11290",
        name="서울특별시 성북구",
        agencies=[("성북구청", "district_office")],
        admin_username="sb",
    )
    assert setup.district_created and setup.admin_created and setup.initial_password
    with pytest.raises(PermissionDenied):
        district_setup(
            actor=world.district_admin.actor,
            code="11305",
            name="서울특별시 강북구",
            agencies=[("강북구청", "district_office")],
            admin_username="gb",
        )
    assert not District.objects.filter(code="11305").exists()
    platform_admin.is_active = False
    assert not policy.may(actor_for(platform_admin), policy.MANAGE_DISTRICTS)


def test_platform_admin_over_http_gets_no_case_data(world, platform_admin, client):
    assert login_verified(client, platform_admin, world.password)  # two-factor asked like an admin's
    for path in (
        f"/cases/{world.case.uuid}/",
        f"/persons/{world.head.uuid}/",
        f"/api/v1/cases/{world.case.uuid}/",
        f"/api/v1/persons/{world.head.uuid}/",
    ):
        assert client.get(path).status_code in (403, 404), path  # the API refuses a user without a membership
    for path in ("/api/v1/cases/", "/api/v1/persons/", "/api/v1/households/"):
        response = client.get(path)
        assert response.status_code == 403 or response.json()["results"] == [], path
    response = client.post("/persons/search/", {"q": world.head.name})
    page = response.content.decode()  # the form shows the query back; nothing found
    assert str(world.head.uuid) not in page and world.household.address not in page


# --- two districts side by side --------------------------------------------------------------


def b_case(world, **head):
    """A household of district B registered by B's worker."""
    defaults = {"name": "윤성동", "birth_date": datetime.date(1950, 1, 2), "sex": "M"}
    return case_register(
        actor=world.b_worker.actor,
        dong=world.dong_b,
        address="서울특별시 성동구 왕십리로 1",
        head={**defaults, **head},
        summary="독거",
        opened_on=world.today - datetime.timedelta(days=3),
    )


def test_the_same_rrn_agency_and_dong_names_live_in_two_districts(world):
    """Uniqueness is per district: a person who moves is registered anew in the new district."""
    case = b_case(world, name=world.head.name, birth_date=world.head.birth_date, sex=world.head.sex, rrn=world.head_rrn)
    b_head = case.household.members.get()
    assert b_head.rrn_hash == world.head.rrn_hash and b_head.pk != world.head.pk
    assert Person.objects.filter(rrn_hash=world.head.rrn_hash).count() == 2
    AgencyFactory(district=world.district_b, name=world.participating_agency.name)  # same name, other district
    assert Agency.objects.filter(name=world.participating_agency.name).count() == 2
    # each district's search finds only its own person of that name
    query = parse_query(world.head.name)
    assert person_search(actor=world.b_worker.actor, query=query).persons == [b_head]
    assert person_search(actor=world.lead_worker.actor, query=query).persons == [world.head]


def test_search_and_figures_of_one_district_never_include_the_other(world):
    b = b_case(world)
    b_head = b.household.members.get()
    for actor, other_case, other_head in (
        (world.b_worker.actor, world.case, world.head),
        (world.b_admin.actor, world.case, world.head),
        (world.district_admin.actor, b, b_head),
        (world.lead_worker.actor, b, b_head),
    ):
        assert not person_search(actor=actor, query=parse_query(other_head.name)).persons
        for text in (other_head.name, other_case.reference, "왕십리로" if other_case == b else "퇴계로"):
            found = case_search(actor=actor, query=parse_query(text, for_cases=True))
            assert other_case not in found.cases and found.exact != other_case, text
    year = world.today.year
    start, end = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
    a_stats = report_statistics(actor=world.district_admin.actor, start=start, end=end)
    b_stats = report_statistics(actor=world.b_admin.actor, start=start, end=end)
    assert Case.objects.count() == 2
    assert (a_stats.cases_opened, b_stats.cases_opened) == (1, 1)
    assert (a_stats.households_new, b_stats.households_new) == (1, 1)
