"""Reads of referrals, always scoped to the actor's district and agency (or the case scope).

A receiving agency sees a referral *before* it has any access to the case: only the minimum the
consent allows (sending agency and worker, reason, the need's agreed text, the household's dong,
the head of household's name and age, the date sent). The head's name and age are shown only
while a consent in force covers the actor's agency, or when the actor may read the case anyway.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hamkke.access.policy import AGENCY_INBOX, VIEW_CASE, cases_in_scope, may
from hamkke.accounts.actor import Actor
from hamkke.assessment.selectors import needs_for_case
from hamkke.cases.models import Case
from hamkke.consents.models import Consent
from hamkke.districts.models import Agency
from hamkke.people.models import Person

from . import timing
from .models import OPEN_STATUSES, Referral

ANSWERED_SHOWN = 50
SENT_SHOWN = 50

Status = Referral.Status
STATUS_TONE: dict[str, str] = {
    Status.ACCEPTED: "info",
    Status.DECLINED: "warn",
    Status.COMPLETED: "ok",
    Status.WITHDRAWN: "muted",
}


def _consents_covering(agency_id, today: datetime.date) -> QuerySet[Consent]:
    return Consent.objects.filter(Consent.valid_on_q(today)).filter(
        Q(share_with_district_network=True) | Q(third_party_agencies=agency_id)
    )


def consent_covers(*, case_id: int, agency_id: int, today: datetime.date | None = None) -> bool:
    """True when a consent in force today lets the case be shared with this agency."""
    return _consents_covering(agency_id, today or timezone.localdate()).filter(case_id=case_id).exists()


def _for_agency(actor: Actor) -> QuerySet[Referral]:
    if not may(actor, AGENCY_INBOX):  # the agency's referrals, received and sent
        return Referral.objects.none()
    return Referral.objects.filter(district_id=actor.district_id)


def _related(qs: QuerySet, actor: Actor, today: datetime.date) -> QuerySet[Referral]:
    """With what the pages show, and whether the actor may see who the household is."""
    return (
        qs.select_related(
            "case__household__dong",
            "case__lead_agency",
            "need",
            "from_agency",
            "from_worker",
            "to_agency",
            "responded_by",
        )
        .prefetch_related(Prefetch("case__household__members", queryset=Person.objects.order_by("id")))
        .annotate(
            case_readable=Exists(cases_in_scope(actor, VIEW_CASE).filter(pk=OuterRef("case_id"))),
            consent_covers_actor=Exists(_consents_covering(actor.agency_id, today).filter(case_id=OuterRef("case_id"))),
        )
    )


def _finish(referrals, today: datetime.date) -> list[Referral]:
    """Attach the derived facts the pages show: ageing, response time, the household's head."""
    referrals = list(referrals)
    for r in referrals:
        r.is_waiting = r.status == Status.SENT
        r.days_waiting = timing.days_waiting(r.sent_at, today) if r.is_waiting else None
        r.age_tone = timing.age_tone(r.days_waiting) if r.is_waiting else "muted"
        r.status_tone = r.age_tone if r.is_waiting else STATUS_TONE.get(r.status, "muted")
        r.response_time = timing.response_time(r.sent_at, r.responded_at)
        r.response_time_label = timing.duration_label(r.response_time)
        r.show_person = bool(r.case_readable or r.consent_covers_actor)
        head = r.case.household.head if r.show_person else None
        r.head = head
        r.head_age = head.age_on(today) if head else None
    return referrals


def person_ids_shown(referrals) -> list[int]:
    """For the access log: the persons whose name a page showed."""
    return [r.head.pk for r in referrals if r.head]


def referral_get_for_actor(*, actor: Actor, uuid) -> Referral:
    """One referral the actor's agency sent or received, or whose case the actor may read.

    Anything else (another agency's referral, another district) raises Referral.DoesNotExist.
    """
    if actor.membership is None:
        raise Referral.DoesNotExist
    today = timezone.localdate()
    own = Q(to_agency_id=actor.agency_id) | Q(from_agency_id=actor.agency_id)
    readable_case = Q(case__in=cases_in_scope(actor, VIEW_CASE))
    base = Referral.objects.filter(district_id=actor.district_id)
    qs = base.filter(own | readable_case) if may(actor, AGENCY_INBOX) else base.filter(readable_case)
    found = _finish(_related(qs, actor, today).filter(uuid=uuid), today)
    if not found:
        raise Referral.DoesNotExist
    return found[0]


def referrals_received_waiting(*, actor: Actor) -> list[Referral]:
    """Referrals to the actor's agency still waiting for an answer, oldest first."""
    today = timezone.localdate()
    qs = _for_agency(actor).filter(to_agency_id=actor.agency_id, status=Status.SENT)
    return _finish(_related(qs, actor, today).order_by("sent_at", "id"), today)


def referrals_received_answered(*, actor: Actor, limit: int = ANSWERED_SHOWN) -> list[Referral]:
    """Referrals the actor's agency has answered (or that were withdrawn), most recent first."""
    today = timezone.localdate()
    qs = _for_agency(actor).filter(to_agency_id=actor.agency_id).exclude(status=Status.SENT)
    return _finish(_related(qs, actor, today).order_by("-sent_at", "-id")[:limit], today)


def referrals_sent(*, actor: Actor, limit: int = SENT_SHOWN) -> list[Referral]:
    """Referrals the actor's agency sent, newest first."""
    today = timezone.localdate()
    qs = _for_agency(actor).filter(from_agency_id=actor.agency_id)
    return _finish(_related(qs, actor, today).order_by("-sent_at", "-id")[:limit], today)


def referrals_for_case(*, actor: Actor, case: Case) -> list[Referral]:
    """Every referral of a case the caller already holds in scope, newest first."""
    today = timezone.localdate()
    qs = Referral.objects.filter(district_id=case.district_id, case=case)
    return _finish(_related(qs, actor, today).order_by("-sent_at", "-id"), today)


def referable_agencies(*, case: Case) -> QuerySet[Agency]:
    """Agencies a case may be referred to: active, same district, neither the lead nor on the team.

    Each carries ``consent_covers`` and ``referred_now`` (an open referral already goes there), so
    that the form can say which ones still need a consent or are already asked.
    """
    today = timezone.localdate()
    on_team = case.participants.filter(left_on__isnull=True).values("agency_id")
    covered = Exists(
        Consent.objects.filter(case=case)
        .filter(Consent.valid_on_q(today))
        .filter(Q(share_with_district_network=True) | Q(third_party_agencies=OuterRef("pk")))
    )
    return (
        Agency.objects.filter(district_id=case.district_id, is_active=True)
        .exclude(pk=case.lead_agency_id)
        .exclude(pk__in=on_team)
        .annotate(
            consent_covers=covered,
            referred_now=Exists(Referral.objects.filter(case=case, to_agency=OuterRef("pk"), status__in=OPEN_STATUSES)),
        )
        .order_by("name")
    )


def referable_needs(*, actor: Actor, case: Case) -> QuerySet:
    """The case's needs the actor may read, any of which may be referred on its own."""
    return needs_for_case(actor=actor, case=case).select_related(None)
