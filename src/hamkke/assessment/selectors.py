"""Reads of consultations and assessment records.

The ``*_for_case`` selectors take a case the caller already holds through a scoped selector
(``hamkke.cases.selectors.case_get_for_actor``); the ``*_get_for_actor`` ones apply the scope
themselves. Every one of them takes the reader and applies the sensitive-data rule
(``hamkke.access.sensitive``): health-domain needs and strengths and crisis assessments with a
mental-health risk are left out, and the consultations' free text withheld, for a reader without
``VIEW_SENSITIVE`` on the case. Other apps (plans, referrals, resources, diagrams, the timeline, the
access-request export) call ``needs_for_case``, ``selected_needs`` and ``strengths_for_case``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.db.models import Prefetch, QuerySet

from hamkke.access.policy import VIEW_CASE, cases_in_scope
from hamkke.access.sensitive import visible_rows, withhold_fields
from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case

from .models import CrisisAssessment, CrisisRating, InitialConsultation, Need, Strength


def needs_for_case(*, actor: Actor, case: Case, status: str | Iterable[str] | None = None) -> QuerySet[Need]:
    """The case's needs in the order they were recorded; ``status`` is one Need.Status or several."""
    qs = visible_rows(Need.objects.filter(district_id=case.district_id, case=case), actor=actor, case=case)
    qs = qs.select_related("person", "recorded_by")
    if status is not None:
        qs = qs.filter(status=status) if isinstance(status, str) else qs.filter(status__in=list(status))
    return qs.order_by("id")


def needs_for_actor(*, actor: Actor) -> QuerySet[Need]:
    """Needs of every case the actor may read (the API), under the same sensitive-data rule."""
    needs = Need.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, VIEW_CASE))
    return visible_rows(needs, actor=actor).select_related("case", "person")


def selected_needs(*, actor: Actor, case: Case) -> QuerySet[Need]:
    """The needs selected (agreed) for help now: what service-plan goals are tied to (DOMAIN.md §3, §5)."""
    return needs_for_case(actor=actor, case=case, status=Need.Status.SELECTED)


def strengths_for_case(*, actor: Actor, case: Case) -> QuerySet[Strength]:
    """The person's own resources, inner first then outer (the order of DOMAIN.md §4), then as recorded."""
    inner_first = models.Case(
        models.When(side=Strength.Side.INNER, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    strengths = Strength.objects.filter(district_id=case.district_id, case=case)
    return (
        visible_rows(strengths, actor=actor, case=case)
        .select_related("person", "recorded_by")
        .order_by(inner_first, "id")
    )


def consultations_for_case(
    *, actor: Actor, case: Case, narrow: Callable[[QuerySet], QuerySet] | None = None
) -> list[InitialConsultation]:
    """Newest first; what was said and observed withheld (``sensitive_withheld``) from a reader
    without the sensitive-data permission: free text, it may tell health details.

    ``narrow`` (filter, order, slice) is applied before the records are read: the timeline reads one
    page of them."""
    consultations = InitialConsultation.objects.filter(district_id=case.district_id, case=case)
    consultations = consultations.select_related("recorded_by").order_by("-held_on", "-id")
    return withhold_fields(narrow(consultations) if narrow else consultations, actor=actor)


def crisis_assessments_for_case(*, actor: Actor, case: Case) -> QuerySet[CrisisAssessment]:
    """Newest first: the first one is the current assessment (that the reader may see); with their
    area ratings, the health areas' only for a reader allowed health data."""
    assessments = CrisisAssessment.objects.filter(district_id=case.district_id, case=case)
    ratings = visible_rows(CrisisRating.objects.filter(district_id=case.district_id).order_by("id"), actor=actor)
    return (
        visible_rows(assessments, actor=actor, case=case)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("-assessed_on", "-id")
    )


def _in_scope(model, *, actor: Actor, case: Case, uuid, permission: str) -> QuerySet:
    """``case``'s row with this public id, only while the case is in the actor's scope and the row is
    one the actor may read (empty otherwise)."""
    rows = model.objects.filter(
        district_id=actor.district_id, case=case, case__in=cases_in_scope(actor, permission), uuid=uuid
    )
    return visible_rows(rows, actor=actor).select_related("case")


def need_get_for_actor(*, actor: Actor, case: Case, uuid, permission: str = VIEW_CASE) -> Need:
    return _in_scope(Need, actor=actor, case=case, uuid=uuid, permission=permission).get()


def strength_get_for_actor(*, actor: Actor, case: Case, uuid, permission: str = VIEW_CASE) -> Strength:
    return _in_scope(Strength, actor=actor, case=case, uuid=uuid, permission=permission).get()


def consultation_get_for_actor(*, actor: Actor, case: Case, uuid, permission: str = VIEW_CASE) -> InitialConsultation:
    found = withhold_fields(
        _in_scope(InitialConsultation, actor=actor, case=case, uuid=uuid, permission=permission), actor=actor
    )
    if not found:
        raise InitialConsultation.DoesNotExist
    return found[0]
