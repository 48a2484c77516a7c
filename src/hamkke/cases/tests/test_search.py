"""Finding a case from the header (issue 13 §3): every kind of query, the scope, the audit, bad input.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL (the selector's queries differ there: stored
initials and pairs, native uuids)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamkke.access.policy import cases_in_scope
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case
from hamkke.cases.search import case_search, case_search_available
from hamkke.consents.services import consent_withdraw
from hamkke.people.models import Person
from hamkke.people.search import matching, parse_query
from hamkke.testing.factories import CaseFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = "/cases/search/"


def found(actor, text) -> list:
    return [case.pk for case in case_search(actor=actor, query=parse_query(text, for_cases=True)).cases]


def searches(user_id):
    """The access-log rows of the case search (the caseload's own list rows have no such detail)."""
    return AccessLog.objects.filter(
        action=Action.LIST, object_type="case", user_id=user_id, detail__startswith="사례 검색"
    )


@pytest.fixture
def other_case(world):
    """A case of the unrelated agency in the same district, at 다산로 12 in 명동, head 홍길동."""
    household = HouseholdFactory(dong=world.dong_a2, district=world.district_a, address="서울특별시 중구 다산로 12")
    PersonFactory(household=household, name="홍길동", relation=Person.Relation.HEAD, phone="010-5555-1212")
    return CaseFactory(
        household=household,
        district=world.district_a,
        lead_agency=world.unrelated_agency,
        lead_worker=world.unrelated_worker.user,
    )


# --- reading the query --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["00E0385D", "00e0385d", "사례 00E0385D", "사례00e0385d", "#00E0385D", "case 00e0385d"]
)
def test_a_case_number_with_or_without_prefix_in_any_case(text):
    query = parse_query(text, for_cases=True)
    assert query.case_number == "00E0385D" and not query.has_person_criteria


def test_the_person_search_reads_the_same_text_as_before():
    assert parse_query("00E0385D").case_number == "" and parse_query("00E0385D").names == ("00E0385D",)
    with pytest.raises(ValidationError):
        parse_query("다산로 12")  # a number that is no phone tail or date: only the case search reads it


def test_eight_digits_are_a_case_number_and_if_a_date_a_birth_date_too():
    both = parse_query("19580315", for_cases=True)
    assert both.case_number == "19580315" and both.birth_date == datetime.date(1958, 3, 15)
    only = parse_query("12345678", for_cases=True)
    assert only.case_number == "12345678" and only.birth_date is None


def test_address_words_and_numbers():
    query = parse_query("다산로 12 2층", for_cases=True)
    assert query.names == ("다산로", "2층") and query.address_numbers == ("12",)
    assert "이름·주소" in query.kinds and "주소 번지" in query.kinds


@pytest.mark.parametrize("text", ["", "   ", "가", "ㄱ", " 7 ", "x" * 51, "1958-02-30", "00E0385D 00E0385E"])
def test_unsearchable_input_is_a_validation_error(text):
    with pytest.raises(ValidationError) as raised:
        parse_query(text, for_cases=True)
    assert "q" in raised.value.message_dict


# --- each kind of query ---------------------------------------------------------------------------------------


def test_case_number_finds_the_case_exactly(world):
    actor = world.lead_worker.actor
    for text in (world.case.reference, world.case.reference.lower(), f"사례 {world.case.reference}"):
        result = case_search(actor=actor, query=parse_query(text, for_cases=True))
        assert result.exact == world.case and [c.pk for c in result.cases] == [world.case.pk], text


def test_a_number_nobody_has_finds_nothing(world):
    other = "FFFFFFFF" if world.case.reference != "FFFFFFFF" else "EEEEEEEE"
    result = case_search(actor=world.lead_worker.actor, query=parse_query(other, for_cases=True))
    assert result.cases == [] and result.exact is None


def test_eight_digits_that_are_no_case_number_search_the_birth_date(world):
    text = world.head.birth_date.strftime("%Y%m%d")
    result = case_search(actor=world.lead_worker.actor, query=parse_query(text, for_cases=True))
    assert [c.pk for c in result.cases] == [world.case.pk] and result.exact is None


def test_name_part_and_initials(world):
    actor = world.lead_worker.actor
    for text in ("홍길순", "길순", "ㅎㄱㅅ", "홍ㄱㅅ"):
        assert found(actor, text) == [world.case.pk], text
    assert found(actor, "김철수") == []


def test_address_part_dong_and_house_number(world):
    actor = world.lead_worker.actor
    for text in ("퇴계로", "퇴계로 100", "소공동", "2층", "홍길순 퇴계로"):
        assert found(actor, text) == [world.case.pk], text
    assert found(actor, "퇴계로 10") == []  # a house number matches whole, not as a part of 100
    assert found(actor, "명동") == []


