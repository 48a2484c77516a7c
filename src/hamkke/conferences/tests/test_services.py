"""Conference rules, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkke.audit.models import AccessLog, Action
from hamkke.conferences.models import Conference, Task
from hamkke.conferences.selectors import conference_page, task_list_for_actor
from hamkke.conferences.services import (
    conference_add_case,
    conference_cancel,
    conference_case_discuss,
    conference_record,
    decision_to_task,
    task_cancel,
    task_complete,
)
from hamkke.consents.services import consent_withdraw
from hamkke.testing.factories import AgencyFactory, CaseFactory, MembershipFactory

from .conftest import DISCUSSION, schedule

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- scheduling -------------------------------------------------------------------------------


def test_schedule_includes_the_host_and_is_audited(world):
    conference = schedule(
        world,
        agencies=[world.participating_agency],
        attendees=[world.participant_worker.user],
        other_attendees="당사자 본인",
    )
    assert conference.host_agency == world.lead_agency
    assert set(conference.agencies.all()) == {world.lead_agency, world.participating_agency}
    assert list(conference.attendees.all()) == [world.participant_worker.user]
    assert conference.created_by == world.lead_worker.user and conference.district == world.district_a
    assert AccessLog.objects.filter(
        action=Action.CREATE, object_type="conference", object_id=str(conference.uuid)
    ).exists()


def test_agencies_of_another_district_are_refused(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, agencies=[world.lead_agency, world.agency_b])
    assert "agencies" in error.value.error_dict
    assert not Conference.objects.exists()


def test_inactive_agencies_are_refused(world):
    closed = AgencyFactory(district=world.district_a, name="폐지된 기관", is_active=False)
    with pytest.raises(ValidationError) as error:
        schedule(world, agencies=[closed])
    assert "agencies" in error.value.error_dict


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "auditor"])
def test_attendees_must_belong_to_a_conference_agency(world, who):
    with pytest.raises(ValidationError) as error:
        schedule(world, attendees=[world.lead_worker.user, getattr(world, who).user])
    assert "attendees" in error.value.error_dict
    assert not Conference.objects.exists()


def test_inactive_membership_is_not_an_attendee(world):
    world.participant_worker.membership.is_active = False
    world.participant_worker.membership.save()
    with pytest.raises(ValidationError):
        schedule(world, attendees=[world.participant_worker.user])


def test_impossible_dates_are_refused(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, days=-365 * 40)
    assert "scheduled_at" in error.value.error_dict


@pytest.mark.parametrize("who", ["lead_admin", "auditor", "nobody"])
def test_only_case_workers_host(world, who):
    with pytest.raises(PermissionDenied):
        schedule(world, member=getattr(world, who))


def test_district_admin_hosts_workshops_only(world):
    with pytest.raises(PermissionDenied):
        schedule(world, member=world.district_admin)
    workshop = schedule(world, member=world.district_admin, kind=Conference.Kind.WORKSHOP, title="함께라면 괜찮아")
    assert workshop.host_agency == world.district_admin.agency


def test_the_practice_sharing_workshop_has_no_case(world):
    """‘함께라면 괜찮아’: 60 workers of the district share their methods; no single case is discussed."""
    workshop = schedule(
        world,
        member=world.district_admin,
        kind=Conference.Kind.WORKSHOP,
        title="함께라면 괜찮아",
        agencies=[world.lead_agency, world.participating_agency, world.unrelated_agency],
        attendees=[world.lead_worker.user, world.participant_worker.user, world.unrelated_worker.user],
        other_attendees="중구 민관 사례관리 담당자 60명",
        days=-2,
    )
    with pytest.raises(PermissionDenied):
        conference_add_case(actor=world.lead_worker.actor, conference=workshop, case=world.case)
    conference_record(
        actor=world.district_admin.actor,
        conference=workshop,
        person_attended=True,
        family_attended=False,
        minutes="저장강박 가구, 거부 사례, 자살 시도 후 회복 사례 발표",
    )
    task = decision_to_task(
        actor=world.district_admin.actor,
        conference=workshop,
        assignee=world.unrelated_worker.user,
        decision="다음 워크숍에서 회복 사례 후속 발표",
        due_on=world.today + days(60),
    )
    workshop.refresh_from_db()
    assert workshop.status == Conference.Status.HELD and not workshop.person_attended  # no person at a workshop
    assert task.case is None and task.agency == world.unrelated_agency


# --- cases on the table -----------------------------------------------------------------------


def test_adding_a_case_requires_view_access(world):
    conference = schedule(world, agencies=[world.unrelated_agency])
    with pytest.raises(PermissionDenied):  # the unrelated agency cannot read the lead agency's case
        conference_add_case(actor=world.unrelated_worker.actor, conference=conference, case=world.case)
    item = conference_add_case(
        actor=world.lead_worker.actor, conference=conference, case=world.case, discussion=DISCUSSION
    )
    assert item.discussion == DISCUSSION
    assert AccessLog.objects.filter(action=Action.CREATE, case_id=world.case.pk, object_type="conference").exists()
    with pytest.raises(ValidationError):
        conference_add_case(actor=world.lead_worker.actor, conference=conference, case=world.case)


def test_participant_with_consent_may_bring_the_case_but_not_after_withdrawal(world):
    conference = schedule(world)
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    with pytest.raises(PermissionDenied):
        conference_add_case(actor=world.participant_worker.actor, conference=conference, case=world.case)


def test_only_members_of_a_conference_agency_add_cases(world):
    conference = schedule(world)
    other_case = CaseFactory(household__dong=world.dong_a, lead_agency=world.unrelated_agency)
    with pytest.raises(PermissionDenied):  # can view its own case, but is not at this conference
        conference_add_case(actor=world.unrelated_worker.actor, conference=conference, case=other_case)


def test_discussion_notes_are_hidden_without_case_access(world, conference):
    conference.agencies.add(world.unrelated_agency)
    page = conference_page(actor=world.unrelated_worker.actor, conference=conference)
    assert len(page.discussed) == 1 and page.discussed[0].case is None and page.shown_cases == []
    page = conference_page(actor=world.participant_worker.actor, conference=conference)
    assert page.discussed[0].case == world.case
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    page = conference_page(actor=world.participant_worker.actor, conference=conference)
    assert page.discussed[0].case is None


def test_discussion_is_updated_by_those_who_may_see_the_case(world, conference):
    conference_case_discuss(
        actor=world.participant_worker.actor,
        conference=conference,
        case=world.case,
        discussion="복지관 정서 지원 주 1회",
    )
    assert conference.discussed.get().discussion == "복지관 정서 지원 주 1회"
    conference.agencies.add(world.unrelated_agency)
    with pytest.raises(PermissionDenied):
        conference_case_discuss(
            actor=world.unrelated_worker.actor, conference=conference, case=world.case, discussion="x"
        )


# --- minutes ----------------------------------------------------------------------------------


def test_minutes_only_by_the_host_agency_or_the_creator(world, conference):
    with pytest.raises(PermissionDenied):
        conference_record(
            actor=world.participant_worker.actor,
            conference=conference,
            minutes="x",
            person_attended=False,
            family_attended=False,
        )
    conference_record(
        actor=world.lead_supervisor.actor,
        conference=conference,
        minutes="역할 분담 합의",
        person_attended=True,
        family_attended=True,
    )
    conference.refresh_from_db()
    assert conference.status == Conference.Status.HELD and conference.person_attended and conference.family_attended
    assert AccessLog.objects.filter(action=Action.UPDATE, object_id=str(conference.uuid)).exists()


def test_a_future_conference_cannot_be_held_yet(world):
    conference = schedule(world, days=3)
    with pytest.raises(ValidationError) as error:
        conference_record(
            actor=world.lead_worker.actor,
            conference=conference,
            minutes="x",
            person_attended=False,
            family_attended=False,
        )
    assert "status" in error.value.error_dict
    conference_record(
        actor=world.lead_worker.actor,
        conference=conference,
        minutes="안건: 주거 지원",
        person_attended=False,
        family_attended=False,
        status=Conference.Status.SCHEDULED,
    )


def test_held_conference_needs_minutes(world, conference):
    with pytest.raises(ValidationError) as error:
        conference_record(
            actor=world.lead_worker.actor,
            conference=conference,
            minutes="  ",
            person_attended=False,
            family_attended=False,
        )
    assert "minutes" in error.value.error_dict


def test_cancel_closes_open_tasks(world):
    conference = schedule(world, days=2)
    task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="사전 방문",
        assignee=world.participant_worker.user,
        due_on=world.today + days(5),
    )
    with pytest.raises(PermissionDenied):
        conference_cancel(actor=world.participant_worker.actor, conference=conference)
    conference_cancel(actor=world.lead_worker.actor, conference=conference)
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    with pytest.raises(ValidationError):
        conference_cancel(actor=world.lead_worker.actor, conference=conference)
    with pytest.raises(ValidationError):
        decision_to_task(
            actor=world.lead_worker.actor,
            conference=conference,
            decision="x",
            assignee=world.lead_worker.user,
            due_on=world.today + days(5),
        )


# --- decisions become tasks -------------------------------------------------------------------


def test_decisions_become_tasks_on_the_assignees_list_across_conferences(world, conference):
    first = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        case=world.case,
        decision="복지관에서 주 1회 정서 지원 방문",
        assignee=world.participant_worker.user,
        due_on=world.today + days(14),
    )
    second_conference = schedule(
        world, member=world.participant_worker, title="복지관 사례회의", agencies=[world.lead_agency], days=0
    )
    second = decision_to_task(
        actor=world.participant_worker.actor,
        conference=second_conference,
        decision="자원봉사 청소팀 섭외",
        assignee=world.participant_worker.user,
        due_on=world.today + days(7),
    )
    other = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="구청 긴급지원 신청",
        assignee=world.lead_worker.user,
        due_on=world.today + days(3),
    )
    assert first.agency == world.participating_agency and first.case == world.case
    assert other.agency == world.lead_agency
    mine = task_list_for_actor(actor=world.participant_worker.actor)
    assert [row.task for row in mine.open] == [second, first]  # by due date, across both conferences
    assert all(row.text_visible and row.may_complete for row in mine.open)
    assert AccessLog.objects.filter(action=Action.CREATE, object_type="task", case_id=world.case.pk).exists()


def test_assignee_must_work_in_a_conference_agency(world, conference):
    for outsider in (world.unrelated_worker, world.b_worker, world.auditor, world.lead_admin):
        with pytest.raises(ValidationError) as error:
            decision_to_task(
                actor=world.lead_worker.actor,
                conference=conference,
                decision="방문",
                assignee=outsider.user,
                due_on=world.today,
            )
        assert "assignee" in error.value.error_dict


def test_task_agency_is_the_membership_among_conference_agencies(world, conference):
    MembershipFactory(user=world.unrelated_worker.user, agency=world.participating_agency)
    task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="방문",
        assignee=world.unrelated_worker.user,
        due_on=world.today,
    )
    assert task.agency == world.participating_agency


def test_due_date_not_before_the_conference(world, conference):
    with pytest.raises(ValidationError) as error:
        decision_to_task(
            actor=world.lead_worker.actor,
            conference=conference,
            decision="방문",
            assignee=world.lead_worker.user,
            due_on=world.today - days(2),
        )
    assert "due_on" in error.value.error_dict
    task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="방문",
        assignee=world.lead_worker.user,
        due_on=world.today - days(1),
    )  # the conference day
    assert task.due_on == world.today - days(1)


def test_linked_case_must_have_been_discussed_and_readable_by_the_assignee(world):
    conference = schedule(world, agencies=[world.participating_agency, world.unrelated_agency])
    with pytest.raises(ValidationError) as error:
        decision_to_task(
            actor=world.lead_worker.actor,
            conference=conference,
            decision="방문",
            case=world.case,
            assignee=world.lead_worker.user,
            due_on=world.today,
        )
    assert "case" in error.value.error_dict
    conference_add_case(actor=world.lead_worker.actor, conference=conference, case=world.case)
    with pytest.raises(ValidationError) as error:  # the mental-health centre is not covered by the consent
        decision_to_task(
            actor=world.lead_worker.actor,
            conference=conference,
            decision="방문",
            case=world.case,
            assignee=world.unrelated_worker.user,
            due_on=world.today,
        )
    assert "assignee" in error.value.error_dict


def test_only_the_host_turns_decisions_into_tasks(world, conference):
    with pytest.raises(PermissionDenied):
        decision_to_task(
            actor=world.participant_worker.actor,
            conference=conference,
            decision="방문",
            assignee=world.participant_worker.user,
            due_on=world.today,
        )


def test_only_the_assignee_or_their_team_leader_completes(world, conference):
    task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="정서 지원 방문",
        assignee=world.participant_worker.user,
        due_on=world.today + days(7),
    )
    for who in (world.lead_worker, world.lead_supervisor, world.unrelated_worker, world.b_worker):
        with pytest.raises(PermissionDenied):
            task_complete(actor=who.actor, task=task, note="했음")
    with pytest.raises(ValidationError):
        task_complete(actor=world.participant_worker.actor, task=task, note=" ")
    task_complete(actor=world.participant_worker.actor, task=task, note="첫 방문 완료, 주 1회 합의")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.completed_at and task.completion_note
    with pytest.raises(ValidationError):
        task_complete(actor=world.participant_worker.actor, task=task, note="다시")
    lead_task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="긴급지원 신청",
        assignee=world.lead_worker.user,
        due_on=world.today + days(7),
    )
    task_complete(actor=world.lead_supervisor.actor, task=lead_task, note="팀장이 대신 처리")


def test_task_cancel_by_the_host(world, conference):
    task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="정서 지원 방문",
        assignee=world.participant_worker.user,
        due_on=world.today + days(7),
    )
    with pytest.raises(PermissionDenied):
        task_cancel(actor=world.participant_worker.actor, task=task)
    task_cancel(actor=world.lead_worker.actor, task=task, reason="당사자가 거부")
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED


def test_case_timeline_selectors(world, conference):
    from hamkke.conferences.selectors import conference_items_for_case, tasks_for_case

    task = decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="방문",
        case=world.case,
        assignee=world.lead_worker.user,
        due_on=world.today,
    )
    decision_to_task(
        actor=world.lead_worker.actor,
        conference=conference,
        decision="사례 무관",
        assignee=world.lead_worker.user,
        due_on=world.today,
    )
    assert [i.conference for i in conference_items_for_case(case=world.case)] == [conference]
    assert list(tasks_for_case(case=world.case)) == [task]
