"""A decision that assigns an agency not on the case team (issue 13 §5): with the person's consent it
is offered to join the team (the rule referrals follow); without, the refusal names the consent."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hamkke.accounts.models import Role
from hamkke.cases.models import CaseParticipant
from hamkke.conferences.models import Task
from hamkke.conferences.services import conference_add_case, decision_to_task
from hamkke.consents.services import consent_record
from hamkke.districts.models import Agency
from hamkke.testing.factories import AgencyFactory, MembershipFactory

from .conftest import schedule

pytestmark = pytest.mark.django_db

HOUSING = "중구주거안심종합센터"


def housing_centre(world, *, in_consent: bool):
    agency = AgencyFactory(district=world.district_a, name=HOUSING, kind=Agency.Kind.HOUSING_CENTRE)
    worker = MembershipFactory(agency=agency, role=Role.WORKER).user
    if in_consent:
        consent_record(
            actor=world.lead_worker.actor,
            case=world.case,
            person=world.head,
            given_on=world.today,
            expires_on=world.today + datetime.timedelta(days=365),
            required_collection=True,
            third_party_agencies=[world.participating_agency, agency],
        )
    conference = schedule(world, agencies=[world.participating_agency, agency])
    conference_add_case(actor=world.lead_worker.actor, conference=conference, case=world.case)
    return agency, worker, conference


def assign(world, conference, worker, **kwargs):
    return decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="임대주택 신청 서류 준비",
        case=world.case,
        assignee=worker,
        due_on=world.today + datetime.timedelta(days=7),
        **kwargs,
    )


def test_an_agency_in_the_consent_but_not_on_the_team_is_offered_to_join_it(world):
    agency, worker, conference = housing_centre(world, in_consent=True)
    with pytest.raises(ValidationError) as caught:
        assign(world, conference, worker)
    assert set(caught.value.message_dict) == {"add_to_team"}
    assert HOUSING in caught.value.message_dict["add_to_team"][0] and "사례 팀에 없습니다" in str(caught.value)
    assert not CaseParticipant.objects.filter(case=world.case, agency=agency).exists()
    task = assign(world, conference, worker, add_to_team=True)
    assert task.agency == agency
    member = CaseParticipant.objects.get(case=world.case, agency=agency, left_on__isnull=True)
    assert member.worker == worker


def test_an_agency_outside_the_consent_is_refused_and_told_why(world):
    agency, worker, conference = housing_centre(world, in_consent=False)
    with pytest.raises(ValidationError) as caught:
        assign(world, conference, worker, add_to_team=True)
    assert "정보제공 동의에 없어" in caught.value.message_dict["assignee"][0]
    assert not CaseParticipant.objects.filter(case=world.case, agency=agency).exists()
    assert not Task.objects.exists()


def test_only_who_may_change_the_case_adds_to_its_team(world):
    agency, worker, conference = housing_centre(world, in_consent=True)
    conference.host_agency = world.participating_agency
    conference.save(update_fields=["host_agency"])
    with pytest.raises(ValidationError) as caught:  # the participant hosts; it does not lead world.case
        decision_to_task(
            actor=world.participant_worker.actor,
            conference=conference,
            decision="서류 준비",
            case=world.case,
            assignee=worker,
            due_on=world.today + datetime.timedelta(days=7),
            add_to_team=True,
        )
    assert "주관하는 기관" in caught.value.message_dict["add_to_team"][0]
    assert not CaseParticipant.objects.filter(case=world.case, agency=agency).exists()