def test_phone_tail_and_birth_date(world):
    actor = world.lead_worker.actor
    assert found(actor, "6789") == [world.case.pk]
    assert found(actor, "1958-03-15") == [world.case.pk]
    assert found(actor, "1111") == []


def test_a_member_who_is_not_the_head_is_named(world):
    child = PersonFactory(household=world.household, name="김민서", relation=Person.Relation.CHILD)
    result = case_search(actor=world.lead_worker.actor, query=parse_query("김민서", for_cases=True))
    assert result.rows == [(world.case, [child])]
    assert sorted(result.person_ids) == sorted([world.head.pk, child.pk])
    by_address = case_search(actor=world.lead_worker.actor, query=parse_query("퇴계로", for_cases=True))
    assert by_address.rows == [(world.case, [])]  # the head matched: nobody else is named


def test_results_are_limited_and_say_so(world):
    for _ in range(3):
        household = HouseholdFactory(dong=world.dong_a, district=world.district_a, address="서울특별시 중구 소공로 7")
        PersonFactory(household=household, relation=Person.Relation.HEAD)
        CaseFactory(household=household, lead_agency=world.lead_agency, lead_worker=world.lead_worker.user)
    result = case_search(actor=world.lead_worker.actor, query=parse_query("소공로", for_cases=True), limit=2)
    assert len(result.cases) == 2 and result.truncated
    assert not case_search(actor=world.lead_worker.actor, query=parse_query("소공로", for_cases=True)).truncated


# --- scope ------------------------------------------------------------------------------------------------------


def test_another_agencys_case_is_never_found_without_consent(world, other_case):
    lead = world.lead_worker.actor
    for text in (other_case.reference, "홍길동", "다산로 12", "1212"):
        assert found(lead, text) == [], text
    assert found(lead, "홍길") == [world.case.pk]  # 홍길순 of the actor's own case, not 홍길동
    assert found(world.unrelated_worker.actor, "홍길") == [other_case.pk]
    assert found(world.unrelated_worker.actor, world.case.reference) == []


def test_a_participating_agency_finds_the_case_while_the_consent_covers_it(world):
    participant = world.participant_worker.actor
    assert found(participant, "홍길순") == [world.case.pk]
    assert found(participant, world.case.reference) == [world.case.pk]
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert found(participant, "홍길순") == []
    assert found(participant, world.case.reference) == []


def test_another_district_never(world, other_case):
    for who in ("b_worker", "b_admin"):
        actor = getattr(world, who).actor
        for text in (world.case.reference, other_case.reference, "홍길", "ㅎㄱ", "퇴계로"):
            assert found(actor, text) == [], (who, text)
    assert sorted(found(world.district_admin.actor, "홍길")) == sorted([world.case.pk, other_case.pk])


def test_who_gets_the_search_box(world):
    assert case_search_available(world.lead_worker.actor)
    assert case_search_available(world.district_admin.actor)
    assert not case_search_available(world.auditor.actor)  # reads no case
    assert not case_search_available(world.nobody.actor)
    assert found(world.auditor.actor, "홍길순") == []


# --- the page -----------------------------------------------------------------------------------------------------


def test_results_page_shows_the_cases_and_audits_one_row_without_the_text(client, world, other_case):
    world.lead_worker.login(client)
    response = client.post(SEARCH, {"q": "홍길"})
    text = response.content.decode()
    assert response.status_code == 200
    assert str(world.case.uuid) in text and str(other_case.uuid) not in text and "홍길동" not in text
    log = searches(world.lead_worker.user.pk).get()
    assert log.person_ids == [world.head.pk] and log.case_id is None
    assert log.path == SEARCH and "홍길" not in log.detail  # the name typed never lands in the access log
    assert log.detail == "사례 검색(이름·주소): 1건"


def test_a_case_number_opens_the_case(client, world):
    world.lead_worker.login(client)
    response = client.post(SEARCH, {"q": world.case.reference.lower()})
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[world.case.uuid])
    log = searches(world.lead_worker.user.pk).get()
    assert log.case_id == world.case.pk and log.detail == "사례 검색(사례번호): 1건"
    client.get(response.url)
    assert AccessLog.objects.filter(action=Action.VIEW, object_type="case", case_id=world.case.pk).exists()


