"""Sensitive data (민감정보: health and mental health, DOMAIN.md §6): who sees it, and what it is.

Health information needs a separate consent or a legal basis. Inside a case team:
- the lead agency and the district case-management admin see it (legal basis of the case work);
- a worker on emergency access sees it (that is what emergency access is for);
- a participating agency sees it only while a consent in force covering that agency has the
  separate sensitive-data item ticked.

What counts as sensitive is declared here per model, once: needs, strengths and services in a
health life domain; crisis assessments that found a mental-health risk; contact records the
worker marked as sensitive. Every read path that shows these (case tabs, timeline, API) filters
with ``without_sensitive``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from hamkke.access.policy import DISTRICT_WIDE, may
from hamkke.accounts.actor import Actor
from hamkke.core.domains import LifeDomain

HEALTH_DOMAINS = (LifeDomain.MENTAL_HEALTH, LifeDomain.PHYSICAL_HEALTH)

# model label -> the condition that marks a row sensitive
SENSITIVE = {
    "assessment.need": Q(domain__in=HEALTH_DOMAINS),
    "assessment.strength": Q(domain__in=HEALTH_DOMAINS),
    "assessment.crisisassessment": Q(mental_health_risk=True),
    "assessment.crisisrating": Q(area__in=("health", "mental_health")),
    "records.servicerecord": Q(domain__in=HEALTH_DOMAINS),
    "records.contactrecord": Q(sensitive=True),
}


def may_see_sensitive(actor: Actor, case) -> bool:
    if actor.membership is None or case.district_id != actor.district_id:
        return False
    if may(actor, DISTRICT_WIDE) or case.lead_agency_id == actor.agency_id:
        return True
    from hamkke.consents.models import Consent

    from .models import EmergencyAccess

    if EmergencyAccess.objects.filter(case=case, user_id=actor.user.pk, expires_at__gt=timezone.now()).exists():
        return True
    today = timezone.localdate()
    return (
        Consent.objects.filter(case=case, sensitive_data=True)
        .filter(Consent.valid_on_q(today))
        .filter(Q(share_with_district_network=True) | Q(third_party_agencies=actor.agency_id))
        .exists()
    )


def is_sensitive_model(model) -> bool:
    return model._meta.label_lower in SENSITIVE


def without_sensitive(qs: QuerySet, *, allowed: bool) -> QuerySet:
    """The queryset as this reader may see it: sensitive rows removed unless ``allowed``."""
    if allowed:
        return qs
    condition = SENSITIVE.get(qs.model._meta.label_lower)
    return qs.exclude(condition) if condition is not None else qs
