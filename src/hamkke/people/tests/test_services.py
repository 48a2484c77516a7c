"""Households and persons: RRN handling at rest, validation, tenancy, all-or-nothing registration."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hamkke.cases.models import Case
from hamkke.cases.services import case_register
from hamkke.core import rrn as rrn_rules
from hamkke.people.models import Household, Person
from hamkke.people.services import dong_for_actor, household_create, person_create
from hamkke.testing import make_rrn, with_wrong_check_digit

BORN = datetime.date(1975, 8, 21)


def raw_rrn_column(person: Person):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rrn_encrypted FROM {Person._meta.db_table} WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def add_person(world, member="lead_worker", household=None, **kwargs):
    values = {"name": "이가구원", "birth_date": BORN, "sex": Person.Sex.MALE, "relation": Person.Relation.SPOUSE}
    values.update(kwargs)
    return person_create(actor=world.members[member].actor, household=household or world.household, **values)


def field_errors(caught) -> dict:
    return caught.value.message_dict


# --- RRN at rest -----------------------------------------------------------------------------


def test_rrn_is_encrypted_at_rest_and_read_back_by_the_model(world):
    number = make_rrn(BORN, "M")
    person = add_person(world, rrn=number)
    digits = number.replace("-", "")

    raw = raw_rrn_column(person)
    assert raw
    assert digits not in raw
    assert number not in raw
    assert digits[6:] not in raw  # not even the back half
    assert Person.objects.get(pk=person.pk).rrn_encrypted == digits
    assert person.rrn_masked == f"{digits[:6]}-{digits[6]}******"


def test_world_head_rrn_is_encrypted_at_rest(world):
    raw = raw_rrn_column(world.head)
    assert world.head_rrn.replace("-", "") not in raw
    assert world.head.rrn_encrypted == world.head_rrn.replace("-", "")


def test_rrn_hash_is_stored_for_lookup(world):
    number = make_rrn(BORN, "M")
    person = add_person(world, rrn=number)
    person.refresh_from_db()
    assert person.rrn_hash == rrn_rules.rrn_hash(number)
    assert person.has_rrn
    assert Person.objects.filter(district=world.district_a, rrn_hash=rrn_rules.rrn_hash(number)).get() == person


def test_person_without_rrn_stores_nothing(world):
    person = add_person(world)
    assert raw_rrn_column(person) is None
    assert person.rrn_hash == ""
    assert not person.has_rrn
    assert person.rrn_masked == ""


# --- RRN rules -------------------------------------------------------------------------------


def test_agency_without_legal_basis_cannot_enter_rrn(world):
    household = household_create(actor=world.participant_worker.actor, dong=world.dong_a2, address="명동길 1")
    with pytest.raises(ValidationError) as caught:
        add_person(world, "participant_worker", household=household, rrn=make_rrn(BORN, "M"))
    assert "rrn" in field_errors(caught)
    assert not Person.objects.filter(household=household).exists()
    # the same person without an RRN is fine
    assert add_person(world, "participant_worker", household=household).pk


@pytest.mark.parametrize(
    ("rrn_born", "rrn_sex"),
    [(datetime.date(1975, 8, 22), "M"), (BORN, "F")],
    ids=["birth-date-differs", "sex-differs"],
)
def test_rrn_inconsistent_with_birth_date_or_sex_is_refused(world, rrn_born, rrn_sex):
    with pytest.raises(ValidationError) as caught:
        add_person(world, rrn=make_rrn(rrn_born, rrn_sex))
    assert "rrn" in field_errors(caught)


def test_invalid_rrn_is_refused_on_the_rrn_field(world):
    with pytest.raises(ValidationError) as caught:
        add_person(world, rrn=with_wrong_check_digit(make_rrn(BORN, "M")))
    assert "rrn" in field_errors(caught)


def test_duplicate_rrn_in_the_same_district_is_refused(world):
    number = make_rrn(BORN, "M")
    add_person(world, rrn=number)
    other = household_create(actor=world.lead_worker.actor, dong=world.dong_a2, address="명동길 2")
    with pytest.raises(ValidationError) as caught:
        add_person(world, household=other, rrn=number.replace("-", ""))
    assert "rrn" in field_errors(caught)


def test_world_head_rrn_cannot_be_registered_twice(world):
    with pytest.raises(ValidationError):
        case_register(
            actor=world.lead_supervisor.actor,
            dong=world.dong_a2,
            address="명동길 3",
            head={"name": "홍길순", "birth_date": world.head.birth_date, "sex": world.head.sex, "rrn": world.head_rrn},
        )


def test_same_rrn_is_allowed_in_another_district(world):
    number = make_rrn(BORN, "M")
    add_person(world, rrn=number)
    household_b = household_create(actor=world.b_worker.actor, dong=world.dong_b, address="왕십리로 1")
    person_b = add_person(world, "b_worker", household=household_b, rrn=number)
    assert person_b.district_id == world.district_b.pk
    assert person_b.rrn_hash == rrn_rules.rrn_hash(number)


# --- other fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "birth_date",
    [datetime.date.today() + datetime.timedelta(days=2), datetime.date(1899, 12, 31)],
    ids=["future", "before-1900"],
)
def test_impossible_birth_dates_are_refused(world, birth_date):
    with pytest.raises(ValidationError) as caught:
        add_person(world, birth_date=birth_date)
    assert "birth_date" in field_errors(caught)


def test_earliest_allowed_birth_date_is_1900(world):
    assert add_person(world, birth_date=datetime.date(1900, 1, 1)).pk


def test_name_is_required(world):
    with pytest.raises(ValidationError) as caught:
        add_person(world, name="   ")
    assert "name" in field_errors(caught)


def test_person_belongs_to_the_household_and_its_district(world):
    person = add_person(world, name="  이가구원 ", phone=" 010-1111-2222 ")
    assert person.household == world.household
    assert person.district_id == world.district_a.pk
    assert person.name == "이가구원"
    assert person.phone == "010-1111-2222"
    assert person.created_by == world.lead_worker.user


# --- dongs and households --------------------------------------------------------------------


def test_dong_for_actor_returns_a_dong_of_the_actors_district(world):
    assert dong_for_actor(actor=world.lead_worker.actor, dong_id=world.dong_a2.pk) == world.dong_a2
    assert dong_for_actor(actor=world.lead_worker.actor, dong_id=str(world.dong_a2.pk)) == world.dong_a2


@pytest.mark.parametrize("dong_id", ["dong_b", 999_999, "abc", None, ""])
def test_dong_for_actor_refuses_unknown_and_foreign_dongs(world, dong_id):
    if dong_id == "dong_b":
        dong_id = world.dong_b.pk
    with pytest.raises(ValidationError) as caught:
        dong_for_actor(actor=world.lead_worker.actor, dong_id=dong_id)
    assert "dong" in field_errors(caught)


def test_dong_for_actor_without_membership_finds_nothing(world):
    with pytest.raises(ValidationError):
        dong_for_actor(actor=world.nobody.actor, dong_id=world.dong_a.pk)


def test_household_create_refuses_a_dong_of_another_district(world):
    before = Household.objects.count()
    with pytest.raises(ValidationError) as caught:
        household_create(actor=world.lead_worker.actor, dong=world.dong_b, address="왕십리로 2")
    assert "dong" in field_errors(caught)
    assert Household.objects.count() == before


def test_household_create_requires_an_address(world):
    with pytest.raises(ValidationError) as caught:
        household_create(actor=world.lead_worker.actor, dong=world.dong_a, address="  ")
    assert "address" in field_errors(caught)


def test_household_create_sets_district_and_author(world):
    household = household_create(
        actor=world.lead_worker.actor, dong=world.dong_a2, address=" 명동길 5 ", address_detail=" 101호 "
    )
    assert household.district_id == world.district_a.pk
    assert (household.address, household.address_detail) == ("명동길 5", "101호")
    assert household.created_by == world.lead_worker.user


# --- case_register: all or nothing -----------------------------------------------------------


def register(world, member="lead_worker", **head):
    values = {"name": "박새가구", "birth_date": BORN, "sex": Person.Sex.MALE}
    values.update(head)
    return case_register(actor=world.members[member].actor, dong=world.dong_a2, address="명동길 9", head=values)


@pytest.mark.parametrize(
    "head",
    [
        {"rrn": with_wrong_check_digit(make_rrn(BORN, "M"))},
        {"rrn": make_rrn(BORN, "F")},
        {"birth_date": datetime.date.today() + datetime.timedelta(days=2)},
        {"name": ""},
    ],
    ids=["bad-check-digit", "rrn-sex-mismatch", "future-birth", "no-name"],
)
def test_case_register_leaves_nothing_behind_on_error(world, head):
    counts = (Household.objects.count(), Person.objects.count(), Case.objects.count())
    with pytest.raises(ValidationError):
        register(world, **head)
    assert (Household.objects.count(), Person.objects.count(), Case.objects.count()) == counts
    assert not Household.objects.filter(address="명동길 9").exists()


def test_case_register_by_agency_without_legal_basis_leaves_nothing_behind(world):
    counts = (Household.objects.count(), Person.objects.count(), Case.objects.count())
    with pytest.raises(ValidationError):
        register(world, "participant_worker", rrn=make_rrn(BORN, "M"))
    assert (Household.objects.count(), Person.objects.count(), Case.objects.count()) == counts


def test_case_register_creates_household_head_and_case(world):
    case = register(world, rrn=make_rrn(BORN, "M"))
    head = case.household.members.get()
    assert head.relation == Person.Relation.HEAD
    assert head.has_rrn
    assert case.household.dong == world.dong_a2
    assert case.lead_agency == world.lead_agency


def test_case_register_refuses_a_foreign_dong(world):
    before = Household.objects.count()
    with pytest.raises(ValidationError):
        case_register(
            actor=world.lead_worker.actor,
            dong=world.dong_b,
            address="왕십리로 3",
            head={"name": "박새가구", "birth_date": BORN, "sex": "M"},
        )
    assert Household.objects.count() == before


@pytest.mark.parametrize("member", ["lead_admin", "district_admin", "auditor", "nobody"])
def test_case_register_needs_a_role_that_opens_cases(world, member):
    before = Household.objects.count()
    with pytest.raises(PermissionDenied):
        register(world, member)
    assert Household.objects.count() == before


# --- change history --------------------------------------------------------------------------


def test_history_records_a_change_but_never_the_rrn(world):
    head = world.head
    assert head.history.count() == 1
    head.phone = "010-9999-0000"
    head.save()
    assert head.history.count() == 2
    assert head.history.first().phone == "010-9999-0000"
    assert head.history.last().phone == "010-2345-6789"

    historical = Person.history.model
    field_names = {f.name for f in historical._meta.get_fields()}
    assert "name" in field_names
    assert not {"rrn_encrypted", "rrn_hash"} & field_names
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, historical._meta.db_table)}
        cursor.execute(f"SELECT * FROM {historical._meta.db_table}")
        rows = cursor.fetchall()
    assert not [c for c in columns if "rrn" in c]
    digits = world.head_rrn.replace("-", "")
    assert rows and not any(digits in str(value) or world.head_rrn in str(value) for row in rows for value in row)


def test_household_history_records_a_change(world):
    household = world.household
    household.address_detail = "3층"
    household.save()
    assert [h.address_detail for h in household.history.all()] == ["3층", "2층"]


def test_person_cannot_be_added_to_a_household_of_another_district(world):
    """Tenancy holds in the service itself, not only in the views that fetch the household."""
    before = Person.objects.count()
    with pytest.raises(PermissionDenied):
        add_person(world, "b_worker")
    with pytest.raises(PermissionDenied):
        add_person(world, "nobody")
    assert Person.objects.count() == before


def test_same_rrn_twice_is_refused_by_the_database_too(world):
    """The unique constraint backs the duplicate check when two saves race."""
    import pytest
    from django.db import IntegrityError, transaction

    from hamkke.people.models import Person

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            district=world.district_a,
            household=world.household,
            name="중복",
            sex="F",
            birth_date=world.head.birth_date,
            rrn_hash=world.head.rrn_hash,
        )


# --- every problem at once (issue 13 item 8) --------------------------------------------------------


def test_registration_reports_every_problem_in_one_error(world):
    """A future birth date, an RRN with a wrong check digit whose birth date also differs, a phone
    too long for the column: one ValidationError with all of them, not one round each."""
    rrn = with_wrong_check_digit(make_rrn(datetime.date(1953, 8, 14), "M"))
    with pytest.raises(ValidationError) as caught:
        add_person(world, birth_date=datetime.date(2999, 1, 1), rrn=rrn, phone="0" * 30)
    errors = field_errors(caught)
    assert errors["birth_date"] == ["미래 날짜는 입력할 수 없습니다 — 오늘 또는 이전 날짜를 입력하세요"]
    assert errors["rrn"] == [
        "주민등록번호 검증번호가 맞지 않습니다. 다시 확인하세요.",
        "주민등록번호의 생년월일이 입력한 생년월일과 다릅니다. 둘 중 틀린 쪽을 고치세요.",
    ]
    assert "phone" in errors  # the model's own check (full_clean), in the same answer
    assert not Person.objects.filter(name="이가구원").exists()


def test_the_missing_identity_says_what_to_enter(world):
    with pytest.raises(ValidationError) as caught:
        add_person(world, name="", birth_date=None, sex="")
    assert field_errors(caught) == {
        "name": ["성명을 입력하세요 (모르면 ‘성명 미상’으로 등록할 수 있습니다)"],
        "birth_date": ["생년월일을 입력하세요 (예: 1953-08-14)"],
        "sex": ["성별을 고르세요 (모르면 ‘미상’)"],
    }