def test_an_out_of_scope_case_number_is_not_revealed(client, world):
    world.unrelated_worker.login(client)
    response = client.post(SEARCH, {"q": world.case.reference})
    text = response.content.decode()
    assert response.status_code == 200 and str(world.case.uuid) not in text
    assert "볼 수 있는 사례 중 조건에 맞는 사례가 없습니다." in text
    assert searches(world.unrelated_worker.user.pk).get().case_id is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "사례번호, 이름이나 초성, 주소 일부"),
        ("   ", "사례번호, 이름이나 초성, 주소 일부"),
        ("가", "2자 이상"),
        ("가" * 500, "50자 이내로"),
        ("홍길\x00순", "null 문자"),
        ("1958-02-30", "올바른 날짜가 아닙니다"),
    ],
)
def test_bad_input_is_a_message_not_an_error(client, world, text, message):
    world.lead_worker.login(client)
    response = client.post(SEARCH, {"q": text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not searches(world.lead_worker.user.pk).exists()


def test_the_header_has_the_search_box_for_those_who_read_cases(client, world):
    world.lead_worker.login(client)
    assert 'id="header-q"' in client.get(reverse("cases:caseload")).content.decode()
    assert client.get(SEARCH).status_code == 200
    world.auditor.login(client)
    assert 'id="header-q"' not in client.get(reverse("inbox:index")).content.decode()


def test_the_search_needs_a_login(client):
    assert client.post(SEARCH, {"q": "홍길순"}).status_code == 302


def _grow(world, n):
    for i in range(n):
        household = HouseholdFactory(
            dong=world.dong_a, district=world.district_a, address=f"서울특별시 중구 퇴계로 {200 + i}"
        )
        PersonFactory(household=household, name=f"홍길{i}", relation=Person.Relation.HEAD)
        PersonFactory(household=household, name=f"김길{i}", relation=Person.Relation.CHILD)
        CaseFactory(household=household, lead_agency=world.lead_agency, lead_worker=world.lead_worker.user)


@pytest.mark.parametrize("text", ["홍길", "퇴계로", "ㅎㄱ"])
def test_queries_do_not_grow_with_the_results(client, world, django_assert_max_num_queries, text):
    world.lead_worker.login(client)
    _grow(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.post(SEARCH, {"q": text}).status_code == 200
    _grow(world, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.post(SEARCH, {"q": text})
    assert response.content.decode().count("/cases/") >= 10


def test_reference_range_reads_exactly_the_prefix(world):
    """The case number is the uuid's first 8 hex digits: a uuid just outside the range is not found."""
    prefix = world.case.uuid.hex[:8]
    below = uuid.UUID(f"{int(prefix, 16) - 1:08x}" + "f" * 24) if prefix != "00000000" else None
    if below:
        Case.objects.filter(pk=CaseFactory(household=world.household).pk).update(uuid=below)
    assert found(world.district_admin.actor, world.case.reference) == [world.case.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.parametrize("text, index", [("홍길순", "person_name_trgm"), ("길순", "person_name_bigrams")])
def test_a_word_narrows_through_the_name_indexes(world, text, index):
    """A word may be a name or an address: the households are narrowed by the union of the two sets, the
    named persons found through the person search's indexes (also inside the subquery, renamed U0)."""
    syllables = "가나다라마바사아자차카타파하"
    Person.objects.bulk_create(
        Person(
            district=world.district_a,
            household=world.household,
            sex="F",
            name=syllables[i % 14] + syllables[i // 14 % 14] + syllables[i // 196 % 14],
            birth_date=datetime.date(1930 + i % 70, 1 + i % 12, 1 + i % 28),
        )
        for i in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
        cursor.execute("SET LOCAL enable_seqscan = off")  # still a small table: ask whether the index CAN serve
    actor = world.lead_worker.actor
    scope = cases_in_scope(actor).values("household_id")
    persons = Person.objects.filter(district_id=actor.district_id, household_id__in=scope)
    plan = matching(persons, parse_query(text, for_cases=True), district_id=actor.district_id).explain()
    assert index in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_an_address_word_is_looked_up_through_the_address_indexes(world):
    """The households "so addressed" of a case search word (people.search.matching) are found through the
    trigram indexes of people 0008, not by reading every household of the district. (On the metro data:
    "행복로" 118 -> 12 ms, "행복로 297" -> 0.4 ms.)"""
    from django.db.models import Q

    from hamkke.people.models import Household

    Household.objects.bulk_create(
        Household(district=world.district_a, dong=world.dong_a, address=f"서울특별시 중구 동호로{i % 300}길 {i}")
        for i in range(3000)
    )
    with connection.cursor() as cursor:
        for index in ("household_address_trgm", "household_address_detail_trgm"):  # new rows wait in GIN's list
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE people_household")
        cursor.execute("SET LOCAL enable_seqscan = off")  # still a small table: ask whether the index CAN serve
    word = "다산로"
    addressed = Household.objects.filter(district_id=world.district_a.pk).filter(
        Q(address__contains=word) | Q(address_detail__contains=word)
    )
    plan = addressed.explain()
    assert "household_address_trgm" in plan and "household_address_detail_trgm" in plan, plan
