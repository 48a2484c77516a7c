"""Reading households and persons: in reach only through a case in the actor's scope."""

import datetime

import pytest

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE
from hamkke.cases.services import case_register
from hamkke.consents.services import consent_withdraw
from hamkke.people.models import Household, Person
from hamkke.people.selectors import (
    household_cases_for_actor,
    household_get_for_actor,
    households_in_scope,
    person_get_for_actor,
)
from hamkke.people.services import household_create
from hamkke.testing.factories import MEMBERS

VIEWERS = {"lead_worker", "lead_supervisor", "lead_admin", "participant_worker", "district_admin"}
CHANGERS = {"lead_worker", "lead_supervisor"}


@pytest.mark.parametrize("member", list(MEMBERS))
@pytest.mark.parametrize(("permission", "allowed"), [(VIEW_CASE, VIEWERS), (CHANGE_CASE, CHANGERS)])
def test_household_and_person_are_reached_only_through_the_case_scope(world, member, permission, allowed):
    actor = world.members[member].actor
    if member in allowed:
        household = household_get_for_actor(actor=actor, uuid=world.household.uuid, permission=permission)
        assert household == world.household
        assert list(household.members.all()) == [world.head]
        assert person_get_for_actor(actor=actor, uuid=world.head.uuid, permission=permission) == world.head
    else:
        with pytest.raises(Household.DoesNotExist):
            household_get_for_actor(actor=actor, uuid=world.household.uuid, permission=permission)
        with pytest.raises(Person.DoesNotExist):
            person_get_for_actor(actor=actor, uuid=world.head.uuid, permission=permission)


def test_participant_loses_household_and_person_when_consent_is_withdrawn(world):
    actor = world.participant_worker.actor
    assert person_get_for_actor(actor=actor, uuid=world.head.uuid) == world.head
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    with pytest.raises(Household.DoesNotExist):
        household_get_for_actor(actor=actor, uuid=world.household.uuid)
    with pytest.raises(Person.DoesNotExist):
        person_get_for_actor(actor=actor, uuid=world.head.uuid)


def test_household_without_a_case_is_in_nobodys_reach(world):
    household = household_create(actor=world.lead_worker.actor, dong=world.dong_a, address="소공로 1")
    for member in ("lead_worker", "district_admin"):
        with pytest.raises(Household.DoesNotExist):
            household_get_for_actor(actor=world.members[member].actor, uuid=household.uuid)


def test_households_in_scope_lists_each_household_once(world):
    case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a2,
        address="명동길 40",
        head={"name": "새가구", "birth_date": datetime.date(1990, 2, 2), "sex": "F"},
    )
    scoped = list(households_in_scope(world.participant_worker.actor))
    assert scoped == [world.household]
    assert households_in_scope(world.lead_worker.actor).count() == 2


def test_household_cases_for_actor(world):
    assert list(household_cases_for_actor(actor=world.lead_worker.actor, household=world.household)) == [world.case]
    assert list(household_cases_for_actor(actor=world.unrelated_worker.actor, household=world.household)) == []
