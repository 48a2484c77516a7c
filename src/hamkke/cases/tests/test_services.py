"""Opening cases and building the case team."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkke.access.policy import CAN_OPEN_CASE
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.cases.models import Case, CaseParticipant, CaseType, StageChange
from hamkke.cases.services import case_add_participant, case_open, case_types_ensure_defaults
from hamkke.cases.stages import Stage
from hamkke.testing.factories import MEMBERS, HouseholdFactory, MembershipFactory


@pytest.mark.parametrize("role", Role.values)
def test_case_open_permission_by_role(world, role):
    membership = MembershipFactory(agency=world.unrelated_agency, role=role)
    actor = actor_for(membership.user)
    household = HouseholdFactory(dong=world.dong_a2)
    if role in (Role.WORKER, Role.SUPERVISOR):
        case = case_open(actor=actor, household=household)
        assert case.lead_agency == world.unrelated_agency
    else:
        with pytest.raises(PermissionDenied):
            case_open(actor=actor, household=household)
        assert not Case.objects.filter(household=household).exists()


def test_only_workers_and_supervisors_open_cases():
    assert {Role.WORKER, Role.SUPERVISOR} == CAN_OPEN_CASE


def test_case_open_without_membership_is_refused(world):
    with pytest.raises(PermissionDenied):
        case_open(actor=world.nobody.actor, household=HouseholdFactory(dong=world.dong_a2))


def test_case_open_starts_at_identification_with_a_first_stage_change(world):
    actor = world.lead_supervisor.actor
    household = HouseholdFactory(dong=world.dong_a2)
    opened_on = datetime.date(2024, 2, 1)
    case = case_open(
        actor=actor,
        household=household,
        summary="  쓰레기 적치  ",
        opened_on=opened_on,
        lead_worker=world.lead_worker.user,
    )
    assert case.stage == Stage.IDENTIFICATION
    assert case.district_id == world.district_a.pk
    assert case.lead_agency == world.lead_agency
    assert case.lead_worker == world.lead_worker.user
    assert case.summary == "쓰레기 적치"
    assert case.opened_on == opened_on
    change = StageChange.objects.get(case=case)
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", Stage.IDENTIFICATION, actor.user)
    assert change.changed_at.date() == opened_on


def test_case_open_defaults_lead_worker_to_the_actor(world):
    case = case_open(actor=world.lead_supervisor.actor, household=HouseholdFactory(dong=world.dong_a2))
    assert case.lead_worker == world.lead_supervisor.user


def test_world_case_is_led_by_the_lead_agency(world):
    assert world.case.lead_agency == world.lead_agency
    assert world.case.lead_worker == world.lead_worker.user
    assert world.case.household.members.get() == world.head


def test_case_types_defaults_are_idempotent(world):
    again = case_types_ensure_defaults(district=world.district_a)
    assert again == world.case_types_a
    assert CaseType.objects.filter(district=world.district_a).count() == 3
    assert [t.code for t in again] == ["high_complexity", "general", "referral"]
    assert [t.referral_only for t in again] == [False, False, True]
    assert not CaseType.objects.filter(district=world.district_b).exists()


# --- the case team ---------------------------------------------------------------------------


@pytest.mark.parametrize("member", list(MEMBERS))
def test_only_lead_agency_workers_and_supervisors_add_participants(world, member):
    actor = world.members[member].actor
    if member in ("lead_worker", "lead_supervisor"):
        participant = case_add_participant(actor=actor, case=world.case, agency=world.unrelated_agency)
        assert participant.district_id == world.district_a.pk
    else:
        with pytest.raises(PermissionDenied):
            case_add_participant(actor=actor, case=world.case, agency=world.unrelated_agency)
        assert not CaseParticipant.objects.filter(agency=world.unrelated_agency).exists()


@pytest.mark.parametrize("agency", ["lead_agency", "agency_b", "participating_agency"])
def test_participant_must_be_another_new_agency_of_the_district(world, agency):
    with pytest.raises(ValidationError) as caught:
        case_add_participant(actor=world.lead_worker.actor, case=world.case, agency=world.agencies[agency])
    assert "agency" in caught.value.message_dict


def test_agency_that_left_can_join_again(world):
    CaseParticipant.objects.filter(pk=world.participant.pk).update(left_on=world.today)
    again = case_add_participant(actor=world.lead_worker.actor, case=world.case, agency=world.participating_agency)
    assert again.pk != world.participant.pk
    assert again.joined_on == world.today


def test_case_cannot_be_opened_for_a_household_of_another_district(world):
    """A case and its household always share a district (rows never cross tenants)."""
    with pytest.raises(PermissionDenied):
        case_open(actor=world.b_worker.actor, household=world.household)
    assert list(Case.objects.filter(household=world.household)) == [world.case]


def test_stage_change_time_must_follow_the_last_change_and_not_be_in_the_future(world):
    import datetime

    import pytest
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from hamkke.cases.services import case_change_stage
    from hamkke.cases.stages import Stage

    actor = world.lead_worker.actor
    for at in [world.case.stage_changed_at - datetime.timedelta(hours=1), timezone.now() + datetime.timedelta(hours=1)]:
        with pytest.raises(ValidationError) as error:
            case_change_stage(actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION, occurred_at=at)
        assert "occurred_at" in error.value.error_dict


def test_participant_worker_must_belong_to_the_participating_agency(world):
    import pytest
    from django.core.exceptions import ValidationError

    from hamkke.cases.services import case_add_participant

    with pytest.raises(ValidationError) as error:
        case_add_participant(
            actor=world.lead_worker.actor,
            case=world.case,
            agency=world.unrelated_agency,
            worker=world.participant_worker.user,
        )
    assert "worker" in error.value.error_dict


def test_lead_worker_must_belong_to_the_lead_agency(world):
    import pytest
    from django.core.exceptions import ValidationError

    from hamkke.cases.services import case_open

    with pytest.raises(ValidationError):
        case_open(actor=world.lead_worker.actor, household=world.household, lead_worker=world.b_worker.user)
