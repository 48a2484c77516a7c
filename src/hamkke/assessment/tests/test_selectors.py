"""The selectors other apps call: needs_for_case, selected_needs, strengths_for_case."""

import datetime

import pytest
from django.core.exceptions import ObjectDoesNotExist

from hamkke.assessment.models import Need, Strength
from hamkke.assessment.selectors import need_get_for_actor, needs_for_case, selected_needs, strengths_for_case
from hamkke.assessment.services import need_record, need_set_status, strength_record
from hamkke.cases.services import case_register
from hamkke.core.domains import LifeDomain

pytestmark = pytest.mark.django_db


def make_need(world, text, *, status=Need.Status.DISCUSSING, case=None):
    actor = world.lead_worker.actor
    need = need_record(
        actor=actor,
        case=case or world.case,
        domain=LifeDomain.HOUSING,
        expressed_text=text,
        felt_text=f"{text}의 속뜻",
        agreed_text=f"함께 정한 {text} 목표 {len(text)}",
    )
    if status == Need.Status.SET_ASIDE:
        need = need_set_status(actor=actor, need=need, status=status, set_aside_reason=Need.SetAsideReason.CAPACITY)
    elif status != Need.Status.DISCUSSING:
        need = need_set_status(actor=actor, need=need, status=Need.Status.SELECTED)
        if status != Need.Status.SELECTED:
            need = need_set_status(actor=actor, need=need, status=status)
    return need


def other_case(world):
    return case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a2,
        address="명동길 3",
        head={"name": "남궁민", "birth_date": datetime.date(1970, 6, 1), "sex": "M"},
    )


def test_needs_for_case_by_status(world):
    discussing = make_need(world, "밥")
    selected = make_need(world, "일자리", status=Need.Status.SELECTED)
    aside = make_need(world, "이사", status=Need.Status.SET_ASIDE)
    achieved = make_need(world, "병원", status=Need.Status.ACHIEVED)
    make_need(world, "남의 사례 욕구", case=other_case(world))
    assert list(needs_for_case(actor=world.lead_worker.actor, case=world.case)) == [
        discussing,
        selected,
        aside,
        achieved,
    ]
    assert list(needs_for_case(actor=world.lead_worker.actor, case=world.case, status=Need.Status.SET_ASIDE)) == [aside]
    assert list(
        needs_for_case(
            actor=world.lead_worker.actor, case=world.case, status=[Need.Status.SELECTED, Need.Status.ACHIEVED]
        )
    ) == [
        selected,
        achieved,
    ]
    assert list(selected_needs(actor=world.lead_worker.actor, case=world.case)) == [selected]


def test_strengths_inner_first_then_outer(world):
    def add(side, kind, text):
        return strength_record(actor=world.lead_worker.actor, case=world.case, side=side, kind=kind, description=text)

    family = add(Strength.Side.OUTER, Strength.Kind.FAMILY, "딸")
    will = add(Strength.Side.INNER, Strength.Kind.WILL, "다시 일하고 싶다")
    friend = add(Strength.Side.OUTER, Strength.Kind.FRIEND, "경로당 친구")
    skill = add(Strength.Side.INNER, Strength.Kind.ABILITY, "요리")
    assert list(strengths_for_case(actor=world.lead_worker.actor, case=world.case)) == [will, skill, family, friend]


def test_need_get_follows_the_case_scope(world):
    need = make_need(world, "밥")
    assert need_get_for_actor(actor=world.participant_worker.actor, case=world.case, uuid=need.uuid) == need
    for who in ("unrelated_worker", "b_worker", "auditor"):
        with pytest.raises(ObjectDoesNotExist):
            need_get_for_actor(actor=getattr(world, who).actor, case=world.case, uuid=need.uuid)
    with pytest.raises(ObjectDoesNotExist):  # a need of one case is not found through another
        need_get_for_actor(actor=world.lead_worker.actor, case=other_case(world), uuid=need.uuid)
