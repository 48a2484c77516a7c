from django.db.models import QuerySet

from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case

from .models import EmergencyAccess
from .policy import REVIEW_EMERGENCY_ACCESS, may


def case_existence_for_actor(*, actor: Actor, uuid) -> Case:
    """A case of the actor's district, for what anyone there may know: that it exists, who leads it.

    Callers must show nothing else of it (no household, no content).
    """
    if actor.membership is None:
        raise Case.DoesNotExist
    return Case.objects.select_related("lead_agency", "lead_worker").get(district_id=actor.district_id, uuid=uuid)


def emergency_accesses_for_review(*, actor: Actor, unreviewed_only: bool = True) -> QuerySet[EmergencyAccess]:
    if not may(actor, REVIEW_EMERGENCY_ACCESS):
        return EmergencyAccess.objects.none()
    qs = EmergencyAccess.objects.filter(district_id=actor.district_id).select_related(
        "case", "user", "agency", "reviewed_by"
    )
    return qs.filter(reviewed_at__isnull=True) if unreviewed_only else qs


def emergency_access_get_for_review(*, actor: Actor, uuid) -> EmergencyAccess:
    return emergency_accesses_for_review(actor=actor, unreviewed_only=False).get(uuid=uuid)
