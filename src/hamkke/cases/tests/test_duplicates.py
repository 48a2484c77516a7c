"""The duplicate-person rule lives in the registration service (issue 12 item 2), never names a health
agency to someone who cannot open the match, and repeated probing is flagged (issue 11 finding 7)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hamkke.api.services import api_token_create
from hamkke.audit.flags import PROBE_CHECKS, flags_for_period, flags_for_rows
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.services import case_register
from hamkke.people.models import Household, Person
from hamkke.people.services import DuplicatePersonFound, person_duplicate_check

pytestmark = pytest.mark.django_db

HEALTH_LEAD_NOTE = "이 구의 다른 기관이 이 사람을 지원하고 있습니다"


def register(member, *, name="박영희", birth=datetime.date(1966, 5, 1), rrn="", **kwargs):
    return case_register(
        actor=member.actor,
        dong=member.world_dong,
        address="서울특별시 중구 필동로 5",
        head={"name": name, "birth_date": birth, "sex": "F", "rrn": rrn},
        **kwargs,
    )


@pytest.fixture
def members(world):
    for member in world.members.values():
        member.world_dong = world.dong_a
    return world


def test_the_registration_service_itself_stops_at_a_name_and_birth_match(members):
    world = members
    households = Household.objects.count()
    with pytest.raises(DuplicatePersonFound) as error:
        register(world.lead_worker, name=world.head.name, birth=world.head.birth_date)
    assert not error.value.rrn_match and [c.person_id for c in error.value.candidates] == [world.head.pk]
    assert "confirm_not_duplicate" in error.value.error_dict
    assert Household.objects.count() == households
    # the lookup that stopped it is in the access log (person ids only)
    log = AccessLog.objects.filter(action=Action.LIST, object_type="person").latest("id")
    assert log.person_ids == [world.head.pk] and log.detail.startswith("duplicate check:")
    case = register(world.lead_worker, name=world.head.name, birth=world.head.birth_date, confirm_not_duplicate=True)
    assert case.household.head.name == world.head.name


def test_an_rrn_match_is_a_stop_even_when_confirmed(members):
    world = members
    with pytest.raises(DuplicatePersonFound) as error:
        register(
            world.lead_worker,
            name="다른이름",
            birth=world.head.birth_date,
            rrn=world.head_rrn,
            confirm_not_duplicate=True,
        )
    assert error.value.rrn_match and "rrn" in error.value.error_dict


# --- a health agency is never named ----------------------------------------------------------------


def test_a_health_agency_leading_the_match_is_not_named(members):
    world = members
    register(world.unrelated_worker)  # the mental-health centre's client
    with pytest.raises(DuplicatePersonFound) as error:
        register(world.lead_worker)
    [match] = error.value.candidates
    assert not match.in_scope and match.lead_agencies == () and match.unnamed_agency
    assert match.unnamed_agency_note.startswith(HEALTH_LEAD_NOTE)
    # a non-health lead is still named (two agencies should not unknowingly serve one household)
    [own] = person_duplicate_check(
        actor=world.unrelated_worker.actor,
        name=world.head.name,
        birth_date=world.head.birth_date,
        confirm_not_duplicate=True,
    )
    assert own.lead_agencies == (world.lead_agency.name,) and not own.unnamed_agency


def test_the_register_page_and_api_do_not_name_the_health_agency(client, members):
    world = members
    register(world.unrelated_worker)
    world.lead_worker.login(client)
    page = client.post(
        reverse("cases:register"),
        {
            "dong": world.dong_a.pk,
            "address": "서울특별시 중구 다산로 1",
            "name": "박영희",
            "birth_date": "1966-05-01",
            "sex": "F",
        },
    ).content.decode()
    assert HEALTH_LEAD_NOTE in page and world.unrelated_agency.name not in page
    _token, secret = api_token_create(actor=world.lead_worker.actor, name="test")
    api_client = APIClient()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    api = api_client.post(
        "/api/v1/cases/",
        {
            "dong": world.dong_a.name,
            "address": "x로 1",
            "head": {"name": "박영희", "birth_date": "1966-05-01", "sex": "F"},
        },
        format="json",
    )
    assert api.status_code == 409 and world.unrelated_agency.name not in api.content.decode()
    assert api.json()["candidates"][0]["unnamed_agency"] is True


# --- probing -----------------------------------------------------------------------------------------


def _period():
    now = timezone.now()
    return {"start": now - datetime.timedelta(hours=2), "end": now + datetime.timedelta(minutes=1)}


def test_many_duplicate_checks_without_a_registration_are_flagged_once(members):
    world = members
    for i in range(PROBE_CHECKS + 3):
        person_duplicate_check(
            actor=world.participant_worker.actor, name=f"이름{i}", birth_date=datetime.date(1950, 1, 1)
        )
    flags = [f for f in flags_for_period(district_id=world.district_a.pk, **_period()) if f.kind == "probing"]
    assert len(flags) == 1 and flags[0].username == world.participant_worker.username


def test_checks_that_end_in_registrations_are_not_probing(members):
    world = members
    for i in range(PROBE_CHECKS + 1):
        register(world.participant_worker, name=f"새가구{i}")
    assert Person.objects.filter(name__startswith="새가구").count() == PROBE_CHECKS + 1
    assert not [f for f in flags_for_period(district_id=world.district_a.pk, **_period()) if f.kind == "probing"]


def test_the_viewer_page_flags_probing_spread_over_the_hour(members):
    """Checks five minutes apart: outside the bulk rule's ten minutes, inside the probing hour."""
    from django.db import connection

    world = members
    member = world.participant_worker
    first = timezone.now() - datetime.timedelta(minutes=5 * PROBE_CHECKS)
    with connection.cursor() as cursor:
        for i in range(PROBE_CHECKS):
            cursor.execute(
                "INSERT INTO audit_accesslog (at, district_id, user_id, username, agency_id, action, object_type, "
                "object_id, case_id, person_ids, ip, path, detail) VALUES (%s, %s, %s, %s, %s, 'list', 'person', "
                "'', NULL, '[]', NULL, '', 'duplicate check: 0')",
                [
                    first + datetime.timedelta(minutes=5 * i),
                    world.district_a.pk,
                    member.user.pk,
                    member.username,
                    member.membership.agency_id,
                ],
            )
    last = AccessLog.objects.filter(user_id=member.user.pk).latest("at")
    flags = flags_for_rows(district_id=world.district_a.pk, logs=[last])
    assert flags[last.pk].kind == "probing"
