"""Keep ``CaseAccess`` in step with its sources (access as data, ``access.table``).

Model signals rather than a call in each service: every writer of a lead agency, a team, a consent
or an emergency access (the services, imports, the admin, anonymisation, test factories) must keep
the table exact, and a missed call would silently widen or narrow access. The property test
(``access/tests/test_case_access.py``) compares the table with the direct reading of the sources.
``QuerySet.update`` sends no signal: the one such write (the new lead agency leaving the team in
``cases.services.case_transfer_lead``) is followed by the case's save, which rewrites the case.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from hamkke.cases.models import Case, CaseParticipant
from hamkke.consents.models import Consent

from .models import CaseAccess, EmergencyAccess
from .table import refresh_cases


@receiver(post_save, sender=Case, dispatch_uid="caseaccess_case")
def _case_saved(sender, instance: Case, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if not created:
        if update_fields is not None and "lead_agency" not in update_fields:
            return
        lead_row = CaseAccess.objects.filter(case_id=instance.pk, ground=CaseAccess.Ground.LEAD_AGENCY)
        if lead_row.filter(agency_id=instance.lead_agency_id).exists():
            return
    refresh_cases([instance.pk])


def _from_itself(origin, model) -> bool:
    """A deletion of the row itself (not a cascade from its case, which takes the case's rows along)."""
    if isinstance(origin, QuerySet):
        return origin.model is model
    return isinstance(origin, model)


@receiver(post_save, sender=CaseParticipant, dispatch_uid="caseaccess_participant")
@receiver(post_save, sender=Consent, dispatch_uid="caseaccess_consent")
@receiver(post_save, sender=EmergencyAccess, dispatch_uid="caseaccess_emergency")
def _source_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_cases([instance.case_id])


@receiver(post_delete, sender=CaseParticipant, dispatch_uid="caseaccess_participant_gone")
@receiver(post_delete, sender=Consent, dispatch_uid="caseaccess_consent_gone")
@receiver(post_delete, sender=EmergencyAccess, dispatch_uid="caseaccess_emergency_gone")
def _source_deleted(sender, instance, origin=None, **kwargs) -> None:
    if _from_itself(origin, sender):
        refresh_cases([instance.case_id])


@receiver(m2m_changed, sender=Consent.third_party_agencies.through, dispatch_uid="caseaccess_consent_agencies")
def _consent_agencies_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_cases([instance.case_id])
    elif pk_set:  # from the agency's side: the consents named
        refresh_cases(Consent.objects.filter(pk__in=pk_set).values_list("case_id", flat=True))
