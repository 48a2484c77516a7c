from django.db.models import QuerySet

from .models import Consent


def consents_for_case(*, case) -> QuerySet[Consent]:
    """Consents of a case the caller already holds in scope (callers get ``case`` from a selector)."""
    return (
        Consent.objects.filter(district_id=case.district_id, case=case)
        .select_related("person", "recorded_by")
        .prefetch_related("third_party_agencies")
        .order_by("-given_on")
    )


def consent_get_for_actor(*, actor, uuid, permission: str):
    """A consent whose case is in the actor's scope for ``permission``."""
    from hamkke.access.policy import cases_in_scope

    return (
        Consent.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, permission))
        .select_related("case", "person")
        .get(uuid=uuid)
    )
