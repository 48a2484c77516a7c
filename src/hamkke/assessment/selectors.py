"""Reads of consultations and assessment records.

The ``*_for_case`` selectors take a case the caller already holds through a scoped selector
(``hamkke.cases.selectors.case_get_for_actor``); the ``*_get_for_actor`` ones apply the scope
themselves. Other apps (plans, approvals) call ``needs_for_case``, ``selected_needs`` and
``strengths_for_case``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Prefetch, QuerySet

from hamkke.access.policy import VIEW_CASE, cases_in_scope
from hamkke.access.sensitive import without_sensitive
from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case

from .models import CrisisAssessment, CrisisRating, InitialConsultation, Need, Strength


def needs_for_case(*, case: Case, status: str | Iterable[str] | None = None) -> QuerySet[Need]:
    """The case's needs in the order they were recorded; ``status`` is one Need.Status or several."""
    qs = Need.objects.filter(district_id=case.district_id, case=case).select_related("person", "recorded_by")
    if status is not None:
        qs = qs.filter(status=status) if isinstance(status, str) else qs.filter(status__in=list(status))
    return qs.order_by("id")


def selected_needs(*, case: Case) -> QuerySet[Need]:
    """The needs selected (agreed) for help now: what service-plan goals are tied to (DOMAIN.md §3, §5)."""
    return needs_for_case(case=case, status=Need.Status.SELECTED)


def strengths_for_case(*, case: Case) -> QuerySet[Strength]:
    """The person's own resources, inner first then outer (the order of DOMAIN.md §4), then as recorded."""
    inner_first = models.Case(
        models.When(side=Strength.Side.INNER, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    return (
        Strength.objects.filter(district_id=case.district_id, case=case)
        .select_related("person", "recorded_by")
        .order_by(inner_first, "id")
    )


def consultations_for_case(*, case: Case) -> QuerySet[InitialConsultation]:
    return (
        InitialConsultation.objects.filter(district_id=case.district_id, case=case)
        .select_related("recorded_by")
        .order_by("-held_on", "-id")
    )


def crisis_assessments_for_case(*, case: Case, sensitive_ok: bool = True) -> QuerySet[CrisisAssessment]:
    """Newest first: the first one is the current assessment; with their area ratings (the health
    areas left out unless ``sensitive_ok``, access.sensitive)."""
    ratings = without_sensitive(CrisisRating.objects.order_by("id"), allowed=sensitive_ok)
    return (
        CrisisAssessment.objects.filter(district_id=case.district_id, case=case)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("-assessed_on", "-id")
    )


def _in_scope(model, *, actor: Actor, case: Case, uuid, permission: str):
    """One row of ``case`` by public id, only while the case is in the actor's scope (else DoesNotExist)."""
    return (
        model.objects.filter(district_id=actor.district_id, case=case, case__in=cases_in_scope(actor, permission))
        .select_related("case")
        .get(uuid=uuid)
    )


def need_get_for_actor(*, actor: Actor, case: Case, uuid, permission: str = VIEW_CASE) -> Need:
    return _in_scope(Need, actor=actor, case=case, uuid=uuid, permission=permission)


def strength_get_for_actor(*, actor: Actor, case: Case, uuid, permission: str = VIEW_CASE) -> Strength:
    return _in_scope(Strength, actor=actor, case=case, uuid=uuid, permission=permission)


def consultation_get_for_actor(*, actor: Actor, case: Case, uuid, permission: str = VIEW_CASE) -> InitialConsultation:
    return _in_scope(InitialConsultation, actor=actor, case=case, uuid=uuid, permission=permission)
