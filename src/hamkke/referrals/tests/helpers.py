"""Surroundings for the referral tests: consents covering an agency, a need, a referral sent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from hamkke.assessment.models import Need
from hamkke.consents.services import consent_record
from hamkke.core.domains import LifeDomain
from hamkke.referrals.models import Referral
from hamkke.referrals.services import referral_send

REASON = "주거 환경 개선(청소·방역) 지원 요청"


def consent_for(world, *agencies, network: bool = False, given_days_ago: int = 5, expires_in: int | None = 300):
    """A consent in force of the head of household naming ``agencies`` (or the whole network)."""
    today = world.today
    return consent_record(
        actor=world.lead_worker.actor,
        case=world.case,
        person=world.head,
        given_on=today - datetime.timedelta(days=given_days_ago),
        expires_on=today + datetime.timedelta(days=expires_in) if expires_in is not None else None,
        required_collection=True,
        third_party_agencies=list(agencies),
        share_with_district_network=network,
    )


def need(world, case=None, agreed="집 안을 정리해 손주를 초대하고 싶다"):
    case = case or world.case
    return Need.objects.create(
        district=case.district,
        case=case,
        domain=LifeDomain.HOUSING,
        expressed_text="집이 너무 더럽다",
        felt_text="부끄러움",
        agreed_text=agreed,
        status=Need.Status.SELECTED,
        recorded_by=world.lead_worker.user,
    )


def send(world, to=None, *, who="lead_worker", reason=REASON, **kwargs) -> Referral:
    """A referral from the lead agency to ``to`` (default: the unrelated agency), consent given first."""
    to = to or world.unrelated_agency
    return referral_send(actor=world.members[who].actor, case=world.case, to_agency=to, reason=reason, **kwargs)


def sent_ago(referral: Referral, *, days: int = 0, hours: int = 0) -> Referral:
    """Move a referral's sending time back (surroundings: written directly)."""
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days, hours=hours))
    referral.refresh_from_db()
    return referral
