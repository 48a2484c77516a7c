"""The person's own plan (당사자용 계획서): the plan in plain words, for the person to keep.

The person is the real case manager (사례관리의 주체는 당사자): the page starts with what they said
they want, then what they will do themselves, who else helps (family, neighbours, friends) and
which services come, with dates and whom to call. It holds no other person's needs, no internal
notes (summary, progress measures, asks, approvals) and none of the workers' jargon in its own words
(JARGON lists what the template and the PDF must never say; tested).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case

from .models import PlanAction, ServicePlan
from .selectors import plan_detail, plan_versions

# Words of the workers' trade the person's plan never uses in its own text.
JARGON = ("욕구", "사정", "자원", "사례관리", "대상자", "클라이언트", "개입", "위기도", "수행자", "사례")

HELPERS = {"family", "neighbour", "volunteer", "friend"}
SHOWN = (PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS, PlanAction.Status.DONE)


@dataclass
class Step:
    text: str
    who: str = ""
    when: datetime.date | None = None
    done: bool = False
    contact: str = ""


@dataclass
class Wish:
    in_own_words: str  # what the person said (the expressed need)
    aim: str  # the goal agreed with them
    own_steps: list[Step] = field(default_factory=list)
    helpers: list[Step] = field(default_factory=list)
    services: list[Step] = field(default_factory=list)


@dataclass
class OwnPlan:
    plan: ServicePlan
    name: str
    wishes: list[Wish]
    worker: str
    agency: str
    agency_phone: str
    next_look: datetime.date | None


def plan_for_person(*, actor: Actor, case: Case) -> ServicePlan | None:
    """The plan in force (확정), else the newest version."""
    active = plan_versions(case=case).filter(status=ServicePlan.Status.ACTIVE).first()
    version = active.version if active else None
    return plan_detail(actor=actor, case=case, version=version)


def own_plan(*, actor: Actor, case: Case) -> OwnPlan | None:
    """The person's plan built from the case's plan (as ``actor``, its maker, may read it); None when
    the case has no plan yet."""
    plan = plan_for_person(actor=actor, case=case)
    if plan is None:
        return None
    person = case.household.head
    wishes = []
    for goal in plan.goals.all():
        need = goal.need
        if need.person_id and person is not None and need.person_id != person.pk:
            continue  # another member's wish is theirs to read, not on this person's paper
        wish = Wish(in_own_words=need.expressed_text, aim=goal.description)
        for action in goal.actions.all():
            if action.status not in SHOWN:
                continue
            step = Step(
                text=action.description,
                when=action.due_on,
                done=action.status == PlanAction.Status.DONE,
            )
            if action.performer == "person":
                wish.own_steps.append(step)
            elif action.performer in HELPERS or (action.strength_id and action.performer != "agency"):
                step.who = action.performer_name or action.get_performer_display()
                wish.helpers.append(step)
            else:
                resource = action.resource
                step.who = action.performer_name or (resource.provider or resource.name if resource else "")
                step.contact = resource.contact if resource else ""
                wish.services.append(step)
        wishes.append(wish)
    lead = case.lead_agency
    return OwnPlan(
        plan=plan,
        name=person.name if person else "",
        wishes=wishes,
        worker=str(case.lead_worker),
        agency=lead.name,
        agency_phone=lead.phone,
        next_look=plan.review_on,
    )
