"""Writes for a district's settings (운영 기준, 사례 구분). District case-management admins only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hamkke.access.policy import DISTRICT_SETTINGS, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases import workflow
from hamkke.cases.models import CaseType
from hamkke.core.validation import clean_fields

from .models import DistrictPolicy

# Field -> (lowest, highest) allowed value.
POLICY_NUMBERS = {
    "high_crisis_monitoring_days": (1, 365),
    "refused_visit_days": (1, 365),
    "intake_to_assessment_days": (1, 365),
    "conference_to_selection_days": (1, 365),
    "planning_days": (1, 365),
    "intake_to_plan_days": (1, 365),
    "reassessment_months": (1, 60),
    "no_contact_alert_days": (1, 3650),
}
POLICY_FLAGS = ("approval_classification", "approval_plan", "approval_closure", "closure_needs_classification")
FOLLOW_UP_MAX_DAYS = 3650
FOLLOW_UP_MAX_COUNT = 12
MONITORING_DAYS = (1, 365)


def _require_district_admin(actor: Actor) -> None:
    if not may(actor, DISTRICT_SETTINGS):
        raise PermissionDenied(_("시군구 통합사례관리 관리자만 운영 기준을 바꿀 수 있습니다."))


def _check_range(errors: dict, field: str, value, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = _("%(low)s에서 %(high)s 사이의 정수를 넣으세요.") % {"low": low, "high": high}


def district_policy_update(*, actor: Actor, changes: dict, request: HttpRequest | None = None) -> DistrictPolicy:
    """Change the district's monitoring and deadline days, follow-up days and approval steps.

    ``changes`` holds any of POLICY_NUMBERS, POLICY_FLAGS and ``follow_up_days`` (a list of
    positive day counts after closure; stored sorted, without repeats).
    """
    _require_district_admin(actor)
    unknown = set(changes) - set(POLICY_NUMBERS) - set(POLICY_FLAGS) - {"follow_up_days"}
    if unknown:
        fields = ", ".join(sorted(unknown))
        raise ValidationError({"__all__": _("바꿀 수 없는 항목입니다: %(fields)s") % {"fields": fields}})
    errors: dict = {}
    for field, bounds in POLICY_NUMBERS.items():
        if field in changes:
            _check_range(errors, field, changes[field], bounds)
    if "follow_up_days" in changes:
        days = changes["follow_up_days"]
        if (
            not isinstance(days, list | tuple)
            or len(days) > FOLLOW_UP_MAX_COUNT
            or any(isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= FOLLOW_UP_MAX_DAYS for d in days)
        ):
            errors["follow_up_days"] = _(
                "종결 후 일수를 1에서 %(max)s 사이의 정수로, %(count)s개까지 쉼표로 구분해 넣으세요."
            ) % {"max": FOLLOW_UP_MAX_DAYS, "count": FOLLOW_UP_MAX_COUNT}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy = DistrictPolicy.for_district(actor.district_id)
        policy = DistrictPolicy.objects.select_for_update().get(pk=policy.pk)
        switched_off = [
            kind
            for kind, field in workflow.APPROVAL_POLICY_FIELD.items()
            if field in changes and getattr(policy, field) and not changes[field]
        ]
        for field, value in changes.items():
            if field == "follow_up_days":
                value = sorted(set(value))
            elif field in POLICY_FLAGS:
                value = bool(value)
            setattr(policy, field, value)
        policy.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=policy,
            request=request,
            detail="district policy: " + ", ".join(sorted(changes)),
        )
        if switched_off:  # pending requests of a dropped step are cancelled, with the reason (approvals app)
            workflow.approval_switched_off(
                actor=actor, district_id=policy.district_id, kinds=switched_off, request=request
            )
    return policy


def _new_code(district_id: int, name: str) -> str:
    base = slugify(name)[:24] or "type"
    taken = set(CaseType.objects.filter(district_id=district_id).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def case_type_save(
    *,
    actor: Actor,
    case_type: CaseType | None = None,
    name: str,
    monitoring_days: int,
    referral_only: bool = False,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> CaseType:
    """Add a case type to the district (e.g. 집중) or change one. Types in use are deactivated, never deleted."""
    _require_district_admin(actor)
    if case_type is not None and case_type.district_id != actor.district_id:
        raise PermissionDenied(_("다른 시군구의 사례 구분입니다."))
    name = (name or "").strip()
    errors: dict = {}
    if not name:
        errors["name"] = _("명칭을 넣으세요.")
    else:
        same_name = CaseType.objects.filter(district_id=actor.district_id, name__iexact=name)
        if case_type is not None:
            same_name = same_name.exclude(pk=case_type.pk)
        if same_name.exists():
            errors["name"] = _("같은 이름의 사례 구분이 이미 있습니다.")
    _check_range(errors, "monitoring_days", monitoring_days, MONITORING_DAYS)
    # the name's length is the model's (max_length, by full_clean), said in the same round as the rest
    clean_fields(CaseType(district_id=actor.district_id, name=name), ["name"], errors=errors)
    with transaction.atomic():
        active = CaseType.objects.select_for_update().filter(district_id=actor.district_id, is_active=True)
        if not is_active and case_type is not None and not active.exclude(pk=case_type.pk).exists():
            raise ValidationError({"is_active": _("사용 중인 사례 구분이 하나는 있어야 합니다.")})
        if case_type is None:
            order = CaseType.objects.filter(district_id=actor.district_id).aggregate(m=Max("order"))["m"] or 0
            case_type = CaseType(
                district_id=actor.district_id, code=_new_code(actor.district_id, name), order=order + 1
            )
            action = Action.CREATE
        else:
            action = Action.UPDATE
        case_type.name, case_type.monitoring_days = name, monitoring_days
        case_type.referral_only, case_type.is_active = bool(referral_only), bool(is_active)
        case_type.save()
        audit_record(actor=actor, action=action, obj=case_type, request=request, detail=f"case type {case_type.code}")
    return case_type
