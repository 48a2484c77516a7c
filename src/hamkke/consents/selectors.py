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
