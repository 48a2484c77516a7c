"""Consultation and assessment services: the needs rules of DOMAIN.md §3, strengths, crisis records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkke.assessment.models import CrisisAssessment, InitialConsultation, Need, Strength
from hamkke.assessment.services import (
    agreed_repeats_expressed,
    consultation_record,
    consultation_update,
    crisis_assessment_record,
    need_record,
    need_set_status,
    need_update,
    strength_record,
    strength_update,
)
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import CrisisLevel
from hamkke.core.domains import LifeDomain
from hamkke.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

EXPRESSED = "집에 쓰레기 치워 주세요."
FELT = "이웃 눈치 안 보고 집에 사람을 부르고 싶다."
AGREED = "한 달에 한 번 친구를 집에 초대할 수 있게 부엌과 거실을 함께 정리한다."


def record(world, actor=None, **kwargs):
    values = {"domain": LifeDomain.HOUSING, "expressed_text": EXPRESSED}
    values.update(kwargs)
    return need_record(actor=actor or world.lead_worker.actor, case=world.case, **values)


def agreed_need(world, **kwargs):
    return record(world, felt_text=FELT, agreed_text=AGREED, **kwargs)


def codes(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


# --- needs: recording -------------------------------------------------------------------------------


def test_need_recorded_as_expressed_with_proposer_framing_and_person(world):
    need = record(
        world,
        person=world.head,
        proposer=Need.Proposer.WORKER,
        framing=Need.Framing.NEGATIVE,
        expressed_text=f"  {EXPRESSED} ",
    )
    need.refresh_from_db()
    assert (need.expressed_text, need.felt_text, need.agreed_text) == (EXPRESSED, "", "")
    assert (need.proposer, need.framing, need.status) == (
        Need.Proposer.WORKER,
        Need.Framing.NEGATIVE,
        Need.Status.DISCUSSING,
    )
    assert (need.person, need.recorded_by, need.district) == (world.head, world.lead_worker.user, world.district_a)
    log = AccessLog.objects.filter(action=Action.CREATE, object_type="need").get()
    assert (log.object_id, log.case_id, log.person_ids) == (str(need.uuid), world.case.pk, [world.head.pk])


def test_agreed_need_cannot_be_saved_without_the_felt_need(world):
    with pytest.raises(ValidationError) as error:
        record(world, agreed_text=AGREED)
    assert codes(error.value, "felt_text") == ["agreed_without_felt"]
    assert not Need.objects.exists()
    assert agreed_need(world).agreed_text == AGREED


def test_expressed_need_is_required(world):
    with pytest.raises(ValidationError) as error:
        record(world, expressed_text="   ")
    assert "expressed_text" in error.value.error_dict


@pytest.mark.parametrize(
    "agreed",
    [
        EXPRESSED,
        "집에 쓰레기  치워 주세요",  # whitespace and punctuation only
        "집에 쓰레기 치워주세요!!",
        "집에 쓰레기를 치워 주세요.",  # one particle added: ratio >= 0.9
    ],
)
def test_agreed_text_repeating_the_expressed_needs_confirmation(world, agreed):
    assert agreed_repeats_expressed(EXPRESSED, agreed)
    with pytest.raises(ValidationError) as error:
        record(world, felt_text=FELT, agreed_text=agreed)
    assert codes(error.value, "agreed_text") == ["agreed_repeats_expressed"]
    assert not Need.objects.exists()
    need = record(world, felt_text=FELT, agreed_text=agreed, confirm_same_text=True)
    assert need.agreed_text == agreed.strip()


@pytest.mark.parametrize("agreed", [AGREED, "쓰레기를 함께 치우고 방 하나를 쉬는 곳으로 쓴다"])
def test_agreed_text_worked_on_with_the_person_needs_no_confirmation(agreed):
    assert not agreed_repeats_expressed(EXPRESSED, agreed)


@pytest.mark.parametrize("field, value", [("domain", "nonsense"), ("proposer", "neighbour"), ("framing", "neutral")])
def test_unknown_choices_are_refused(world, field, value):
    with pytest.raises(ValidationError) as error:
        record(world, **{field: value})
    assert field in error.value.error_dict


def test_person_of_another_household_is_refused(world):
    stranger = PersonFactory(household__dong=world.dong_a2)
    with pytest.raises(ValidationError) as error:
        record(world, person=stranger)
    assert "person" in error.value.error_dict


# --- needs: updating --------------------------------------------------------------------------------


def test_need_update_applies_the_same_rules(world):
    need = record(world)
    with pytest.raises(ValidationError) as error:
        need_update(
            actor=world.lead_worker.actor,
            need=need,
            domain=LifeDomain.HOUSING,
            expressed_text=EXPRESSED,
            agreed_text=AGREED,
        )
    assert codes(error.value, "felt_text") == ["agreed_without_felt"]
    with pytest.raises(ValidationError) as error:
        need_update(
            actor=world.lead_worker.actor,
            need=need,
            domain=LifeDomain.HOUSING,
            expressed_text=EXPRESSED,
            felt_text=FELT,
            agreed_text=EXPRESSED,
        )
    assert codes(error.value, "agreed_text") == ["agreed_repeats_expressed"]
    need = need_update(
        actor=world.lead_worker.actor,
        need=need,
        domain=LifeDomain.DAILY_LIVING,
        expressed_text=EXPRESSED,
        felt_text=FELT,
        agreed_text=AGREED,
        framing=Need.Framing.POSITIVE,
    )
    need.refresh_from_db()
    assert (need.domain, need.agreed_text) == (LifeDomain.DAILY_LIVING, AGREED)
    assert AccessLog.objects.filter(action=Action.UPDATE, object_type="need", object_id=str(need.uuid)).exists()


def test_confirmed_repeat_is_not_asked_again_when_the_words_stay(world):
    need = record(world, felt_text=FELT, agreed_text=EXPRESSED, confirm_same_text=True)
    need = need_update(
        actor=world.lead_worker.actor,
        need=need,
        domain=LifeDomain.HOUSING,
        expressed_text=EXPRESSED,
        felt_text=FELT + " 정말로",
        agreed_text=EXPRESSED,
    )
    assert need.felt_text.endswith("정말로")


def test_selected_need_keeps_its_agreed_text(world):
    need = need_set_status(actor=world.lead_worker.actor, need=agreed_need(world), status=Need.Status.SELECTED)
    with pytest.raises(ValidationError) as error:
        need_update(
            actor=world.lead_worker.actor,
            need=need,
            domain=LifeDomain.HOUSING,
            expressed_text=EXPRESSED,
            felt_text=FELT,
            agreed_text="",
        )
    assert codes(error.value, "agreed_text") == ["agreed_required"]


# --- needs: status ----------------------------------------------------------------------------------


def test_need_is_selected_only_with_an_agreed_text(world):
    need = record(world, felt_text=FELT)
    with pytest.raises(ValidationError) as error:
        need_set_status(actor=world.lead_worker.actor, need=need, status=Need.Status.SELECTED)
    assert codes(error.value, "status") == ["not_agreed"]
    need.refresh_from_db()
    assert need.status == Need.Status.DISCUSSING
    need = need_set_status(actor=world.lead_worker.actor, need=agreed_need(world), status=Need.Status.SELECTED)
    assert need.status == Need.Status.SELECTED
    log = AccessLog.objects.filter(action=Action.UPDATE, object_type="need").latest("id")
    assert log.detail == "status discussing -> selected"


def test_set_aside_needs_a_reason_and_keeps_the_need(world):
    need = record(world)
    with pytest.raises(ValidationError) as error:
        need_set_status(actor=world.lead_worker.actor, need=need, status=Need.Status.SET_ASIDE)
    assert codes(error.value, "set_aside_reason") == ["reason_required"]
    with pytest.raises(ValidationError):
        need_set_status(
            actor=world.lead_worker.actor, need=need, status=Need.Status.SET_ASIDE, set_aside_reason="too_busy"
        )
    need = need_set_status(
        actor=world.lead_worker.actor,
        need=need,
        status=Need.Status.SET_ASIDE,
        set_aside_reason=Need.SetAsideReason.CAPACITY,
        set_aside_note=" 전문 기관 연계가 먼저 ",
    )
    need.refresh_from_db()
    assert (need.status, need.set_aside_reason, need.set_aside_note) == (
        Need.Status.SET_ASIDE,
        Need.SetAsideReason.CAPACITY,
        "전문 기관 연계가 먼저",
    )
    assert Need.objects.filter(pk=need.pk).exists()


def test_picking_a_set_aside_need_up_again_clears_the_reason_but_history_keeps_it(world):
    need = need_set_status(
        actor=world.lead_worker.actor,
        need=agreed_need(world),
        status=Need.Status.SET_ASIDE,
        set_aside_reason=Need.SetAsideReason.RESOURCES,
    )
    need = need_set_status(actor=world.lead_worker.actor, need=need, status=Need.Status.SELECTED)
    assert (need.status, need.set_aside_reason) == (Need.Status.SELECTED, "")
    assert Need.SetAsideReason.RESOURCES in need.history.values_list("set_aside_reason", flat=True)


@pytest.mark.parametrize("final", [Need.Status.ACHIEVED, Need.Status.DROPPED])
def test_achieved_and_dropped_only_from_selected_and_final(world, final):
    need = agreed_need(world)
    with pytest.raises(ValidationError) as error:
        need_set_status(actor=world.lead_worker.actor, need=need, status=final)
    assert codes(error.value, "status") == ["invalid_transition"]
    need = need_set_status(actor=world.lead_worker.actor, need=need, status=Need.Status.SELECTED)
    need = need_set_status(actor=world.lead_worker.actor, need=need, status=final)
    assert need.status == final
    for status in Need.Status.values:
        with pytest.raises(ValidationError):
            need_set_status(
                actor=world.lead_worker.actor, need=need, status=status, set_aside_reason=Need.SetAsideReason.IDENTITY
            )


def test_unknown_status_is_refused(world):
    with pytest.raises(ValidationError):
        need_set_status(actor=world.lead_worker.actor, need=agreed_need(world), status="done")


# --- strengths --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "side, kind",
    [
        (Strength.Side.INNER, Strength.Kind.EXPERIENCE),
        (Strength.Side.INNER, Strength.Kind.ABILITY),
        (Strength.Side.INNER, Strength.Kind.WILL),
        (Strength.Side.OUTER, Strength.Kind.FAMILY),
        (Strength.Side.OUTER, Strength.Kind.FRIEND),
        (Strength.Side.OUTER, Strength.Kind.NEIGHBOUR),
        (Strength.Side.OUTER, Strength.Kind.OTHER),
    ],
)
def test_strength_kind_matching_its_side_is_recorded(world, side, kind):
    strength = strength_record(
        actor=world.lead_worker.actor,
        case=world.case,
        side=side,
        kind=kind,
        description="  예전에 식당 주방에서 10년 일함 ",
        note="자랑스럽게 이야기함",
    )
    assert (strength.side, strength.kind, strength.description) == (side, kind, "예전에 식당 주방에서 10년 일함")
    assert AccessLog.objects.filter(action=Action.CREATE, object_type="strength", object_id=str(strength.uuid))


@pytest.mark.parametrize(
    "side, kind",
    [
        (Strength.Side.OUTER, Strength.Kind.EXPERIENCE),
        (Strength.Side.OUTER, Strength.Kind.WILL),
        (Strength.Side.INNER, Strength.Kind.FAMILY),
        (Strength.Side.INNER, Strength.Kind.NEIGHBOUR),
        (Strength.Side.INNER, Strength.Kind.OTHER),
    ],
)
def test_strength_kind_not_matching_its_side_is_refused(world, side, kind):
    with pytest.raises(ValidationError) as error:
        strength_record(actor=world.lead_worker.actor, case=world.case, side=side, kind=kind, description="x")
    assert "kind" in error.value.error_dict
    assert not Strength.objects.exists()


def test_strength_update_checks_the_side_too(world):
    strength = strength_record(
        actor=world.lead_worker.actor,
        case=world.case,
        side=Strength.Side.OUTER,
        kind=Strength.Kind.FAMILY,
        description="딸이 주말마다 전화함",
    )
    with pytest.raises(ValidationError):
        strength_update(
            actor=world.lead_worker.actor,
            strength=strength,
            side=Strength.Side.INNER,
            kind=Strength.Kind.FAMILY,
            description="딸이 주말마다 전화함",
        )
    strength = strength_update(
        actor=world.lead_worker.actor,
        strength=strength,
        side=Strength.Side.OUTER,
        kind=Strength.Kind.FAMILY,
        description="딸이 주말마다 전화함",
        person=world.head,
        domain=LifeDomain.FAMILY,
    )
    strength.refresh_from_db()
    assert (strength.person, strength.domain) == (world.head, LifeDomain.FAMILY)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"description": " "}, "description"),
        ({"description": "가" * 201}, "description"),
        ({"side": "middle"}, "side"),
        ({"kind": "pet"}, "kind"),
        ({"domain": "nonsense"}, "domain"),
    ],
)
def test_strength_bad_input_is_refused(world, kwargs, field):
    values = {"side": Strength.Side.INNER, "kind": Strength.Kind.WILL, "description": "다시 일하고 싶다"}
    values.update(kwargs)
    with pytest.raises(ValidationError) as error:
        strength_record(actor=world.lead_worker.actor, case=world.case, **values)
    assert field in error.value.error_dict


# --- initial consultation and crisis assessment --------------------------------------------------------


def test_consultation_recorded_and_updated(world):
    day = world.today - datetime.timedelta(days=5)
    consultation = consultation_record(
        actor=world.lead_worker.actor,
        case=world.case,
        held_on=day,
        place="소공동 주민센터",
        participants="당사자, 딸",
        presenting_issues="집이 너무 좁고 물건이 많다",
        worker_observations="현관까지 적치",
    )
    assert (consultation.recorded_by, consultation.district) == (world.lead_worker.user, world.district_a)
    consultation_update(
        actor=world.lead_worker.actor,
        consultation=consultation,
        held_on=day,
        presenting_issues="집이 좁다",
        place="당사자 댁",
    )
    consultation.refresh_from_db()
    assert (consultation.place, consultation.presenting_issues, consultation.participants) == (
        "당사자 댁",
        "집이 좁다",
        "",
    )
    rows = AccessLog.objects.filter(object_type="initialconsultation", object_id=str(consultation.uuid))
    assert sorted(rows.values_list("action", flat=True)) == [Action.CREATE, Action.UPDATE]


@pytest.mark.parametrize(
    "days, issues, field",
    [
        (-1, "어려움", "held_on"),  # tomorrow
        (31, "어려움", "held_on"),  # before the case was opened (30 days ago)
        (1, "  ", "presenting_issues"),
    ],
)
def test_consultation_bad_input_is_refused(world, days, issues, field):
    with pytest.raises(ValidationError) as error:
        consultation_record(
            actor=world.lead_worker.actor,
            case=world.case,
            held_on=world.today - datetime.timedelta(days=days),
            presenting_issues=issues,
        )
    assert field in error.value.error_dict
    assert not InitialConsultation.objects.exists()


def test_consultation_may_date_from_the_first_contact(world):
    world.case.first_contact_on = world.today - datetime.timedelta(days=40)
    world.case.save()
    consultation = consultation_record(
        actor=world.lead_worker.actor,
        case=world.case,
        held_on=world.today - datetime.timedelta(days=35),
        presenting_issues="x",
    )
    assert consultation.pk


def test_crisis_assessment_recorded_without_touching_the_case_level(world):
    assessment = crisis_assessment_record(
        actor=world.lead_worker.actor,
        case=world.case,
        assessed_on=world.today,
        level=CrisisLevel.HIGH,
        safety_risk=True,
        note="화재 위험",
    )
    assert (assessment.level, assessment.safety_risk, assessment.mental_health_risk) == (CrisisLevel.HIGH, True, False)
    world.case.refresh_from_db()
    assert world.case.crisis_level == ""  # decided at selection (approvals), not here
    assert AccessLog.objects.filter(action=Action.CREATE, object_type="crisisassessment", case_id=world.case.pk)


@pytest.mark.parametrize("level, days", [("extreme", 0), (CrisisLevel.LOW, -1), (CrisisLevel.LOW, 31)])
def test_crisis_assessment_bad_input_is_refused(world, level, days):
    with pytest.raises(ValidationError):
        crisis_assessment_record(
            actor=world.lead_worker.actor,
            case=world.case,
            level=level,
            assessed_on=world.today - datetime.timedelta(days=days),
        )
    assert not CrisisAssessment.objects.exists()


# --- permissions ------------------------------------------------------------------------------------


WRITES = {
    "consultation": lambda w, a: consultation_record(actor=a, case=w.case, held_on=w.today, presenting_issues="x"),
    "need": lambda w, a: record(w, actor=a),
    "strength": lambda w, a: strength_record(
        actor=a, case=w.case, side=Strength.Side.INNER, kind=Strength.Kind.WILL, description="x"
    ),
    "crisis": lambda w, a: crisis_assessment_record(actor=a, case=w.case, assessed_on=w.today, level=CrisisLevel.LOW),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize(
    "who", ["participant_worker", "unrelated_worker", "district_admin", "auditor", "lead_admin", "b_worker", "nobody"]
)
def test_only_the_lead_agency_workers_write(world, write, who):
    with pytest.raises(PermissionDenied):
        WRITES[write](world, getattr(world, who).actor)
    assert WRITES[write](world, world.lead_supervisor.actor).pk


def test_status_and_updates_need_change_permission(world):
    need = agreed_need(world)
    participant = world.participant_worker.actor
    with pytest.raises(PermissionDenied):
        need_set_status(actor=participant, need=need, status=Need.Status.SELECTED)
    with pytest.raises(PermissionDenied):
        need_update(actor=participant, need=need, domain=LifeDomain.HOUSING, expressed_text="x")
    need.refresh_from_db()
    assert need.status == Need.Status.DISCUSSING and need.expressed_text == EXPRESSED
