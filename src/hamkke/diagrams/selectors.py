"""What the eco-map and the genogram of a case show, read through the scoped selectors.

The caller holds the case through ``cases.selectors.case_get_for_actor``; health-domain strengths and
services are left out for a reader without the sensitive-data permission by the selectors themselves
(access.sensitive), exactly as on the assessment and records tabs.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.sensitive import visible_rows
from hamkke.accounts.actor import Actor
from hamkke.assessment.models import Strength
from hamkke.assessment.selectors import strengths_for_case
from hamkke.cases.models import Case
from hamkke.people.models import Person
from hamkke.plans.models import PlanAction
from hamkke.plans.selectors import plan_latest
from hamkke.records.selectors import service_records_for_case
from hamkke.resources.models import Resource

from .layout import ORDINARY, STRONG, Member, Tie

SERVICE_WINDOW_DAYS = 365  # services of the last year draw the formal ring's solid lines
STRONG_SERVICE_COUNT = 6  # this many services from one agency in the window: a strong tie
INFORMAL_PERFORMERS = {"family", "neighbour", "volunteer", "friend"}
ACTIVE_ACTION = {PlanAction.Status.IN_PROGRESS, PlanAction.Status.DONE}


def index_person(case: Case) -> Person | None:
    """The person the case is about: the head of household (or the first member recorded)."""
    return case.household.head


def ecomap_ties(*, actor: Actor, case: Case, today: datetime.date | None = None) -> list[Tie]:
    """The person's inner and outer strengths, informal resources and formal services as ties."""
    today = today or timezone.localdate()
    ties: list[Tie] = []
    for strength in strengths_for_case(actor=actor, case=case):
        ring = "inner" if strength.side == Strength.Side.INNER else "outer"
        ties.append(
            Tie(
                ring=ring,
                label=strength.description,
                tie=strength.tie if ring == "outer" else (STRONG if strength.in_use else ORDINARY),
                in_use=strength.in_use,
                detail=strength.get_kind_display(),
            )
        )
    plan = plan_latest(case=case)
    delivered_by: Counter[int] = Counter()
    services = service_records_for_case(actor=actor, case=case).filter(
        provided_on__gt=today - datetime.timedelta(days=SERVICE_WINDOW_DAYS)
    )
    agencies = {}
    for row in services.order_by().values("provider_agency_id", "provider_agency__name").annotate(n=Count("id")):
        delivered_by[row["provider_agency_id"]] = row["n"]
        agencies[row["provider_agency_id"]] = row["provider_agency__name"]
    if plan is not None:
        actions = (
            visible_rows(PlanAction.objects.filter(district_id=case.district_id, goal__plan=plan), actor=actor)
            .exclude(status=PlanAction.Status.CANCELLED)
            .select_related("resource", "strength")
            .order_by("id")
        )
        seen: set[tuple[str, str]] = set()
        for action in actions:
            if action.strength_id:
                continue  # drawn already as the person's own strength
            resource: Resource | None = action.resource
            in_use = action.status in ACTIVE_ACTION
            if resource is not None and resource.kind == Resource.Kind.INFORMAL:
                label, ring = resource.name, "informal"
            elif resource is not None:
                label, ring = resource.name, "formal"
            elif action.performer in INFORMAL_PERFORMERS and action.performer_name:
                label, ring = action.performer_name, "informal"
            else:
                continue
            if (ring, label) in seen:
                continue
            seen.add((ring, label))
            ties.append(
                Tie(ring=ring, label=label, in_use=in_use, help_flows=in_use, detail=action.get_performer_display())
            )
    for agency_id, count in delivered_by.most_common():
        ties.append(
            Tie(
                ring="formal",
                label=agencies[agency_id],
                tie=STRONG if count >= STRONG_SERVICE_COUNT else ORDINARY,
                in_use=True,
                help_flows=True,
                detail=_("지난 1년 서비스 %(n)d건") % {"n": count},
            )
        )
    return ties


def genogram_members(*, case: Case, today: datetime.date | None = None) -> list[Member]:
    """The household's members by their relation to the head (the household lives together)."""
    today = today or timezone.localdate()
    index = index_person(case)
    members = []
    for person in case.household.members.all().order_by("id"):
        born = person.birth_date
        members.append(
            Member(
                key=str(person.uuid),
                label=person.name,
                relation=person.relation,
                sex=person.sex if person.sex in ("M", "F") else "",
                age=person.age_on(today) if born else None,
                is_index=index is not None and person.pk == index.pk,
            )
        )
    return members
