"""Reads of service and contact records, refusing households and the facts monitoring needs.

Case lists always start from the scoped case selectors (``hamkke.cases.selectors``); the
per-case facts are added as correlated subqueries, so a list costs the same number of queries
for one case as for a thousand.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, overload

from django.db.models import Case as CaseWhen
from django.db.models import Count, DateTimeField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncMinute
from django.utils import timezone

from hamkke.access.policy import VIEW_CASE, cases_in_scope
from hamkke.access.sensitive import visible_rows
from hamkke.accounts.actor import Actor
from hamkke.assessment.models import InitialConsultation
from hamkke.cases.models import Case, StageChange
from hamkke.cases.selectors import case_list_for_actor
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, ConferenceCase
from hamkke.districts.models import Agency
from hamkke.plans.models import PlanAction, ServicePlan
from hamkke.resources.models import Resource

from .models import ContactRecord, ServiceRecord

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

SCOPE_MINE = "mine"
SCOPE_AGENCY = "agency"
# The stages whose last entry is fetched per case: the working deadlines and refusal counting.
TRACKED_STAGES = (Stage.INTAKE, Stage.CONFERENCE, Stage.SELECTION, Stage.DELIVERY, Stage.REFUSED)


@overload
def local_date(moment: datetime.datetime) -> datetime.date: ...
@overload
def local_date(moment: datetime.datetime | None) -> datetime.date | None: ...
def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """The Seoul date of a stored (UTC) moment."""
    return timezone.localtime(moment).date() if moment is not None else None


def contact_records_for_case(*, actor: Actor, case: Case) -> QuerySet[ContactRecord]:
    """The case's contacts, newest first, whichever agency of the team recorded them; those marked
    sensitive only for a reader with the sensitive-data permission (hamkke.access.sensitive)."""
    contacts = visible_rows(
        ContactRecord.objects.filter(district_id=case.district_id, case=case), actor=actor, case=case
    )
    return contacts.select_related("agency", "recorded_by").order_by("-contacted_at", "-id")


def service_records_for_case(*, actor: Actor, case: Case) -> QuerySet[ServiceRecord]:
    """The case's services, newest first; health-domain ones only for a reader with the
    sensitive-data permission."""
    services = visible_rows(
        ServiceRecord.objects.filter(district_id=case.district_id, case=case), actor=actor, case=case
    )
    return services.select_related("provider_agency", "resource", "plan_action", "recorded_by").order_by(
        "-provided_on", "-id"
    )


def contact_records_for_actor(*, actor: Actor) -> QuerySet[ContactRecord]:
    """Contacts of every case the actor may read (the API), under the same sensitive-data rule."""
    contacts = ContactRecord.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, VIEW_CASE))
    return visible_rows(contacts, actor=actor).select_related("case", "agency", "recorded_by")


def service_records_for_actor(*, actor: Actor) -> QuerySet[ServiceRecord]:
    """Services of every case the actor may read (the API, exports), under the same sensitive-data rule."""
    services = ServiceRecord.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, VIEW_CASE))
    return visible_rows(services, actor=actor).select_related(
        "case", "provider_agency", "resource", "plan_action", "recorded_by"
    )


def service_records_for_export(
    *,
    actor: Actor,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    provider_agency_ids: list[int] | None = None,
) -> QuerySet[ServiceRecord]:
    """What an export of service records may contain (``records.exports``): the records of
    ``service_records_for_actor`` (scope and sensitive-data rule), provided from ``start`` to ``end``
    (both included), optionally of some provider agencies, in the order of the file. Without the
    joins to objects: the exporter reads plain values."""
    rows = service_records_for_actor(actor=actor).select_related(None)
    if start is not None:
        rows = rows.filter(provided_on__gte=start)
    if end is not None:
        rows = rows.filter(provided_on__lte=end)
    if provider_agency_ids is not None:
        rows = rows.filter(provider_agency_id__in=provider_agency_ids)
    return rows.order_by("provided_on", "pk")


# --- Choices for the service form (the service checks the same rules) ----------------------------


def provider_agencies_for_case(*, case: Case) -> QuerySet[Agency]:
    return Agency.objects.filter(district_id=case.district_id, is_active=True).order_by("name")


def resources_for_case(*, case: Case) -> QuerySet[Resource]:
    return Resource.objects.filter(district_id=case.district_id, is_active=True).order_by("name")


def resource_options_for_case(*, case: Case, query: str, limit: int) -> list[tuple[int, str]]:
    """The picker's search: active resources of the case's district whose name or provider holds
    ``query``, as (pk, "name · provider") pairs."""
    rows = (
        resources_for_case(case=case)
        .filter(Q(name__icontains=query) | Q(provider__icontains=query))
        .values_list("pk", "name", "provider")[:limit]
    )
    return [(pk, f"{name} · {provider}" if provider else name) for pk, name, provider in rows]


def agency_options_for_case(*, case: Case, query: str, limit: int) -> list[tuple[int, str]]:
    return list(provider_agencies_for_case(case=case).filter(name__icontains=query).values_list("pk", "name")[:limit])


def plan_actions_for_case(*, case: Case) -> QuerySet[PlanAction]:
    """Actions of the case's plans (every version), the newest plan first."""
    return (
        PlanAction.objects.filter(district_id=case.district_id, goal__plan__case_id=case.pk)
        .select_related("goal__plan")
        .order_by("-goal__plan__version", "id")
    )


