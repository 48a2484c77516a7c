"""Refusal is first-class: attempts counted since the case last entered "refused", listed by neglect."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.records.models import ContactRecord
from hamkke.records.monitoring import monitoring_for_case
from hamkke.records.selectors import SCOPE_AGENCY, RefusalRow, refusing_cases_for_actor
from hamkke.records.services import contact_record_add

from .conftest import ago

pytestmark = pytest.mark.django_db
NO_ANSWER, REFUSED = ContactRecord.Outcome.NO_ANSWER, ContactRecord.Outcome.REFUSED


def attempt(world, days, outcome=NO_ANSWER, hour=11):
    return contact_record_add(
        actor=world.lead_worker.actor,
        case=world.case,
        contacted_at=ago(days, hour),
        kind=ContactRecord.Kind.OUTREACH,
        outcome=outcome,
    )


def move(world, to_stage, days, hour=10):
    return case_change_stage(
        actor=world.lead_worker.actor,
        case=world.case,
        to_stage=to_stage,
        reason="문을 열어 주지 않음",
        occurred_at=ago(days, hour),
    )


def refusal_of(world, member="lead_worker", **kwargs):
    [row] = [
        RefusalRow.of(c, today=world.today)
        for c in refusing_cases_for_actor(actor=world.members[member].actor, **kwargs)
        if c.pk == world.case.pk
    ]
    return row


def test_attempts_before_the_refusal_do_not_count(world):
    attempt(world, 28, outcome=ContactRecord.Outcome.MET)
    move(world, Stage.REFUSED, 27)
    attempt(world, 20)
    attempt(world, 10, outcome=REFUSED)
    row = refusal_of(world)
    assert (row.attempts, row.last_attempt_on, row.days_since_attempt) == (2, world.today - datetime.timedelta(10), 10)
    assert row.refused_on == world.today - datetime.timedelta(27)
    monitoring = monitoring_for_case(case=world.case, today=world.today)
    assert (monitoring.attempts_since_refusal, monitoring.last_attempt_on) == (2, row.last_attempt_on)


def test_an_attempt_on_the_day_of_refusal_after_it_counts(world):
    move(world, Stage.REFUSED, 5, hour=10)
    attempt(world, 5, hour=9)  # earlier that day, before the refusal was recorded
    attempt(world, 5, hour=15)
    assert refusal_of(world).attempts == 1


def test_reentering_refused_resets_the_count(world):
    move(world, Stage.REFUSED, 27)
    attempt(world, 20)
    attempt(world, 15)
    move(world, Stage.INTAKE, 6)  # the person agreed...
    move(world, Stage.REFUSED, 4)  # ...and withdrew again
    assert refusal_of(world).attempts == 0
    assert refusal_of(world).last_attempt_on is None
    attempt(world, 2)
    row = refusal_of(world)
    assert (row.attempts, row.refused_on) == (1, world.today - datetime.timedelta(4))


def test_agreeing_continues_from_intake_with_history(world):
    move(world, Stage.REFUSED, 27)
    attempt(world, 20)
    move(world, Stage.INTAKE, 3)
    assert list(refusing_cases_for_actor(actor=world.lead_worker.actor)) == []
    assert world.case.contacts.count() == 1  # the attempts stay on the case
    assert monitoring_for_case(case=world.case, today=world.today).attempts_since_refusal is None


def test_list_is_sorted_never_visited_first_then_longest_since_last_attempt(world, build):
    recent = build.case(history=((Stage.REFUSED, 60),))
    build.contact(recent, 2, outcome=REFUSED)
    stale = build.case(history=((Stage.REFUSED, 60),))
    build.contact(stale, 40, outcome=NO_ANSWER)
    never_old = build.case(history=((Stage.REFUSED, 50),))
    build.contact(never_old, 55)  # before the refusal: not an attempt
    never_new = build.case(history=((Stage.REFUSED, 10),))
    rows = list(refusing_cases_for_actor(actor=world.lead_worker.actor))
    assert [c.pk for c in rows] == [never_old.pk, never_new.pk, stale.pk, recent.pk]
    assert [c.attempts for c in rows] == [0, 0, 1, 1]


def test_scope_mine_or_whole_agency(world, build):
    colleague = build.case(history=((Stage.REFUSED, 10),), worker=world.lead_supervisor.user)
    mine = build.case(history=((Stage.REFUSED, 10),))
    assert [c.pk for c in refusing_cases_for_actor(actor=world.lead_worker.actor)] == [mine.pk]
    agency = {c.pk for c in refusing_cases_for_actor(actor=world.lead_worker.actor, scope=SCOPE_AGENCY)}
    assert agency == {mine.pk, colleague.pk}
    assert list(refusing_cases_for_actor(actor=world.unrelated_worker.actor, scope=SCOPE_AGENCY)) == []
    assert list(refusing_cases_for_actor(actor=world.b_worker.actor, scope=SCOPE_AGENCY)) == []


def test_participant_sees_refusing_household_of_its_case(world):
    move(world, Stage.REFUSED, 10)
    assert refusal_of(world, member="participant_worker").attempts == 0


def _count_queries(world):
    with CaptureQueriesContext(connection) as ctx:
        rows = [RefusalRow.of(c, today=world.today) for c in refusing_cases_for_actor(actor=world.lead_worker.actor)]
        [row.case.household.head for row in rows]
    return len(ctx), len(rows)


def test_constant_number_of_queries(world, build, django_assert_max_num_queries):
    first = build.case(history=((Stage.REFUSED, 30),))
    build.contact(first, 5)
    # the worker's open participations (the "mine" scope reads them first: one index probe instead of a
    # join that made the planner scan the district), the cases with their counts, the household members
    with django_assert_max_num_queries(3):
        one = _count_queries(world)
    for i in range(19):
        case = build.case(history=((Stage.REFUSED, 30 + i),))
        for days in range(i % 4):
            build.contact(case, days + 1)
    with django_assert_max_num_queries(3):
        twenty = _count_queries(world)
    assert (one[1], twenty[1]) == (1, 20)
    assert one[0] == twenty[0]
