"""Monitoring loaded from real rows: one case, and the overdue lists with constant queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamkke.cases.models import Case, CrisisLevel
from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.plans.models import ServicePlan
from hamkke.records.models import ContactRecord
from hamkke.records.monitoring import (
    SCOPE_AGENCY,
    ItemKind,
    monitoring_for_case,
    overdue_by_worker,
    overdue_for_actor,
)
from hamkke.testing.factories import MembershipFactory, UserFactory

from .conftest import ago

pytestmark = pytest.mark.django_db
FOLLOW_UP = ContactRecord.Purpose.FOLLOW_UP


def d(days: int) -> datetime.date:
    return ago(days).date()


def items(monitoring) -> dict:
    return {item.kind: item for item in monitoring.items}


def test_fresh_case_has_nothing_due(world):
    monitoring = monitoring_for_case(case=world.case, today=world.today)
    assert monitoring.items == () and monitoring.next_contact_on is None


def test_working_deadlines_from_real_stage_changes(world):
    actor = world.lead_worker.actor
    case_change_stage(actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION, occurred_at=ago(26))
    case_change_stage(actor=actor, case=world.case, to_stage=Stage.INTAKE, occurred_at=ago(25))
    found = items(monitoring_for_case(case=world.case, today=world.today))
    assert (found[ItemKind.ASSESSMENT_DEADLINE].days_late, found[ItemKind.PLAN_DEADLINE].overdue) == (15, False)
    assert found[ItemKind.PLAN_DEADLINE].due_on == world.today + datetime.timedelta(days=5)
    # Ten days later the intake -> plan deadline is late too (today is passed in, not the wall clock).
    later = items(monitoring_for_case(case=world.case, today=world.today + datetime.timedelta(days=10)))
    assert later[ItemKind.PLAN_DEADLINE].days_late == 5
    case_change_stage(actor=actor, case=world.case, to_stage=Stage.ASSESSMENT, occurred_at=ago(20))
    case_change_stage(actor=actor, case=world.case, to_stage=Stage.CONFERENCE, occurred_at=ago(12))
    found = items(monitoring_for_case(case=world.case, today=world.today))
    assert ItemKind.ASSESSMENT_DEADLINE not in found
    assert found[ItemKind.SELECTION_DEADLINE].days_late == 7


def test_district_policy_changes_the_deadlines(world):
    from hamkke.districts.models import DistrictPolicy

    case_change_stage(
        actor=world.lead_worker.actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION, occurred_at=ago(3)
    )
    case_change_stage(actor=world.lead_worker.actor, case=world.case, to_stage=Stage.INTAKE, occurred_at=ago(3))
    assert not items(monitoring_for_case(case=world.case, today=world.today))[ItemKind.ASSESSMENT_DEADLINE].overdue
    DistrictPolicy.for_district(world.district_a.pk)
    DistrictPolicy.objects.filter(district=world.district_a).update(intake_to_assessment_days=2)
    assert items(monitoring_for_case(case=world.case, today=world.today))[ItemKind.ASSESSMENT_DEADLINE].days_late == 1


def test_contact_interval_from_case_type_and_crisis(world, build):
    high_complexity = world.case_types_a[0]  # 고난도: every 14 days
    case = build.case(history=((Stage.DELIVERY, 60),), case_type=high_complexity, crisis_level=CrisisLevel.MEDIUM)
    build.contact(case, 20, outcome=ContactRecord.Outcome.NO_ANSWER)
    monitoring = monitoring_for_case(case=case, today=world.today)
    assert monitoring.interval_days == 14 and monitoring.next_contact_on == d(6)
    assert items(monitoring)[ItemKind.CONTACT].days_late == 6
    Case.objects.filter(pk=case.pk).update(crisis_level=CrisisLevel.HIGH)
    case.refresh_from_db()
    assert monitoring_for_case(case=case, today=world.today).interval_days == 7


def test_planned_next_contact_and_last_met(world, build):
    case = build.case(history=((Stage.LINKAGE, 60),), case_type=world.case_types_a[2])  # 서비스연계: 90 days
    build.contact(case, 30, outcome=ContactRecord.Outcome.MET)
    build.contact(case, 10, outcome=ContactRecord.Outcome.NO_ANSWER, next_contact_on=d(3))
    monitoring = monitoring_for_case(case=case, today=world.today)
    assert monitoring.next_contact_on == d(3) and monitoring.contact_overdue
    assert (monitoring.last_contact_on, monitoring.last_met_on) == (d(10), d(30))


def test_reassessment_due_from_the_active_plan_only(world, build):
    case = build.case(history=((Stage.DELIVERY, 100),))
    build.contact(case, 1)
    for version, status, review in (
        (1, ServicePlan.Status.SUPERSEDED, d(200)),
        (2, ServicePlan.Status.ACTIVE, d(4)),
        (3, ServicePlan.Status.DRAFT, d(1)),
    ):
        ServicePlan.objects.create(
            district=world.district_a,
            case=case,
            version=version,
            status=status,
            review_on=review,
            created_by=world.lead_worker.user,
        )
    item = items(monitoring_for_case(case=case, today=world.today))[ItemKind.REASSESSMENT]
    assert (item.due_on, item.days_late) == (d(4), 4)


def test_no_contact_prompt_after_three_months_without_meeting(world, build):
    case = build.case(history=((Stage.DELIVERY, 150),))
    build.contact(case, 95, outcome=ContactRecord.Outcome.MET)
    build.contact(case, 10, outcome=ContactRecord.Outcome.NO_ANSWER)
    prompt = monitoring_for_case(case=case, today=world.today).no_contact_prompt
    assert prompt is not None and prompt.days_late == 5
    build.contact(case, 1, outcome=ContactRecord.Outcome.MET)
    assert monitoring_for_case(case=case, today=world.today).no_contact_prompt is None


def test_follow_up_after_closure(world, build):
    from hamkke.districts.models import DistrictPolicy

    assert DistrictPolicy.for_district(world.district_a.pk).follow_up_days == [30, 90, 180]
    case = build.case(history=((Stage.DELIVERY, 300), (Stage.CLOSED, 100)))
    build.contact(case, 65, purpose=FOLLOW_UP)  # day 35: meets the 30-day check
    build.contact(case, 5, purpose=ContactRecord.Purpose.MONITORING)  # not a follow-up contact
    found = monitoring_for_case(case=case, today=world.today).items
    assert [(i.kind, i.due_on, i.overdue) for i in found] == [
        (ItemKind.FOLLOW_UP, d(10), True),
        (ItemKind.FOLLOW_UP, ago(100).date() + datetime.timedelta(180), False),
    ]


# --- overdue lists ----------------------------------------------------------------------------------


@pytest.fixture
def team(world, build):
    """The lead agency: lead worker with a late contact, supervisor's own late case, another worker."""
    other = MembershipFactory(agency=world.lead_agency, user=UserFactory(display_name="박동료")).user
    mine = build.case(history=((Stage.DELIVERY, 60),))
    build.contact(mine, 40)
    boss = build.case(history=((Stage.REFUSED, 50),), worker=world.lead_supervisor.user)
    colleague = build.case(
        history=((Stage.INITIAL_CONSULTATION, 40), (Stage.INTAKE, 30)), worker=other, opened_days_ago=45
    )
    foreign = build.case(
        history=((Stage.DELIVERY, 80),), agency=world.unrelated_agency, worker=world.unrelated_worker.user
    )
    return {"mine": mine, "boss": boss, "colleague": colleague, "foreign": foreign, "other": other}


