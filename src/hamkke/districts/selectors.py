"""Reads of a district's settings; always the actor's own district."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkke.accounts.actor import Actor
from hamkke.cases.models import CaseType

from .models import DistrictPolicy


def district_policy_for_actor(*, actor: Actor) -> DistrictPolicy:
    return DistrictPolicy.for_district(actor.district_id)


def case_types_for_settings(*, actor: Actor) -> QuerySet[CaseType]:
    """Every case type of the actor's district, inactive ones too (they stay on old cases)."""
    return CaseType.objects.filter(district_id=actor.district_id).order_by("order", "name")


def case_type_get_for_actor(*, actor: Actor, pk: int) -> CaseType:
    """One case type of the actor's district, or CaseType.DoesNotExist."""
    return CaseType.objects.get(district_id=actor.district_id, pk=pk)
