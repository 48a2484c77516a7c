"""Recording and withdrawing consent to information sharing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkke.audit.models import AccessLog, Action
from hamkke.consents.models import Consent
from hamkke.consents.selectors import consents_for_case
from hamkke.consents.services import GUARDIAN_AGE, consent_record, consent_withdraw
from hamkke.people.services import person_create
from hamkke.testing.factories import MEMBERS, PersonFactory


def record(world, member="lead_worker", **kwargs):
    values = {"case": world.case, "person": world.head, "given_on": world.today, "required_collection": True}
    values.update(kwargs)
    return consent_record(actor=world.members[member].actor, **values)


def errors_of(caught) -> dict:
    return caught.value.message_dict


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier (28 February for a 29 February without a leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def add_child(world, birth_date):
    return person_create(
        actor=world.lead_worker.actor,
        household=world.household,
        name="홍아이",
        birth_date=birth_date,
        sex="M",
        relation="grandchild",
    )


def test_world_consent_is_in_force_and_names_the_participating_agency(world):
    consent = world.consent
    assert consent.is_valid_on(world.today)
    assert list(consent.third_party_agencies.all()) == [world.participating_agency]
    assert consent.recorded_by == world.lead_worker.user
    assert consent.district_id == world.district_a.pk


def test_record_keeps_every_item_separately(world):
    consent = record(
        world,
        optional_items=["연락처", "가족관계"],
        sensitive_data=True,
        share_with_district_network=True,
        expires_on=world.today + datetime.timedelta(days=30),
        third_party_agencies=[world.participating_agency, world.unrelated_agency],
    )
    consent.refresh_from_db()
    assert consent.optional_items == ["연락처", "가족관계"]
    assert consent.sensitive_data and consent.share_with_district_network
    assert set(consent.third_party_agencies.all()) == {world.participating_agency, world.unrelated_agency}
    assert consent.withdrawn_on is None


def test_required_collection_is_needed(world):
    with pytest.raises(ValidationError) as caught:
        record(world, required_collection=False)
    assert "required_collection" in errors_of(caught)


def test_expiry_before_the_day_given_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        record(
            world,
            given_on=world.today - datetime.timedelta(days=3),
            expires_on=world.today - datetime.timedelta(days=4),
        )
    assert "expires_on" in errors_of(caught)


def test_expiry_on_the_day_given_is_accepted(world):
    assert record(world, expires_on=world.today).expires_on == world.today


def test_consent_given_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        record(world, given_on=world.today + datetime.timedelta(days=1))
    assert "given_on" in errors_of(caught)


def test_agency_of_another_district_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        record(world, third_party_agencies=[world.participating_agency, world.agency_b])
    assert "third_party_agencies" in errors_of(caught)
    assert Consent.objects.filter(case=world.case).count() == 1


def test_consenting_person_must_belong_to_the_case_household(world):
    stranger = PersonFactory(household__dong=world.dong_a2)
    with pytest.raises(ValidationError) as caught:
        record(world, person=stranger)
    assert "person" in errors_of(caught)


def test_guardian_is_required_under_14(world):
    child = add_child(world, years_before(world.today, GUARDIAN_AGE) + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        record(world, person=child)
    assert "guardian_name" in errors_of(caught)
    with pytest.raises(ValidationError):
        record(world, person=child, guardian_name="홍길순", guardian_relation="  ")
    consent = record(world, person=child, guardian_name=" 홍길순 ", guardian_relation="조모")
    assert (consent.guardian_name, consent.guardian_relation) == ("홍길순", "조모")


def test_no_guardian_needed_from_the_14th_birthday(world):
    teenager = add_child(world, years_before(world.today, GUARDIAN_AGE))
    assert record(world, person=teenager).guardian_name == ""


def test_age_is_counted_on_the_day_consent_was_given(world):
    # 14 today, but 13 on the day the consent was given a month ago
    teenager = add_child(world, years_before(world.today, GUARDIAN_AGE) - datetime.timedelta(days=5))
    with pytest.raises(ValidationError) as caught:
        record(world, person=teenager, given_on=world.today - datetime.timedelta(days=30))
    assert "guardian_name" in errors_of(caught)


@pytest.mark.parametrize("member", [m for m in MEMBERS if m not in ("lead_worker", "lead_supervisor")])
def test_only_the_lead_agency_team_records_and_withdraws(world, member):
    with pytest.raises(PermissionDenied):
        record(world, member)
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=world.members[member].actor, consent=world.consent)
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_on is None


def test_withdrawal_sets_withdrawn_on_and_is_audited(world):
    consent = consent_withdraw(actor=world.lead_supervisor.actor, consent=world.consent)
    assert consent.withdrawn_on == world.today
    assert Consent.objects.get(pk=consent.pk).withdrawn_on == world.today
    assert not consent.is_valid_on(world.today)
    log = AccessLog.objects.latest("id")
    assert (log.action, log.user_id, log.agency_id, log.case_id) == (
        Action.UPDATE,
        world.lead_supervisor.user.pk,
        world.lead_agency.pk,
        world.case.pk,
    )
    assert (log.object_type, log.object_id, log.person_ids) == ("consent", str(consent.uuid), [world.head.pk])
    assert log.detail == "withdrawn"


def test_withdrawal_on_a_given_day(world):
    day = world.today - datetime.timedelta(days=2)
    assert consent_withdraw(actor=world.lead_worker.actor, consent=world.consent, on=day).withdrawn_on == day


def test_consent_cannot_be_withdrawn_twice(world):
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    logs = AccessLog.objects.count()
    with pytest.raises(ValidationError):
        consent_withdraw(
            actor=world.lead_worker.actor, consent=world.consent, on=world.today + datetime.timedelta(days=1)
        )
    assert Consent.objects.get(pk=world.consent.pk).withdrawn_on == world.today
    assert AccessLog.objects.count() == logs


def test_withdrawal_is_kept_in_the_change_history(world):
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert [h.withdrawn_on for h in world.consent.history.all()] == [world.today, None]


def test_consents_for_case_newest_first(world):
    world.case.opened_on = world.today - datetime.timedelta(days=120)  # consents may date back to the case's start
    world.case.save(update_fields=["opened_on"])
    older = record(world, given_on=world.today - datetime.timedelta(days=100))
    newer = record(world)
    assert list(consents_for_case(case=world.case)) == [newer, world.consent, older]
