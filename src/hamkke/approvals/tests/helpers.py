"""Helpers for the approval tests: moving the world's case along, a plan in force."""

from __future__ import annotations

from hamkke.assessment.models import Need
from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import DistrictPolicy
from hamkke.plans.models import Goal, ServicePlan

TO_CONFERENCE = [Stage.INITIAL_CONSULTATION, Stage.INTAKE, Stage.ASSESSMENT, Stage.CONFERENCE]
TO_DELIVERY = [*TO_CONFERENCE, Stage.SELECTION, Stage.PLANNING, Stage.DELIVERY]


def move(world, *stages, case=None):
    case = case or world.case
    for stage in stages:
        case = case_change_stage(actor=world.lead_worker.actor, case=case, to_stage=stage, reason="진행")
    return case


def set_policy(world, **fields):
    DistrictPolicy.for_district(world.district_a.pk)
    DistrictPolicy.objects.filter(district=world.district_a).update(**fields)


def active_plan(world, goals=("바리스타 교육 수료", "집 안 정리")):
    """A plan in force with goals tied to agreed needs (surroundings: written directly)."""
    case, user = world.case, world.lead_worker.user
    plan = ServicePlan.objects.create(
        district=world.district_a, case=case, version=1, status=ServicePlan.Status.ACTIVE, created_by=user
    )
    for text in goals:
        need = Need.objects.create(
            district=world.district_a,
            case=case,
            domain=LifeDomain.EMPLOYMENT,
            expressed_text=text,
            felt_text=text,
            agreed_text=text,
            status=Need.Status.SELECTED,
            recorded_by=user,
        )
        Goal.objects.create(district=world.district_a, plan=plan, need=need, description=text)
    return plan
