"""Referrals (의뢰): one agency asks another to take on a case or one of its needs.

The lead agency sends; the receiving agency accepts (and joins the case team), declines with a
reason, or completes what it accepted; the sender may withdraw while no answer has come. Sharing
a case with another agency needs the person's consent, so a referral is refused unless a consent
in force today names the receiving agency (or the whole district network).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import CASEWORK, CHANGE_CASE, can, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case
from hamkke.cases.services import case_team_join
from hamkke.core.validation import clean_fields
from hamkke.districts.models import Agency

from .models import OPEN_STATUSES, Referral
from .selectors import consent_covers

Status = Referral.Status


def _acts_for(actor: Actor, agency_id: int, referral: Referral) -> bool:
    return (
        may(actor, CASEWORK)  # who answers or withdraws for an agency: its case workers
        and actor.district_id == referral.district_id
        and actor.agency_id == agency_id
    )


def is_receiver(actor: Actor, referral: Referral) -> bool:
    """The actor answers for the receiving agency (accept, decline, complete)."""
    return _acts_for(actor, referral.to_agency_id, referral)


def is_sender(actor: Actor, referral: Referral) -> bool:
    """The actor works for the sending agency (withdraw while unanswered)."""
    return _acts_for(actor, referral.from_agency_id, referral)


def _require_receiver(actor: Actor, referral: Referral) -> None:
    if not is_receiver(actor, referral):
        raise PermissionDenied(_("의뢰받은 기관의 담당자만 응답할 수 있습니다."))


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case", "to_agency").get(pk=referral.pk)


def _require_status(referral: Referral, status: str, message: str) -> None:
    if referral.status != status:
        raise ValidationError({"status": message % {"status": referral.get_status_display()}})


def _text(value: str | None) -> str:
    return (value or "").strip()


def referral_send(
    *,
    actor: Actor,
    case: Case,
    to_agency: Agency,
    reason: str,
    need=None,
    request: HttpRequest | None = None,
) -> Referral:
    """The lead agency refers the case (or one of its needs) to another agency of the district."""
    reason = _text(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("의뢰 사유를 적으세요.")
    if need is not None and need.case_id != case.pk:
        errors["need"] = _("이 사례의 욕구만 의뢰할 수 있습니다.")
    with transaction.atomic():
        # The case row is the lock that keeps two concurrent sends to one agency apart.
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not can(actor, CHANGE_CASE, case):
            raise PermissionDenied(_("주관 기관 담당자만 의뢰할 수 있습니다."))
        if not to_agency.is_active or to_agency.district_id != case.district_id:
            errors["to_agency"] = _("같은 시군구의 운영 중인 기관에만 의뢰할 수 있습니다.")
        elif to_agency.pk == case.lead_agency_id:
            errors["to_agency"] = _("주관 기관 자신에게는 의뢰할 수 없습니다.")
        elif case.participants.filter(agency=to_agency, left_on__isnull=True).exists():
            errors["to_agency"] = _("이미 사례 팀에 참여 중인 기관입니다.")
        elif case.referrals.filter(to_agency=to_agency, status__in=OPEN_STATUSES).exists():
            errors["to_agency"] = _(
                "이 기관에 보낸 의뢰가 이미 진행 중입니다. 그 의뢰의 응답을 기다리거나 먼저 마무리하세요."
            )
        elif not consent_covers(case_id=case.pk, agency_id=to_agency.pk):
            errors["to_agency"] = _(
                "다른 기관에 사례를 알리려면 당사자의 정보제공 동의가 필요합니다. "
                "‘%(agency)s’(또는 지역 네트워크 전체)에 제공하는 데 동의한 기록이 오늘 유효하지 않습니다. "
                "동의를 먼저 기록하세요."
            ) % {"agency": to_agency.name}
        # the reason's length is the model's (full_clean), reported with the rules above in one round
        clean_fields(Referral(reason=reason), ["reason"], errors=errors)
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    district_id=case.district_id,
                    case=case,
                    need=need,
                    from_agency_id=case.lead_agency_id,
                    from_worker=actor.user,
                    to_agency=to_agency,
                    reason=reason,
                    sent_at=timezone.now(),
                )
        except IntegrityError:  # the database constraint behind the duplicate check above
            raise ValidationError({"to_agency": _("이 기관에 보낸 의뢰가 이미 진행 중입니다.")}) from None
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=referral,
            case_id=case.pk,
            request=request,
            detail=f"to agency {to_agency.pk}",
        )
    return referral


def referral_accept(
    *, actor: Actor, referral: Referral, note: str = "", request: HttpRequest | None = None
) -> Referral:
    """The receiving agency accepts: it joins the case team, and from then on the case scope
    (participation + consent) lets its workers open the case."""
    _require_receiver(actor, referral)
    note = _text(note)
    clean_fields(Referral(response_note=note), ["response_note"], names={"response_note": "note"})
    with transaction.atomic():
        referral = _locked(referral)
        _require_status(referral, Status.SENT, _("‘%(status)s’ 상태의 의뢰는 수락할 수 없습니다."))
        case = referral.case
        if not consent_covers(case_id=case.pk, agency_id=referral.to_agency_id):
            raise ValidationError(
                {
                    "status": _(
                        "당사자의 정보제공 동의가 철회되었거나 만료되어 지금은 수락할 수 없습니다. "
                        "의뢰한 기관에 문의하거나 거절하세요."
                    )
                }
            )
        on_team = (
            case.lead_agency_id == referral.to_agency_id
            or case.participants.filter(agency_id=referral.to_agency_id, left_on__isnull=True).exists()
        )
        if not on_team:  # the lead may have added the agency meanwhile
            case_team_join(
                actor=actor,
                case=case,
                agency=referral.to_agency,
                worker=actor.user,
                role=_("의뢰 수락"),
                note=note,
                request=request,
            )
        referral.status = Status.ACCEPTED
        referral.responded_at, referral.responded_by, referral.response_note = timezone.now(), actor.user, note
        referral.save(update_fields=["status", "responded_at", "responded_by", "response_note", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=referral, case_id=case.pk, request=request, detail="accepted"
        )
    return referral


def referral_decline(*, actor: Actor, referral: Referral, reason: str, request: HttpRequest | None = None) -> Referral:
    """The receiving agency declines, always with a reason the sender can read."""
    _require_receiver(actor, referral)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("거절 사유를 적으세요.")})
    clean_fields(Referral(response_note=reason), ["response_note"], names={"response_note": "reason"})
    with transaction.atomic():
        referral = _locked(referral)
        _require_status(referral, Status.SENT, _("‘%(status)s’ 상태의 의뢰는 거절할 수 없습니다."))
        referral.status = Status.DECLINED
        referral.responded_at, referral.responded_by, referral.response_note = timezone.now(), actor.user, reason
        referral.save(update_fields=["status", "responded_at", "responded_by", "response_note", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=referral,
            case_id=referral.case_id,
            request=request,
            detail="declined",
        )
    return referral


def referral_complete(*, actor: Actor, referral: Referral, note: str, request: HttpRequest | None = None) -> Referral:
    """The receiving agency reports what it did for an accepted referral."""
    _require_receiver(actor, referral)
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("완료 내용을 적으세요.")})
    clean_fields(Referral(completion_note=note), ["completion_note"], names={"completion_note": "note"})
    with transaction.atomic():
        referral = _locked(referral)
        _require_status(referral, Status.ACCEPTED, _("수락한 의뢰만 완료할 수 있습니다(지금: ‘%(status)s’)."))
        referral.status = Status.COMPLETED
        referral.completed_at, referral.completion_note = timezone.now(), note
        referral.save(update_fields=["status", "completed_at", "completion_note", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=referral,
            case_id=referral.case_id,
            request=request,
            detail="completed",
        )
    return referral


def referral_withdraw(*, actor: Actor, referral: Referral, request: HttpRequest | None = None) -> Referral:
    """The sending agency takes its referral back while it is still unanswered."""
    if not is_sender(actor, referral):
        raise PermissionDenied(_("의뢰한 기관의 담당자만 의뢰를 취소할 수 있습니다."))
    with transaction.atomic():
        referral = _locked(referral)
        _require_status(referral, Status.SENT, _("응답을 기다리는 의뢰만 취소할 수 있습니다(지금: ‘%(status)s’)."))
        referral.status = Status.WITHDRAWN
        referral.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=referral,
            case_id=referral.case_id,
            request=request,
            detail="withdrawn",
        )
    return referral