def test_overdue_for_a_worker_lists_own_cases_longest_first(world, team):
    rows = overdue_for_actor(actor=world.lead_worker.actor, today=world.today)
    assert {row.case.pk for row in rows} == {team["mine"].pk}
    assert [(row.kind, row.days_late) for row in rows] == [(ItemKind.CONTACT, 10)]
    later = overdue_for_actor(actor=world.lead_worker.actor, today=world.today + datetime.timedelta(days=70))
    assert {row.kind for row in later} >= {ItemKind.CONTACT, ItemKind.NO_CONTACT}
    assert [row.days_late for row in later] == sorted((row.days_late for row in later), reverse=True)


def test_supervisor_sees_the_agency_grouped_by_worker(world, team):
    rows = overdue_for_actor(actor=world.lead_supervisor.actor, scope=SCOPE_AGENCY, today=world.today)
    assert {row.case.pk for row in rows} == {team["mine"].pk, team["boss"].pk, team["colleague"].pk}
    table = {w.worker.pk: w for w in overdue_by_worker(rows)}
    assert set(table) == {world.lead_worker.user.pk, world.lead_supervisor.user.pk, team["other"].pk}
    colleague = table[team["other"].pk]
    assert (colleague.count, colleague.cases, colleague.max_days_late) == (1, 1, 20)  # intake -> assessment
    assert colleague.oldest_due_on == d(20)


def test_only_supervisors_see_the_agency_list(world, team):
    with pytest.raises(PermissionDenied):
        overdue_for_actor(actor=world.lead_worker.actor, scope=SCOPE_AGENCY)
    with pytest.raises(ValueError):
        overdue_for_actor(actor=world.lead_worker.actor, scope="district")
    assert overdue_for_actor(actor=world.nobody.actor) == []


def test_outsiders_do_not_get_the_lead_agencys_items(world, team):
    assert {row.case.pk for row in overdue_for_actor(actor=world.unrelated_worker.actor, today=world.today)} == {
        team["foreign"].pk
    }
    assert overdue_for_actor(actor=world.b_worker.actor, today=world.today) == []


