"""The monitoring rules with fixed dates: no database, no wall clock."""

import datetime

import pytest
from django.utils import timezone

from hamkke.cases.stages import Stage
from hamkke.districts.models import DistrictPolicy
from hamkke.records.monitoring import (
    CaseFacts,
    ItemKind,
    contact_interval_days,
    deadline_items,
    evaluate,
    follow_up_items,
    next_contact_due,
    no_contact_item,
    overdue_by_worker,
    reassessment_item,
)

D = datetime.date
TODAY = D(2026, 3, 10)
POLICY = DistrictPolicy(
    high_crisis_monitoring_days=7,
    refused_visit_days=21,
    intake_to_assessment_days=10,
    conference_to_selection_days=5,
    planning_days=15,
    intake_to_plan_days=30,
    no_contact_alert_days=90,
    follow_up_days=[30, 90, 180],
)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A Seoul wall-clock moment, stored aware (as the database returns it)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- contact interval -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "crisis", "type_days", "expected"),
    [
        (Stage.DELIVERY, "high", 14, 7),  # high crisis wins over the case type
        (Stage.DELIVERY, "medium", 14, 14),  # the case type's own frequency (고난도 every two weeks)
        (Stage.LINKAGE, "", 90, 90),  # referral-only track keeps monitoring (서비스연계 quarterly)
        (Stage.REASSESSMENT, "low", None, 30),  # no case type yet: monthly
        (Stage.PLANNING, "", None, 30),
        (Stage.REFUSED, "high", 14, 21),  # refused households: the district's revisit interval
        (Stage.INTAKE, "high", 14, None),  # before planning the working deadlines set the pace
        (Stage.ON_HOLD, "", 30, None),
        (Stage.CLOSED, "", 30, None),
    ],
)
def test_contact_interval(stage, crisis, type_days, expected):
    assert contact_interval_days(stage=stage, crisis_level=crisis, case_type_days=type_days, policy=POLICY) == expected


def test_next_contact_is_last_contact_plus_interval():
    assert next_contact_due(
        interval_days=14, last_contact_on=D(2026, 3, 1), planned_next_on=None, since=D(2026, 1, 1)
    ) == D(2026, 3, 15)


def test_next_contact_without_any_contact_counts_from_since():
    assert next_contact_due(interval_days=14, last_contact_on=None, planned_next_on=None, since=D(2026, 2, 1)) == D(
        2026, 2, 15
    )


def test_the_explicit_next_contact_date_wins_earlier_or_later():
    """Issue 13 item 7: explicit date wins, else derived (it used to be ignored when later)."""
    kwargs = {"interval_days": 30, "last_contact_on": D(2026, 3, 1), "since": D(2026, 1, 1)}
    assert next_contact_due(planned_next_on=D(2026, 3, 5), **kwargs) == D(2026, 3, 5)
    assert next_contact_due(planned_next_on=D(2026, 4, 20), **kwargs) == D(2026, 4, 20)
    assert next_contact_due(planned_next_on=None, **kwargs) == D(2026, 3, 31)


def test_planned_date_already_met_by_a_later_contact_is_ignored():
    due = next_contact_due(
        interval_days=30, last_contact_on=D(2026, 3, 8), planned_next_on=D(2026, 3, 5), since=D(2026, 1, 1)
    )
    assert due == D(2026, 4, 7)


# --- working deadlines ----------------------------------------------------------------------------


def kinds(items):
    return {item.kind: item for item in items}


def test_intake_to_assessment_overdue_by_days():
    entered = {Stage.INTAKE: at(D(2026, 2, 20))}
    items = kinds(deadline_items(stage=Stage.ASSESSMENT, entered=entered, policy=POLICY, today=TODAY))
    late = items[ItemKind.ASSESSMENT_DEADLINE]
    assert late.due_on == D(2026, 3, 2) and late.overdue and late.days_late == 8
    plan = items[ItemKind.PLAN_DEADLINE]  # intake -> plan: 30 days, not yet late
    assert plan.due_on == D(2026, 3, 22) and not plan.overdue and plan.days_late == 0


