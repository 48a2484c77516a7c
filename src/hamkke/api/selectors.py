"""Reads the API needs beyond what the apps' own selectors offer, built ONLY from their scopes.

Every queryset here starts from ``hamkke.access.policy.cases_in_scope`` (or the people app's
``households_in_scope``), filtered on the actor's district first: the same rules as the web pages.
Needs, service and contact records come from their apps' selectors, which apply the sensitive-data
rule (hamkke.access.sensitive) as they do for the pages.
(Candidates to move into their apps' selectors.py: persons_in_scope, *_in_scope per record type.)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from hamkke.access.policy import DISTRICT_WIDE, VIEW_CASE, cases_in_scope, may
from hamkke.accounts.actor import Actor
from hamkke.assessment.models import Need
from hamkke.assessment.selectors import needs_for_actor
from hamkke.cases.models import Case, CaseParticipant
from hamkke.districts.models import Agency, Dong
from hamkke.people.models import Household, Person
from hamkke.people.selectors import households_in_scope
from hamkke.plans.models import ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.selectors import contact_records_for_actor, service_records_for_actor

from .models import ApiToken


def agencies_for_actor(*, actor: Actor) -> QuerySet[Agency]:
    """The agencies of the actor's district (no personal data: anyone with a membership there)."""
    if actor.membership is None:
        return Agency.objects.none()
    return Agency.objects.filter(district_id=actor.district_id).select_related("dong")


def dongs_for_actor(*, actor: Actor) -> QuerySet[Dong]:
    if actor.membership is None:
        return Dong.objects.none()
    return Dong.objects.filter(district_id=actor.district_id)


def households_for_actor(*, actor: Actor) -> QuerySet[Household]:
    return (
        households_in_scope(actor)
        .select_related("dong")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("id")))
    )


def persons_in_scope(*, actor: Actor) -> QuerySet[Person]:
    """Persons of the households whose cases the actor may read."""
    households = households_in_scope(actor)
    return Person.objects.filter(district_id=actor.district_id, household__in=households).select_related("household")


def cases_for_api(*, actor: Actor) -> QuerySet[Case]:
    """Every case in the actor's VIEW scope, closed ones too, with household and team."""
    from hamkke.cases.selectors import case_list_for_actor

    team = CaseParticipant.objects.select_related("agency", "worker").order_by("left_on", "joined_on")
    return case_list_for_actor(actor=actor, include_inactive=True).prefetch_related(
        Prefetch("participants", queryset=team)
    )


def _of_cases_in_scope(model, actor: Actor) -> QuerySet:
    return model.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, VIEW_CASE))


def needs_in_scope(*, actor: Actor) -> QuerySet[Need]:
    return needs_for_actor(actor=actor)


def plans_in_scope(*, actor: Actor) -> QuerySet[ServicePlan]:
    return _of_cases_in_scope(ServicePlan, actor).select_related("case")


def service_records_in_scope(*, actor: Actor) -> QuerySet[ServiceRecord]:
    return service_records_for_actor(actor=actor)


def contact_records_in_scope(*, actor: Actor) -> QuerySet[ContactRecord]:
    return contact_records_for_actor(actor=actor)


def person_ids_of_cases(case_ids: Iterable[int]) -> list[int]:
    """The members of these cases' households: whose data a page about the cases shows (access log)."""
    case_ids = {pk for pk in case_ids if pk is not None}
    if not case_ids:
        return []
    households = Case.objects.filter(pk__in=case_ids).values("household_id")
    return list(Person.objects.filter(household_id__in=households).values_list("pk", flat=True))


def tokens_for_actor(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens in their district; the district admin sees every token of the district."""
    if actor.membership is None:
        return ApiToken.objects.none()
    qs = ApiToken.objects.filter(district_id=actor.district_id).select_related(
        "user", "membership__agency", "revoked_by"
    )
    return qs if may(actor, DISTRICT_WIDE) else qs.filter(user_id=actor.user.pk)


def token_get_for_actor(*, actor: Actor, uuid) -> ApiToken:
    return tokens_for_actor(actor=actor).get(uuid=uuid)