def _overdue_queries(world):
    with CaptureQueriesContext(connection) as ctx:
        rows = overdue_for_actor(actor=world.lead_supervisor.actor, scope=SCOPE_AGENCY, today=world.today)
        [(row.case.household.head, str(row.worker)) for row in rows]
    return len(ctx), {row.case.pk for row in rows}


def _varied_case(build, i):
    stage_history = [
        ((Stage.DELIVERY, 60),),
        ((Stage.REFUSED, 45),),
        ((Stage.INITIAL_CONSULTATION, 40), (Stage.INTAKE, 35)),
        ((Stage.DELIVERY, 300), (Stage.CLOSED, 120)),
    ][i % 4]
    case = build.case(history=stage_history)
    build.contact(case, 50 + i, purpose=FOLLOW_UP)
    return case


def test_overdue_uses_a_constant_number_of_queries(world, build, django_assert_max_num_queries):
    first = _varied_case(build, 3)  # a closed case: the follow-up query runs in both measurements
    with django_assert_max_num_queries(4):  # cases + facts, household members, policy, follow-up contacts
        one_count, one = _overdue_queries(world)
    for i in range(19):
        _varied_case(build, i)
    with django_assert_max_num_queries(4):
        many_count, many = _overdue_queries(world)
    assert first.pk in one and len(many) == 20
    assert one_count == many_count


def test_an_initial_consultation_counts_as_a_meeting(world, build):
    """Issue 13 item 7: the consultation is a meeting with the person, like a contact that met them."""
    from hamkke.assessment.models import InitialConsultation

    case = build.case(history=((Stage.LINKAGE, 60),))
    build.contact(case, 30, outcome=ContactRecord.Outcome.MET)
    assert monitoring_for_case(case=case, today=world.today).last_met_on == d(30)
    InitialConsultation.objects.create(
        district=world.district_a,
        case=case,
        held_on=d(5),
        presenting_issues="잠을 못 잔다",
        recorded_by=world.lead_worker.user,
    )
    assert monitoring_for_case(case=case, today=world.today).last_met_on == d(5)


def _conference_about(world, case, *, days: int, person: bool, family: bool = False):
    """A case conference held ``days`` ago that discussed ``case``; who of the household was there."""
    from django.utils import timezone

    from hamkke.conferences.models import Conference
    from hamkke.conferences.services import conference_add_case, conference_record, conference_schedule

    actor = world.lead_worker.actor
    conference = conference_schedule(
        actor=actor,
        kind=Conference.Kind.CASE_CONFERENCE,
        title="통합사례회의",
        scheduled_at=timezone.make_aware(
            datetime.datetime.combine(world.today - datetime.timedelta(days=days), datetime.time(14))
        ),
        agencies=[world.lead_agency],
    )
    conference_add_case(actor=actor, conference=conference, case=case)
    conference_record(
        actor=actor, conference=conference, minutes="주거 지원 논의", person_attended=person, family_attended=family
    )
    return conference


def test_a_conference_the_person_attended_counts_as_a_meeting(world, build):
    """Issue 13 item 7: a case with no contact but a conference attended by the person (or family) is not
    overdue for a meeting, counted from the conference's date; one the person did not attend still is."""
    attended = build.case(history=((Stage.DELIVERY, 100),))
    family_only = build.case(history=((Stage.DELIVERY, 100),))
    absent = build.case(history=((Stage.DELIVERY, 100),))
    _conference_about(world, attended, days=10, person=True)
    _conference_about(world, family_only, days=12, person=False, family=True)
    _conference_about(world, absent, days=10, person=False)

    met = monitoring_for_case(case=attended, today=world.today)
    assert (met.last_met_on, met.last_contact_on) == (d(10), d(10))
    assert met.next_contact_on == d(10) + datetime.timedelta(days=30) and not met.contact_overdue
    assert met.overdue == [] and met.no_contact_prompt is None
    assert monitoring_for_case(case=family_only, today=world.today).last_met_on == d(12)

    not_met = monitoring_for_case(case=absent, today=world.today)
    assert not_met.last_met_on is None and not_met.contact_overdue
    assert {item.kind for item in not_met.overdue} == {ItemKind.CONTACT, ItemKind.NO_CONTACT}
    # The overdue list reads the same facts.
    late = {row.case.pk for row in overdue_for_actor(actor=world.lead_worker.actor, today=world.today)}
    assert absent.pk in late and attended.pk not in late and family_only.pk not in late


def test_a_cancelled_or_only_scheduled_conference_is_no_meeting(world, build):
    from hamkke.conferences.models import Conference

    case = build.case(history=((Stage.DELIVERY, 100),))
    conference = _conference_about(world, case, days=10, person=True)
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.SCHEDULED)
    assert monitoring_for_case(case=case, today=world.today).last_met_on is None
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.CANCELLED)
    assert monitoring_for_case(case=case, today=world.today).contact_overdue