def test_deadline_due_today_is_not_late():
    entered = {Stage.INTAKE: at(TODAY - days(10))}
    [assessment, _plan] = deadline_items(stage=Stage.INTAKE, entered=entered, policy=POLICY, today=TODAY)
    assert assessment.due_on == TODAY and not assessment.overdue


def test_assessment_deadline_met_once_conference_reached_after_intake():
    entered = {Stage.INTAKE: at(D(2026, 1, 1)), Stage.CONFERENCE: at(D(2026, 1, 8))}
    # Sent back from the conference to assessment: the step was done, it is not late again.
    items = kinds(deadline_items(stage=Stage.ASSESSMENT, entered=entered, policy=POLICY, today=TODAY))
    assert ItemKind.ASSESSMENT_DEADLINE not in items
    assert items[ItemKind.PLAN_DEADLINE].days_late == (TODAY - D(2026, 1, 31)).days


def test_deadlines_use_the_last_entry_into_intake():
    """Reopened case: an old conference before the new intake does not count."""
    entered = {Stage.CONFERENCE: at(D(2025, 6, 1)), Stage.INTAKE: at(D(2026, 3, 5))}
    items = kinds(deadline_items(stage=Stage.ASSESSMENT, entered=entered, policy=POLICY, today=TODAY))
    assert items[ItemKind.ASSESSMENT_DEADLINE].due_on == D(2026, 3, 15)


def test_conference_to_selection_and_selection_to_plan():
    entered = {Stage.INTAKE: at(D(2026, 2, 1)), Stage.CONFERENCE: at(D(2026, 3, 1))}
    items = kinds(deadline_items(stage=Stage.CONFERENCE, entered=entered, policy=POLICY, today=TODAY))
    assert items[ItemKind.SELECTION_DEADLINE].due_on == D(2026, 3, 6)
    assert items[ItemKind.SELECTION_DEADLINE].days_late == 4
    entered[Stage.SELECTION] = at(D(2026, 3, 7))
    items = kinds(deadline_items(stage=Stage.PLANNING, entered=entered, policy=POLICY, today=TODAY))
    assert ItemKind.SELECTION_DEADLINE not in items
    assert items[ItemKind.PLANNING_DEADLINE].due_on == D(2026, 3, 22)
    assert items[ItemKind.PLAN_DEADLINE].due_on == D(2026, 3, 3) and items[ItemKind.PLAN_DEADLINE].days_late == 7


def test_reaching_delivery_ends_the_plan_deadlines():
    entered = {Stage.INTAKE: at(D(2026, 1, 1)), Stage.SELECTION: at(D(2026, 1, 20)), Stage.DELIVERY: at(D(2026, 2, 28))}
    # Back in planning after a reassessment: the first plan was finished, nothing is late.
    assert deadline_items(stage=Stage.PLANNING, entered=entered, policy=POLICY, today=TODAY) == []


@pytest.mark.parametrize("stage", [Stage.LINKAGE, Stage.REFUSED, Stage.ON_HOLD, Stage.CLOSED])
def test_no_deadlines_for_cases_not_waiting_for_the_step(stage):
    entered = {Stage.INTAKE: at(D(2025, 1, 1))}
    assert deadline_items(stage=stage, entered=entered, policy=POLICY, today=TODAY) == []


def test_deadlines_follow_the_district_policy():
    strict = DistrictPolicy(intake_to_assessment_days=3, intake_to_plan_days=20)
    items = kinds(
        deadline_items(stage=Stage.INTAKE, entered={Stage.INTAKE: at(D(2026, 3, 1))}, policy=strict, today=TODAY)
    )
    assert items[ItemKind.ASSESSMENT_DEADLINE].due_on == D(2026, 3, 4)
    assert items[ItemKind.PLAN_DEADLINE].due_on == D(2026, 3, 21)


def test_deadline_counts_from_the_seoul_date():
    """00:30 on 2 March in Seoul is still 1 March in UTC: the deadline counts from 2 March."""
    late_night = timezone.make_aware(datetime.datetime(2026, 3, 2, 0, 30))
    [item, _] = deadline_items(stage=Stage.INTAKE, entered={Stage.INTAKE: late_night}, policy=POLICY, today=TODAY)
    assert item.due_on == D(2026, 3, 12)


