"""Reads for approvals, closure and follow-up, always through the access scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from hamkke.access.policy import APPROVE_CASE, VIEW_CASE, cases_in_scope
from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case
from hamkke.districts.models import DistrictPolicy

from .models import ApprovalRequest


def _related(qs: QuerySet) -> QuerySet:
    # The plan's goals and actions: the inbox shows what is decided, not only "서비스 계획 1판".
    return qs.select_related(
        "case__household", "case__lead_worker", "plan", "submitted_by", "decided_by"
    ).prefetch_related("plan__goals__actions")


def approval_get_for_actor(*, actor: Actor, uuid, permission: str = VIEW_CASE) -> ApprovalRequest:
    """One request whose case the actor may reach for ``permission``; else ApprovalRequest.DoesNotExist."""
    qs = ApprovalRequest.objects.filter(district_id=actor.district_id, case__in=cases_in_scope(actor, permission))
    return _related(qs).get(uuid=uuid)


def approvals_for_case(*, case: Case) -> QuerySet[ApprovalRequest]:
    """The case's approval history, newest first (the case was fetched through the scope)."""
    return _related(ApprovalRequest.objects.filter(district_id=case.district_id, case=case)).order_by(
        "-submitted_at", "-id"
    )


def approval_inbox(*, actor: Actor) -> QuerySet[ApprovalRequest]:
    """Pending requests the actor may decide, oldest first (결재함)."""
    qs = ApprovalRequest.objects.filter(
        district_id=actor.district_id,
        status=ApprovalRequest.Status.PENDING,
        case__in=cases_in_scope(actor, APPROVE_CASE),
    )
    return _related(qs).prefetch_related("case__household__members").order_by("submitted_at", "id")


def approvals_submitted_by(*, actor: Actor, limit: int = 50) -> list[ApprovalRequest]:
    """The actor's own requests and what became of them, on cases they may still read."""
    qs = ApprovalRequest.objects.filter(
        district_id=actor.district_id,
        submitted_by=actor.user,
        case__in=cases_in_scope(actor, VIEW_CASE),
    )
    return list(_related(qs).prefetch_related("case__household__members").order_by("-submitted_at", "-id")[:limit])


def days_waiting(approval: ApprovalRequest, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localtime(approval.submitted_at).date()).days


@dataclass(frozen=True)
class FollowUpSlot:
    days: int  # after closure
    due_on: datetime.date
    contacted_on: datetime.date | None  # the follow-up contact that answered this slot

    @property
    def done(self) -> bool:
        return self.contacted_on is not None

    def overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due_on < today


def follow_up_schedule(*, case: Case, policy: DistrictPolicy | None = None) -> list[FollowUpSlot]:
    """사후관리 일정: closed_on + each of the district's follow-up days, with the contact that met it.

    Each follow-up contact (purpose ``follow_up``) answers one slot: the earliest slot still open
    whose date it is on or after. So one late visit does not tick every slot at once.
    """
    from hamkke.records.monitoring import follow_up_slots
    from hamkke.records.selectors import follow_up_contact_dates

    if case.closed_on is None:
        return []
    policy = policy or DistrictPolicy.for_district(case.district_id)
    dates = follow_up_contact_dates(case_ids=[case.pk]).get(case.pk, [])
    return [
        FollowUpSlot(days=days, due_on=due, contacted_on=met)
        for days, due, met in follow_up_slots(
            closed_on=case.closed_on, follow_up_days=policy.follow_up_days, contact_dates=dates
        )
    ]
