"""Reads of households and persons: a household is in reach when one of its cases is."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from hamkke.access.policy import VIEW_CASE, cases_in_scope
from hamkke.accounts.actor import Actor

from .models import Household, Person


def households_in_scope(actor: Actor, permission: str = VIEW_CASE) -> QuerySet[Household]:
    cases = cases_in_scope(actor, permission)
    return Household.objects.filter(district_id=actor.district_id).filter(
        Exists(cases.filter(household=OuterRef("pk")))
    )


def household_get_for_actor(*, actor: Actor, uuid, permission: str = VIEW_CASE) -> Household:
    return (
        households_in_scope(actor, permission)
        .select_related("dong")
        .prefetch_related("members")
        .get(uuid=uuid)
    )


def person_get_for_actor(*, actor: Actor, uuid, permission: str = VIEW_CASE) -> Person:
    households = households_in_scope(actor, permission)
    return (
        Person.objects.filter(district_id=actor.district_id, household__in=households)
        .select_related("household__dong")
        .get(uuid=uuid)
    )


def household_cases_for_actor(*, actor: Actor, household: Household):
    return (
        cases_in_scope(actor, VIEW_CASE)
        .filter(household=household)
        .select_related("lead_agency", "lead_worker", "case_type")
        .order_by("-opened_on")
    )