# --- Facts for refusal counting and monitoring ----------------------------------------------------


def _last_entered(stage: str) -> Subquery:
    """When the case LAST entered ``stage`` (StageChange), or NULL."""
    return Subquery(
        StageChange.objects.filter(case_id=OuterRef("pk"), to_stage=stage)
        .order_by("-changed_at", "-id")
        .values("changed_at")[:1]
    )


def _contacts():
    return ContactRecord.objects.filter(case_id=OuterRef("pk")).order_by("-contacted_at", "-id")


def _conferences_attended():
    """Held conferences that discussed the case with the person or their family present, latest first."""
    return (
        ConferenceCase.objects.filter(case_id=OuterRef("pk"), conference__status=Conference.Status.HELD)
        .filter(Q(conference__person_attended=True) | Q(conference__family_attended=True))
        .order_by("-conference__scheduled_at")
    )


class RefusalFacts(TypedDict):
    """What ``with_refusal_facts`` adds to each case."""

    entered_refused: datetime.datetime | None
    last_contact_at: datetime.datetime | None
    attempts: int
    last_attempt_at: datetime.datetime | None


def with_refusal_facts(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate: ``entered_refused``, ``last_contact_at``, ``attempts`` (contacts since the case
    last entered "refused"; 0 when it never did) and ``last_attempt_at`` (NULL when none)."""
    # Contacts are typed to the minute, stage changes stamped to the second: a visit recorded in the
    # same minute as the refusal counts as an attempt.
    since_refusal = (
        ContactRecord.objects.filter(case_id=OuterRef("pk"), contacted_at__gte=OuterRef("refused_minute"))
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        cases.annotate(
            entered_refused=_last_entered(Stage.REFUSED),
            last_contact_at=Subquery(_contacts().values("contacted_at")[:1]),
        )
        .annotate(
            refused_minute=TruncMinute("entered_refused", tzinfo=datetime.UTC),
        )
        .annotate(
            attempts=Coalesce(Subquery(since_refusal, output_field=IntegerField()), Value(0)),
            last_attempt_at=CaseWhen(
                When(last_contact_at__gte=F("refused_minute"), then=F("last_contact_at")),
                default=None,
                output_field=DateTimeField(),
            ),
        )
    )


def with_monitoring_facts(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything ``records.monitoring`` needs per case, in the same single query."""
    entered = {f"entered_{stage}": _last_entered(stage) for stage in TRACKED_STAGES if stage != Stage.REFUSED}
    return with_refusal_facts(cases).annotate(
        **entered,
        last_met_at=Subquery(_contacts().filter(outcome=ContactRecord.Outcome.MET).values("contacted_at")[:1]),
        last_consultation_on=Subquery(
            InitialConsultation.objects.filter(case_id=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
        ),
        last_conference_attended_at=Subquery(_conferences_attended().values("conference__scheduled_at")[:1]),
        planned_next_on=Subquery(_contacts().filter(next_contact_on__isnull=False).values("next_contact_on")[:1]),
        active_review_on=Subquery(
            ServicePlan.objects.filter(case_id=OuterRef("pk"), status=ServicePlan.Status.ACTIVE)
            .order_by("-version")
            .values("review_on")[:1]
        ),
    )


def follow_up_contact_dates(*, case_ids: list[int]) -> dict[int, list[datetime.date]]:
    """Seoul dates of the follow-up (사후관리) contacts of these cases, by case id (one query)."""
    if not case_ids:
        return {}
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    rows = ContactRecord.objects.filter(case_id__in=case_ids, purpose=ContactRecord.Purpose.FOLLOW_UP)
    for case_id, contacted_at in rows.order_by().values_list("case_id", "contacted_at"):
        dates[case_id].append(local_date(contacted_at))
    return dates


# --- Refusing households (거부 가구) ----------------------------------------------------------------


def refusing_cases_for_actor(*, actor: Actor, scope: str = SCOPE_MINE) -> QuerySet[Case]:
    """Cases waiting in "refused", in the actor's scope (own cases, or all the agency can see).

    Longest without an attempt first: never visited since the refusal first (the oldest refusal
    first among them), then by the date of the last attempt. One query (plus the household members).
    """
    cases = case_list_for_actor(actor=actor, mine_only=scope != SCOPE_AGENCY, stage=Stage.REFUSED)
    return with_refusal_facts(cases).order_by(
        F("last_attempt_at").asc(nulls_first=True), F("entered_refused").asc(nulls_first=True), "id"
    )


@dataclass(frozen=True)
class RefusalRow:
    case: Case
    refused_on: datetime.date | None
    attempts: int
    last_attempt_on: datetime.date | None
    days_since_attempt: int | None  # None: never visited since the refusal

    @classmethod
    def of(cls, case: WithAnnotations[Case, RefusalFacts], *, today: datetime.date) -> RefusalRow:
        last = local_date(case.last_attempt_at)
        return cls(
            case=case,
            refused_on=local_date(case.entered_refused),
            attempts=case.attempts,
            last_attempt_on=last,
            days_since_attempt=(today - last).days if last else None,
        )