# --- reassessment, no contact, follow-up ------------------------------------------------------------


def test_reassessment_due_from_the_active_plan():
    item = reassessment_item(stage=Stage.DELIVERY, review_on=D(2026, 3, 1), today=TODAY)
    assert item.kind == ItemKind.REASSESSMENT and item.overdue and item.days_late == 9
    assert not reassessment_item(stage=Stage.DELIVERY, review_on=D(2026, 4, 1), today=TODAY).overdue
    assert reassessment_item(stage=Stage.DELIVERY, review_on=None, today=TODAY) is None
    assert reassessment_item(stage=Stage.CLOSED, review_on=D(2026, 3, 1), today=TODAY) is None


def test_no_contact_prompt_after_90_days_without_meeting():
    kwargs = {"stage": Stage.DELIVERY, "opened_on": D(2025, 1, 1), "policy": POLICY, "today": TODAY}
    assert no_contact_item(last_met_on=TODAY - days(89), **kwargs) is None
    item = no_contact_item(last_met_on=TODAY - days(90), **kwargs)
    assert item.kind == ItemKind.NO_CONTACT and item.overdue and item.days_late == 0
    assert str(item.label) == "3개월 이상 연락 두절: 종결 검토"
    assert no_contact_item(last_met_on=TODAY - days(100), **kwargs).days_late == 10


def test_no_contact_counts_from_opening_when_never_met_and_stops_after_closure():
    assert (
        no_contact_item(stage=Stage.REFUSED, last_met_on=None, opened_on=TODAY - days(90), policy=POLICY, today=TODAY)
        is not None
    )
    assert (
        no_contact_item(stage=Stage.REFUSED, last_met_on=None, opened_on=TODAY - days(30), policy=POLICY, today=TODAY)
        is None
    )
    assert (
        no_contact_item(stage=Stage.CLOSED, last_met_on=None, opened_on=D(2020, 1, 1), policy=POLICY, today=TODAY)
        is None
    )


def test_follow_up_due_dates_after_closure():
    closed = D(2025, 12, 1)  # due 2025-12-31, 2026-03-01, 2026-05-30
    items = follow_up_items(
        stage=Stage.CLOSED, closed_on=closed, follow_up_days=[30, 90, 180], contact_dates=[], today=TODAY
    )
    assert [(i.due_on, i.overdue, i.days_late) for i in items] == [
        (D(2025, 12, 31), True, 69),
        (D(2026, 3, 1), True, 9),
        (D(2026, 5, 30), False, 0),
    ]


def test_follow_up_met_by_a_follow_up_contact_on_or_after_the_due_date():
    closed = D(2025, 12, 1)
    items = follow_up_items(
        stage=Stage.FOLLOW_UP,
        closed_on=closed,
        follow_up_days=[30, 90, 180],
        contact_dates=[D(2025, 12, 30), D(2026, 1, 2), D(2026, 3, 1)],
        today=TODAY,
    )
    # 12-30 is a day early (meets nothing); 01-02 meets the 30-day check, 03-01 the 90-day one.
    assert [i.due_on for i in items] == [D(2026, 5, 30)]


def test_one_late_follow_up_contact_meets_one_due_date_only():
    items = follow_up_items(
        stage=Stage.FOLLOW_UP,
        closed_on=D(2025, 12, 1),
        follow_up_days=[30, 90],
        contact_dates=[D(2026, 3, 5)],
        today=TODAY,
    )
    assert [(i.due_on, i.overdue) for i in items] == [(D(2026, 3, 1), True)]


def test_no_follow_up_while_the_case_is_open():
    assert (
        follow_up_items(
            stage=Stage.INTAKE, closed_on=D(2025, 12, 1), follow_up_days=[30], contact_dates=[], today=TODAY
        )
        == []
    )


# --- the whole evaluation ---------------------------------------------------------------------------


