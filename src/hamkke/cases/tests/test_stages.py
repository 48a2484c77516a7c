"""Stage changes, generated from the workflow's stage specs, and who may make them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.cases.models import Case, StageChange
from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import INACTIVE, REASON_REQUIRED, TRANSITIONS, Stage, allowed_next
from hamkke.cases.workflow import ApprovalKind, spec
from hamkke.testing.factories import MEMBERS, CaseFactory, MembershipFactory


@pytest.fixture
def lead(db):
    """A lead worker and their case, made with factories only (cheaper than the world)."""
    membership = MembershipFactory(role=Role.WORKER)
    case = CaseFactory(
        lead_agency=membership.agency, household__dong__district=membership.district, lead_worker=membership.user
    )
    return actor_for(membership.user), case


def put_in(case: Case, stage: str) -> Case:
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()
    return case


def outcome(actor, case: Case, from_stage: str, to_stage: str, reason: str, approval: str = "") -> str:
    """Try one stage change from ``from_stage``: 'ok' or the field the refusal names."""
    put_in(case, from_stage)
    try:
        closure = "other" if to_stage == Stage.CLOSED else ""
        changed = case_change_stage(
            actor=actor, case=case, to_stage=to_stage, reason=reason, closure_reason=closure, approval=approval
        )
    except ValidationError as error:
        assert Case.objects.get(pk=case.pk).stage == from_stage
        return ",".join(error.message_dict)
    assert changed.stage == to_stage == Case.objects.get(pk=case.pk).stage
    last = StageChange.objects.filter(case=case).latest("id")
    assert (last.from_stage, last.to_stage, last.reason) == (from_stage, to_stage, reason.strip())
    return "ok"


def expected_outcome(from_stage: str, to_stage: str, reason: str, approval: str = "") -> str:
    if to_stage not in TRANSITIONS.get(from_stage, set()):
        return "to_stage"
    if spec(to_stage).approval and approval != spec(to_stage).approval:
        return "to_stage"
    if to_stage in REASON_REQUIRED and not reason.strip():
        return "reason"
    return "ok"


def test_table_only_names_known_stages():
    assert set(TRANSITIONS) <= set(Stage.values)
    assert all(set(targets) <= set(Stage.values) for targets in TRANSITIONS.values())
    assert REASON_REQUIRED <= set(Stage.values) and INACTIVE <= set(Stage.values)


def test_every_stage_can_be_left():
    # A case waiting in a stage with no way out could only be fixed in the database.
    assert [s for s in Stage.values if not TRANSITIONS.get(s)] == []


def test_allowed_next_lists_the_table_in_stage_order():
    for stage in Stage.values:
        assert allowed_next(stage) == [s for s in Stage.values if s in TRANSITIONS.get(stage, set())]


@pytest.mark.parametrize("from_stage", Stage.values)
def test_transitions_follow_the_table(lead, from_stage):
    """Generated from the specs: every target stage, with and without a reason, with and without the
    approval the target needs (a plain change into closing is refused; the closure handler's passes)."""
    actor, case = lead
    wrong = []
    for to_stage in Stage.values:
        for approval in dict.fromkeys(("", spec(to_stage).approval, ApprovalKind.PLAN)):
            for reason in ("", "   ", "방문 상담 결과"):
                got = outcome(actor, case, from_stage, to_stage, reason, approval)
                if got != expected_outcome(from_stage, to_stage, reason, approval):
                    wrong.append(f"{from_stage} -> {to_stage} reason={reason!r} approval={approval!r}: {got}")
    assert wrong == []


def test_generated_transition_test_covers_every_pair():
    pairs = [(a, b) for a in Stage.values for b in Stage.values]
    assert len(pairs) == len(Stage.values) ** 2
    assert {expected_outcome(a, b, "사유") for a, b in pairs} == {"ok", "to_stage"}
    assert {expected_outcome(a, b, "") for a, b in pairs} == {"ok", "to_stage", "reason"}
    # Closing is reachable from most stages, yet never without its approval.
    assert {expected_outcome(a, Stage.CLOSED, "사유") for a in Stage.values} == {"to_stage"}
    assert "ok" in {expected_outcome(a, Stage.CLOSED, "사유", ApprovalKind.CLOSURE) for a in Stage.values}


@pytest.mark.parametrize("to_stage", ["", "nonsense", None])
def test_unknown_target_stage_is_refused(lead, to_stage):
    actor, case = lead
    with pytest.raises(ValidationError):
        case_change_stage(actor=actor, case=case, to_stage=to_stage, reason="사유")


def test_reason_none_counts_as_missing(lead):
    actor, case = lead
    with pytest.raises(ValidationError) as caught:
        case_change_stage(actor=actor, case=case, to_stage=Stage.ON_HOLD, reason=None)
    assert "reason" in caught.value.message_dict


def test_stage_change_records_who_when_and_why(world):
    at = timezone.now() - datetime.timedelta(hours=3)
    case = case_change_stage(
        actor=world.lead_supervisor.actor,
        case=world.case,
        to_stage=Stage.REFUSED,
        reason="  방문 거절, 다음 주 재방문  ",
        occurred_at=at,
    )
    change = StageChange.objects.filter(case=case).latest("changed_at")
    assert change.changed_by == world.lead_supervisor.user
    assert change.changed_at == at
    assert change.reason == "방문 거절, 다음 주 재방문"
    assert (change.from_stage, change.to_stage) == (Stage.IDENTIFICATION, Stage.REFUSED)
    assert change.district_id == world.district_a.pk
    assert case.stage_changed_at == at


def test_stage_history_is_kept_in_order(world):
    actor = world.lead_worker.actor
    case = world.case
    for to_stage in (Stage.INITIAL_CONSULTATION, Stage.INTAKE, Stage.LINKAGE):
        case = case_change_stage(actor=actor, case=case, to_stage=to_stage)
    # the registration itself is the first entry
    assert list(StageChange.objects.filter(case=case).values_list("from_stage", "to_stage")) == [
        ("", Stage.IDENTIFICATION),
        (Stage.IDENTIFICATION, Stage.INITIAL_CONSULTATION),
        (Stage.INITIAL_CONSULTATION, Stage.INTAKE),
        (Stage.INTAKE, Stage.LINKAGE),
    ]


def test_closing_sets_closed_on_in_seoul_time_and_reopening_clears_it(world):
    actor = world.lead_worker.actor
    # 23:30 UTC on day D is 08:30 on day D+1 in Seoul
    day = (timezone.now() - datetime.timedelta(days=3)).date()
    at = datetime.datetime(day.year, day.month, day.day, 23, 30, tzinfo=datetime.UTC)
    seoul_day = day + datetime.timedelta(days=1)
    case = case_change_stage(
        actor=actor,
        case=world.case,
        to_stage=Stage.CLOSED,
        reason="전출",
        occurred_at=at,
        closure_reason="moved",
        approval=ApprovalKind.CLOSURE,
    )
    assert case.closed_on == seoul_day
    assert Case.objects.get(pk=case.pk).closed_on == seoul_day

    case = case_change_stage(actor=actor, case=case, to_stage=Stage.FOLLOW_UP)
    assert case.closed_on == seoul_day  # follow-up keeps the closing date

    case = case_change_stage(actor=actor, case=case, to_stage=Stage.INTAKE, reason="재의뢰")
    assert case.closed_on is None
    assert Case.objects.get(pk=case.pk).closed_on is None


def test_reopening_a_closed_case_directly_clears_closed_on(world):
    actor = world.lead_worker.actor
    case = case_change_stage(
        actor=actor,
        case=world.case,
        to_stage=Stage.CLOSED,
        reason="연락 두절",
        closure_reason="no_contact",
        approval=ApprovalKind.CLOSURE,
    )
    assert case.closed_on == timezone.localdate()
    case = case_change_stage(actor=actor, case=case, to_stage=Stage.INTAKE)
    assert case.closed_on is None


def test_stage_change_works_from_a_stale_case_object(world):
    """The service reads the current stage from the database, not from the caller's copy."""
    actor = world.lead_worker.actor
    stale = Case.objects.get(pk=world.case.pk)
    case_change_stage(actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION)
    with pytest.raises(ValidationError):  # identification -> intake is not allowed, but the case moved on
        case_change_stage(actor=actor, case=stale, to_stage=Stage.ASSESSMENT)
    assert case_change_stage(actor=actor, case=stale, to_stage=Stage.INTAKE).stage == Stage.INTAKE


STAGE_CHANGERS = {"lead_worker", "lead_supervisor"}


@pytest.mark.parametrize("member", list(MEMBERS))
def test_only_lead_agency_workers_and_supervisors_change_stage(world, member):
    actor = world.members[member].actor
    if member in STAGE_CHANGERS:
        assert case_change_stage(actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION).stage == (
            Stage.INITIAL_CONSULTATION
        )
    else:
        with pytest.raises(PermissionDenied):
            case_change_stage(actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION)
        assert Case.objects.get(pk=world.case.pk).stage == Stage.IDENTIFICATION
        assert StageChange.objects.filter(case=world.case).count() == 1


def test_permission_is_checked_before_the_transition(world):
    """An outsider learns nothing about the case's stage from the error they get."""
    with pytest.raises(PermissionDenied):
        case_change_stage(actor=world.unrelated_worker.actor, case=world.case, to_stage=Stage.FOLLOW_UP)


def test_closing_needs_a_closure_reason(lead):
    actor, case = lead
    with pytest.raises(ValidationError) as caught:
        case_change_stage(actor=actor, case=case, to_stage=Stage.CLOSED, reason="전출", approval=ApprovalKind.CLOSURE)
    assert "closure_reason" in caught.value.message_dict
    closed = case_change_stage(
        actor=actor,
        case=case,
        to_stage=Stage.CLOSED,
        reason="전출",
        closure_reason="moved",
        approval=ApprovalKind.CLOSURE,
    )
    assert closed.closure_reason == "moved"
    reopened = case_change_stage(actor=actor, case=closed, to_stage=Stage.INTAKE, reason="재의뢰")
    assert reopened.closure_reason == ""


def test_a_plain_stage_change_cannot_close_a_case(lead):
    """Closing only through the closure approval: the service refuses, whoever calls it."""
    actor, case = lead
    with pytest.raises(ValidationError) as caught:
        case_change_stage(actor=actor, case=case, to_stage=Stage.CLOSED, reason="전출", closure_reason="moved")
    assert "to_stage" in caught.value.message_dict
    assert Case.objects.get(pk=case.pk).stage == Stage.IDENTIFICATION
