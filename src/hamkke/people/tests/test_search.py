"""Korean person search: names, parts, 초성, birth date, phone tail; scope, audit, both databases."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.people.models import Person
from hamkke.people.search import (
    Chosung,
    chosung,
    matching,
    parse_query,
    person_search,
    trigram_locale_problem,
)
from hamkke.testing.factories import CaseFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1961, 7, 9)


@pytest.fixture
def people(world):
    """Three persons in the world's case (in the lead agency's scope) and a namesake outside it."""
    h = world.household
    in_scope = {
        "minsu": PersonFactory(household=h, name="김민수", birth_date=BORN, phone="010-1111-4321"),
        "gominsu": PersonFactory(household=h, name="고민수", birth_date=datetime.date(1970, 1, 2), phone=""),
        "minseo": PersonFactory(
            household=h, name="김민서", birth_date=datetime.date(2001, 12, 24), phone="010-2222-8765"
        ),
    }
    other_household = HouseholdFactory(dong=world.dong_a, district=world.district_a)
    CaseFactory(
        household=other_household,
        district=world.district_a,
        lead_agency=world.unrelated_agency,
        lead_worker=world.unrelated_worker.user,
    )
    outsider = PersonFactory(household=other_household, name="김민수", birth_date=BORN, phone="010-9999-4321")
    return SimpleNamespace(**in_scope, outsider=outsider, world=world)


def names_found(actor, text):
    return sorted(p.name for p in person_search(actor=actor, query=parse_query(text)).persons)


# --- parsing -------------------------------------------------------------------------------------------


def test_chosung_of_names_and_mixed_text():
    assert chosung("김민수") == "ㄱㅁㅅ"
    assert chosung("빨강 Kim") == "ㅃㄱ Kim"
    assert chosung("") == ""


@pytest.mark.parametrize("text", ["1961-07-09", "1961.7.9", "1961.07.09.", "19610709", "610709"])
def test_birth_date_in_the_usual_spellings(text):
    assert parse_query(text).birth_date == BORN


def test_a_query_mixes_criteria():
    query = parse_query(" 김  ㄱㅁㅅ 4321 1961-07-09 ")
    assert query.names == ("김",) and query.initials == ("ㄱㅁㅅ",)
    assert query.phone_tail == "4321" and query.birth_date == BORN


@pytest.mark.parametrize(
    "text", ["", "   ", "1961-02-30", "123", "12345", "x" * 51, "1234 5678", "19610709 1962-01-01"]
)
def test_unsearchable_input_is_a_validation_error(text):
    with pytest.raises(ValidationError) as raised:
        parse_query(text)
    assert "q" in raised.value.message_dict


# --- matching (SQLite and PostgreSQL) -------------------------------------------------------------------------


def test_full_name_and_part_of_a_name(people):
    actor = people.world.lead_worker.actor
    assert names_found(actor, "김민수") == ["김민수"]
    assert names_found(actor, "민수") == ["고민수", "김민수"]
    assert names_found(actor, "김 서") == ["김민서"]


def test_initial_consonants(people):
    actor = people.world.lead_worker.actor
    assert names_found(actor, "ㄱㅁㅅ") == ["고민수", "김민서", "김민수"]
    assert names_found(actor, "ㅁㅅ") == ["고민수", "김민서", "김민수"]
    assert names_found(actor, "김ㅁㅅ") == ["김민서", "김민수"]  # the typed syllable must match exactly
    assert names_found(actor, "ㄱ민수") == ["고민수", "김민수"]
    assert names_found(actor, "ㅎㄱㅅ") == [people.world.head.name]  # 홍길순
    assert names_found(actor, "ㄲㅁㅅ") == []


def test_birth_date_and_phone_tail(people):
    actor = people.world.lead_worker.actor
    assert names_found(actor, "1961-07-09") == ["김민수"]
    assert names_found(actor, "8765") == ["김민서"]
    assert names_found(actor, "ㄱㅁㅅ 4321") == ["김민수"]
    assert names_found(actor, "고민수 4321") == []


def test_sql_chosung_matches_python(people):
    Person.objects.filter(pk=people.gominsu.pk).update(name="Lee 이서윤")
    rows = Person.objects.annotate(initials=Chosung("name")).values_list("name", "initials")
    assert rows and all(initials == chosung(name) for name, initials in rows)


# --- scope ---------------------------------------------------------------------------------------------------


def test_only_persons_of_readable_cases(people):
    world = people.world
    lead = person_search(actor=world.lead_worker.actor, query=parse_query("김민수")).persons
    assert [p.pk for p in lead] == [people.minsu.pk]
    unrelated = person_search(actor=world.unrelated_worker.actor, query=parse_query("김민수")).persons
    assert [p.pk for p in unrelated] == [people.outsider.pk]
    assert names_found(world.participant_worker.actor, "김민수") == ["김민수"]  # consent in force
    assert len(person_search(actor=world.district_admin.actor, query=parse_query("김민수")).persons) == 2
    for who in ("b_worker", "b_admin", "auditor", "nobody"):
        assert names_found(getattr(world, who).actor, "ㄱㅁㅅ") == [], who


def test_search_scope_is_households_in_scope(people):
    """The search writes the scope as the households of cases_in_scope: the same households."""
    from hamkke.access.policy import cases_in_scope
    from hamkke.people.selectors import households_in_scope

    for member in people.world.members.values():
        actor = member.actor
        expected = set(households_in_scope(actor).values_list("pk", flat=True))
        written = set(
            cases_in_scope(actor).filter(district_id=actor.district_id).values_list("household_id", flat=True)
        )
        assert written == expected, member.key


def test_withdrawn_consent_hides_the_household_from_the_participant(people):
    world = people.world
    world.consent.withdrawn_on = world.today
    world.consent.save()
    assert names_found(world.participant_worker.actor, "ㄱㅁㅅ") == []


def test_results_are_limited_and_say_so(world):
    for i in range(4):
        PersonFactory(household=world.household, name=f"박수{i}")
    result = person_search(actor=world.lead_worker.actor, query=parse_query("박수"), limit=3)
    assert len(result.persons) == 3 and result.truncated
    assert [p.name for p in result.persons] == ["박수0", "박수1", "박수2"]


# --- the page ------------------------------------------------------------------------------------------------


def test_search_page_shows_results_and_audits_the_persons_shown(client, people):
    world = people.world
    world.lead_worker.login(client)
    url = reverse("people:search")
    assert client.get(url).status_code == 200
    response = client.post(url, {"q": "ㄱㅁㅅ"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "김민수" in text and "고민수" in text and str(people.outsider.uuid) not in text
    log = (
        AccessLog.objects.filter(action=Action.LIST, object_type="person", user_id=world.lead_worker.user.pk)
        .exclude(detail__startswith="duplicate check")  # the world's own registration
        .get()
    )
    assert log.person_ids == sorted([people.minsu.pk, people.gominsu.pk, people.minseo.pk])
    assert log.path == url  # the name typed never lands in the access log


def test_search_page_keeps_bad_input_and_explains(client, world):
    world.lead_worker.login(client)
    response = client.post(reverse("people:search"), {"q": "1961-02-30"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="1961-02-30"' in text and "올바른 날짜가 아닙니다" in text
    searches = AccessLog.objects.filter(action=Action.LIST, object_type="person")
    assert not searches.exclude(detail__startswith="duplicate check").exists()
    assert client.post(reverse("people:search"), {"q": "가" * 500}).status_code == 200


def test_search_page_needs_a_login(client):
    assert client.get(reverse("people:search")).status_code == 302


def test_outsider_searching_the_name_finds_nothing_of_the_case(client, people):
    people.world.b_worker.login(client)
    text = client.post(reverse("people:search"), {"q": "김민수"}).content.decode()
    assert str(people.minsu.uuid) not in text and str(people.outsider.uuid) not in text


# --- PostgreSQL: the indexes and the locale ----------------------------------------------------------------------


class FakeConnection:
    vendor = "postgresql"
    settings_dict = {"NAME": "hamkke_c"}

    def __init__(self, ctype):
        self.ctype = ctype

    def cursor(self):
        ctype = self.ctype

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql, params=None):
                pass

            def fetchone(self):
                return (ctype,)

        return Cursor()


@pytest.mark.parametrize("ctype", ["C", "POSIX"])
def test_a_c_ctype_database_is_reported_with_the_fix(ctype):
    problem = trigram_locale_problem(FakeConnection(ctype))
    assert f"'{ctype}'" in problem and "--lc-ctype=C.UTF-8" in problem and "hamkke_c" in problem


def test_a_utf8_ctype_database_is_fine():
    assert trigram_locale_problem(FakeConnection("C.UTF-8")) == ""
    assert trigram_locale_problem(FakeConnection("ko_KR.UTF-8")) == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_test_database_indexes_hangul_trigrams():
    assert trigram_locale_problem(connection) == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('김민수'), show_trgm(hamkke_chosung('김민수'))")
        name_trigrams, initial_trigrams = cursor.fetchone()
    assert len(name_trigrams) >= 3 and len(initial_trigrams) >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_stored_initials_and_pairs_follow_the_name(people):
    Person.objects.filter(pk=people.minsu.pk).update(name="박하늘")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_chosung, name_bigrams FROM people_person WHERE id = %s", [people.minsu.pk])
        assert cursor.fetchone() == ("ㅂㅎㄴ", ["박하", "하늘"])
    assert names_found(people.world.lead_worker.actor, "ㅂㅎㄴ") == ["박하늘"]
    assert names_found(people.world.lead_worker.actor, "하늘") == ["박하늘"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.parametrize(
    "text, index",
    [
        ("김민수", "person_name_trgm"),
        ("ㄱㅁㅅ", "person_chosung_trgm"),
        ("민수", "person_name_bigrams"),
        ("1961-07-09", "person_district_birth"),
        ("4321", "person_district_phone_tail"),
    ],
)
def test_search_can_use_its_index(people, text, index):
    syllables = "가나다라마바사아자차카타파하"
    Person.objects.bulk_create(
        Person(
            district=people.world.district_a,
            household=people.world.household,
            sex="F",
            name=syllables[i % 14] + syllables[i // 14 % 14] + syllables[i // 196 % 14],
            birth_date=datetime.date(1930 + i % 70, 1 + i % 12, 1 + i % 28),
            phone=f"010-0000-{i:04d}",
        )
        for i in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
        cursor.execute("SET LOCAL enable_seqscan = off")  # still a small table: ask whether the index CAN serve
    persons = Person.objects.all()
    if "district" in index:  # the b-trees start with the district, as every search does
        persons = persons.filter(district_id=people.world.district_a.pk)
    assert index in matching(persons, parse_query(text)).explain()