def test_evaluate_delivery_case_overdue_contact_and_reassessment():
    facts = CaseFacts(
        stage=Stage.DELIVERY,
        opened_on=D(2025, 6, 1),
        stage_entered_on=D(2025, 9, 1),
        crisis_level="medium",
        case_type_days=14,
        last_contact_at=at(D(2026, 2, 20)),
        last_met_at=at(D(2026, 2, 20)),
        review_on=D(2026, 3, 1),
        entered={Stage.INTAKE: at(D(2025, 6, 5)), Stage.DELIVERY: at(D(2025, 9, 1))},
    )
    result = evaluate(facts, policy=POLICY, today=TODAY)
    assert result.interval_days == 14 and result.next_contact_on == D(2026, 3, 6) and result.contact_overdue
    assert [(i.kind, i.days_late) for i in result.overdue] == [
        (ItemKind.REASSESSMENT, 9),
        (ItemKind.CONTACT, 4),
    ]
    assert result.no_contact_prompt is None and result.attempts_since_refusal is None


def test_evaluate_refused_case_shows_attempts_and_last_attempt():
    facts = CaseFacts(
        stage=Stage.REFUSED,
        opened_on=D(2025, 1, 1),
        stage_entered_on=D(2026, 1, 10),
        entered={Stage.REFUSED: at(D(2026, 1, 10), 9)},
        last_contact_at=at(D(2026, 2, 25)),
        attempts_since_refusal=3,
    )
    result = evaluate(facts, policy=POLICY, today=TODAY)
    assert result.refused_on == D(2026, 1, 10)
    assert (result.attempts_since_refusal, result.last_attempt_on) == (3, D(2026, 2, 25))
    assert result.interval_days == 21 and result.next_contact_on == D(2026, 3, 18)
    assert result.no_contact_prompt is not None  # nobody met since opening


def test_evaluate_refused_case_without_attempt_since_refusal():
    facts = CaseFacts(
        stage=Stage.REFUSED,
        opened_on=D(2026, 1, 1),
        stage_entered_on=D(2026, 2, 1),
        entered={Stage.REFUSED: at(D(2026, 2, 1), 15)},
        last_contact_at=at(D(2026, 2, 1), 11),
    )
    result = evaluate(facts, policy=POLICY, today=TODAY)
    assert result.attempts_since_refusal == 0 and result.last_attempt_on is None


def test_evaluate_closed_case_has_only_follow_up_items():
    facts = CaseFacts(
        stage=Stage.CLOSED,
        opened_on=D(2025, 1, 1),
        closed_on=D(2026, 1, 1),
        review_on=D(2025, 6, 1),
        entered={Stage.INTAKE: at(D(2025, 1, 5))},
    )
    result = evaluate(facts, policy=POLICY, today=TODAY)
    assert {i.kind for i in result.items} == {ItemKind.FOLLOW_UP}
    assert result.next_contact_on is None


def test_overdue_by_worker_groups_and_orders():
    from types import SimpleNamespace

    from hamkke.records.monitoring import OverdueRow

    kim, lee = SimpleNamespace(pk=1, name="김"), SimpleNamespace(pk=2, name="이")
    case_a = SimpleNamespace(pk=10, lead_worker=kim)
    case_b = SimpleNamespace(pk=11, lead_worker=kim)
    case_c = SimpleNamespace(pk=12, lead_worker=lee)
    rows = [
        OverdueRow(case=case_a, kind="contact", label="", due_on=D(2026, 3, 1), days_late=9),
        OverdueRow(case=case_a, kind="reassessment", label="", due_on=D(2026, 2, 1), days_late=37),
        OverdueRow(case=case_b, kind="contact", label="", due_on=D(2026, 3, 5), days_late=5),
        OverdueRow(case=case_c, kind="contact", label="", due_on=D(2026, 1, 5), days_late=64),
    ]
    table = overdue_by_worker(rows)
    assert [(w.worker.name, w.count, w.cases, w.oldest_due_on, w.max_days_late) for w in table] == [
        ("김", 3, 2, D(2026, 2, 1), 37),
        ("이", 1, 1, D(2026, 1, 5), 64),
    ]
