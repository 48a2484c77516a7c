"""Emergency access (긴급 열람): the one audited way round the consent rule, for high-crisis cases."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record

from .models import EmergencyAccess
from .policy import CASEWORK, REVIEW_EMERGENCY_ACCESS, VIEW_CASE, can, may

MIN_REASON_LENGTH = 10


def emergency_eligible(case) -> bool:
    """Only a case assessed as high crisis, or screened urgent at intake, can be opened this way."""
    return case.crisis_level == "high" or case.urgency == "urgent"


def _refused(actor: Actor, case, request: HttpRequest | None, cause: str, error: Exception) -> Exception:
    """Every refused emergency request is in the access log (a denial the monthly review sees)."""
    audit_record(
        actor=actor,
        action=Action.DENIED,
        object_type="case",
        object_id=str(case.uuid),
        case_id=case.pk if case.district_id == actor.district_id else None,
        request=request,
        detail=f"emergency access refused: {cause}",
    )
    return error


def emergency_access_open(*, actor: Actor, case, reason: str, request: HttpRequest | None = None) -> EmergencyAccess:
    """Open a case without consent for HAMKKE_EMERGENCY_ACCESS_HOURS: a case worker of the district, a
    reason of at least MIN_REASON_LENGTH characters, a high-crisis or urgent case. Refusals are logged.

    Eligibility is decided only after the reason is given, and says no more than yes or no: the form
    shows nothing of the case (issue 11, finding 10)."""
    if not may(actor, CASEWORK):
        raise _refused(
            actor, case, request, "role", PermissionDenied(_("사례관리 담당자만 긴급 열람을 할 수 있습니다."))
        )
    if case.district_id != actor.district_id:
        raise _refused(actor, case, request, "district", PermissionDenied(_("다른 시군구의 사례입니다.")))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        message = _("긴급 열람 사유를 %(n)d자 이상 구체적으로 적으세요.") % {"n": MIN_REASON_LENGTH}
        raise _refused(actor, case, request, "reason too short", ValidationError({"reason": message}))
    if not emergency_eligible(case):
        message = _("위기도가 높거나 긴급으로 선별된 사례만 긴급 열람할 수 있습니다. 주관 기관에 연락하세요.")
        raise _refused(actor, case, request, "not eligible", ValidationError({"reason": message}))
    if can(actor, VIEW_CASE, case):
        raise _refused(
            actor, case, request, "already readable", ValidationError({"reason": _("이미 열람할 수 있는 사례입니다.")})
        )
    now = timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            district_id=case.district_id,
            case=case,
            user=actor.user,
            agency_id=actor.agency_id,
            reason=reason,
            granted_at=now,
            expires_at=now + datetime.timedelta(hours=settings.HAMKKE_EMERGENCY_ACCESS_HOURS),
        )
        audit_record(
            actor=actor,
            action=Action.EMERGENCY,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"emergency access until {access.expires_at:%Y-%m-%d %H:%M}",
        )
    return access


def emergency_access_review(
    *, actor: Actor, access: EmergencyAccess, note: str, request: HttpRequest | None = None
) -> EmergencyAccess:
    """The district admin looks at each emergency access and records what they found."""
    if not may(actor, REVIEW_EMERGENCY_ACCESS) or access.district_id != actor.district_id:
        raise PermissionDenied(_("시군구 통합사례관리 관리자만 검토할 수 있습니다."))
    if access.reviewed_at:
        raise ValidationError(_("이미 검토한 긴급 열람입니다."))
    if not (note or "").strip():
        raise ValidationError({"note": _("검토 의견을 적으세요.")})
    access.reviewed_by, access.reviewed_at, access.review_note = actor.user, timezone.now(), note.strip()
    with transaction.atomic():
        access.save(update_fields=["reviewed_by", "reviewed_at", "review_note", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=access,
            case_id=access.case_id,
            request=request,
            detail="emergency access reviewed",
        )
    return access
