"""Writes for supervisor approval (결재), classification (사례 구분·선정), closure (종결), follow-up and reopening.

Which steps need approval is a district setting (DistrictPolicy.approval_*). Where a step needs
none, submitting it applies it at once, so every caller goes through ``approval_submit``.
What applying (or giving back) a step means is the business of the app that owns it: its handler
is registered in the workflow (cases/workflow.py), so this module never imports the plans app.

Who decides: a supervisor (팀장) of the case's lead agency (APPROVE_CASE). Nobody approves what
they submitted themselves — a supervisor who classifies or closes a case needs another supervisor's
approval. Returning one's own submission is allowed: it applies nothing and works as a withdrawal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import APPROVE_CASE, CHANGE_CASE, can
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases import workflow
from hamkke.cases.closure import GoalResult
from hamkke.cases.models import Case, CaseType, ClosureReason, CrisisLevel
from hamkke.cases.services import case_change_stage
from hamkke.cases.workflow import Classification, Stage
from hamkke.core.validation import clean_fields
from hamkke.districts.models import DistrictPolicy

from .models import NOTE_MAX, ApprovalRequest

Kind = ApprovalRequest.Kind
Status = ApprovalRequest.Status


def approval_required(*, district_id: int, kind: str) -> bool:
    return bool(getattr(DistrictPolicy.for_district(district_id), workflow.APPROVAL_POLICY_FIELD[kind]))


def _require_change(actor: Actor, case: Case) -> None:
    if not can(actor, CHANGE_CASE, case):
        raise PermissionDenied(_("이 사례를 바꿀 권한이 없습니다."))


def approval_submit(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    plan=None,
    payload: dict | None = None,
    request: HttpRequest | None = None,
) -> ApprovalRequest | None:
    """Submit a step for approval; where the district needs none, apply it now and return None."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("알 수 없는 결재 구분입니다.")})
    payload = dict(payload or {})
    with transaction.atomic():
        # Locking the case serialises submissions, so two clicks cannot make two pending requests.
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_change(actor, case)
        if kind == Kind.PLAN and (plan is None or plan.case_id != case.pk):
            raise ValidationError({"plan": _("이 사례의 서비스 계획을 지정하세요.")})
        if not approval_required(district_id=case.district_id, kind=kind):
            workflow.approval_handler(kind).apply(actor=actor, case=case, payload=payload, plan=plan, request=request)
            return None
        if ApprovalRequest.objects.filter(case=case, kind=kind, status=Status.PENDING).exists():
            raise ValidationError({"kind": _("이미 결재를 기다리는 같은 요청이 있습니다.")})
        approval = ApprovalRequest.objects.create(
            district_id=case.district_id,
            case=case,
            kind=kind,
            plan=plan if kind == Kind.PLAN else None,
            payload=payload,
            agency_id=case.lead_agency_id,
            submitted_by=actor.user,
            submitted_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=approval,
            case_id=case.pk,
            request=request,
            detail=f"approval {kind} submitted",
        )
    return approval


def approval_decide(
    *,
    actor: Actor,
    approval: ApprovalRequest,
    approve: bool,
    comment: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Approve (apply what was submitted) or return with a comment (apply nothing)."""
    comment = (comment or "").strip()
    with transaction.atomic():
        approval = (
            ApprovalRequest.objects.select_for_update(of=("self",)).select_related("case", "plan").get(pk=approval.pk)
        )
        case = approval.case
        if not can(actor, APPROVE_CASE, case):
            raise PermissionDenied(_("이 사례를 결재할 권한이 없습니다. 주관 기관의 팀장이 결재합니다."))
        if approval.status != Status.PENDING:
            raise ValidationError({"status": _("이미 결재가 끝난 요청입니다.")})
        if approve and approval.submitted_by_id == actor.user.pk:
            raise ValidationError({"decision": _("자신이 올린 요청은 승인할 수 없습니다. 다른 팀장이 결재합니다.")})
        if not approve and not comment:
            raise ValidationError({"comment": _("반려하려면 결재 의견을 적어야 합니다.")})
        approval.comment = comment
        clean_fields(approval, ["comment"])
        # Decided before it is applied: the stage change it may make must not see it as still pending.
        _end(approval, Status.APPROVED if approve else Status.RETURNED, actor=actor, comment=comment)
        handler = workflow.approval_handler(approval.kind)
        if approve:
            handler.apply(actor=actor, case=case, payload=approval.payload, plan=approval.plan, request=request)
        elif handler.withdraw is not None:
            handler.withdraw(actor=actor, plan=approval.plan, comment=comment, returned=True, request=request)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=approval,
            case_id=case.pk,
            request=request,
            detail=f"approval {approval.kind} {approval.status}",
        )
    return approval


def _end(approval: ApprovalRequest, status: str, *, actor: Actor, comment: str) -> None:
    approval.status = status
    approval.decided_by = actor.user
    approval.decided_at = timezone.now()
    approval.comment = comment
    approval.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])


def _end_unapplied(
    approval: ApprovalRequest, status: str, *, actor: Actor, reason: str, request: HttpRequest | None
) -> ApprovalRequest:
    """Recall or cancel: nothing is applied, the decided thing goes back to the worker, the reason stays."""
    _end(approval, status, actor=actor, comment=reason)
    handler = workflow.approval_handler(approval.kind)
    if handler.withdraw is not None:
        handler.withdraw(actor=actor, plan=approval.plan, comment=reason, returned=False, request=request)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=approval,
        case_id=approval.case_id,
        request=request,
        detail=f"approval {approval.kind} {status}",
    )
    return approval


def approval_recall(
    *, actor: Actor, approval: ApprovalRequest, reason: str = "", request: HttpRequest | None = None
) -> ApprovalRequest:
    """회수: the submitter takes a pending request back; a plan becomes a draft again."""
    reason = (reason or "").strip()
    with transaction.atomic():
        approval = (
            ApprovalRequest.objects.select_for_update(of=("self",)).select_related("case", "plan").get(pk=approval.pk)
        )
        _require_change(actor, approval.case)
        if approval.submitted_by_id != actor.user.pk:
            raise PermissionDenied(_("자신이 올린 요청만 회수할 수 있습니다."))
        if approval.status != Status.PENDING:
            raise ValidationError({"status": _("이미 결재가 끝난 요청은 회수할 수 없습니다.")})
        approval.comment = reason
        clean_fields(approval, ["comment"], names={"comment": "reason"})
        return _end_unapplied(
            approval, Status.RECALLED, actor=actor, reason=reason or _("요청자가 회수했습니다."), request=request
        )


def approvals_cancel_pending(
    *,
    actor: Actor,
    case: Case,
    reason: str,
    kinds: list[str] | None = None,
    request: HttpRequest | None = None,
) -> list[ApprovalRequest]:
    """Cancel the case's pending requests (of ``kinds``) because what they decide changed; keeps why.

    Called by the services that change the thing (a new plan in force cancels a pending closure,
    whose goal evaluations were of the old plan) and by the workflow events below. No permission
    check of its own: the change that causes it was checked by its service.
    """
    pending = ApprovalRequest.objects.select_for_update(of=("self",)).select_related("case", "plan")
    pending = pending.filter(district_id=case.district_id, case_id=case.pk, status=Status.PENDING)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    return [
        _end_unapplied(approval, Status.CANCELLED, actor=actor, reason=reason, request=request)
        for approval in pending.order_by("id")
    ]


def approvals_cancel_stale(
    *, actor: Actor, case: Case, from_stage: str, to_stage: str, request: HttpRequest | None = None
) -> list[ApprovalRequest]:
    """After a stage change: cancel pending requests that no longer make sense in the new stage.

    Registered with the workflow (ApprovalsConfig.ready); e.g. a plan or a classification still
    waiting when the case is closed.
    """
    kinds = [
        kind
        for kind in ApprovalRequest.objects.filter(case_id=case.pk, status=Status.PENDING).values_list(
            "kind", flat=True
        )
        if not workflow.approval_applies_in(kind, to_stage)
    ]
    if not kinds:
        return []
    reason = _("사례가 ‘%(stage)s’ 단계로 바뀌어 취소되었습니다.") % {"stage": Stage(to_stage).label}
    return approvals_cancel_pending(actor=actor, case=case, reason=reason, kinds=kinds, request=request)


def approvals_cancel_switched_off(
    *, actor: Actor, district_id: int, kinds: list[str], request: HttpRequest | None = None
) -> list[ApprovalRequest]:
    """The district dropped these approval steps: their pending requests are cancelled (resubmit to apply).

    Registered with the workflow (ApprovalsConfig.ready); the district settings service calls it.
    """
    cancelled = []
    reason = _("시군구가 이 결재를 쓰지 않기로 바꾸어 취소되었습니다. 다시 올리면 바로 반영됩니다.")
    cases = Case.objects.filter(
        district_id=district_id, approvals__status=Status.PENDING, approvals__kind__in=kinds
    ).distinct()
    for case in cases:
        cancelled += approvals_cancel_pending(actor=actor, case=case, reason=reason, kinds=kinds, request=request)
    return cancelled


def classification_submit(
    *,
    actor: Actor,
    case: Case,
    case_type: CaseType,
    crisis_level: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest | None:
    """Submit the case type (사례 구분) and crisis level (위기도) decided at selection."""
    _require_change(actor, case)
    note = (note or "").strip()
    errors = {}
    allowed = workflow.spec(case.stage).classification
    if allowed == Classification.NO:
        errors["case_type"] = _("사례 구분은 사례회의·선정·재사정 단계(서비스연계는 접수 단계)에서 정합니다.")
    elif case_type.district_id != case.district_id or not case_type.is_active:
        errors["case_type"] = _("이 시군구에서 쓰는 사례 구분을 고르세요.")
    elif allowed == Classification.REFERRAL_ONLY and not case_type.referral_only:
        errors["case_type"] = _("접수 단계에서는 서비스연계 구분만 정할 수 있습니다. 다른 구분은 사례회의 후 정합니다.")
    if crisis_level not in CrisisLevel.values:
        errors["crisis_level"] = _("위기도를 고르세요.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("메모가 너무 깁니다.")
    if errors:
        raise ValidationError(errors)
    payload = {"case_type": case_type.pk, "crisis_level": crisis_level, "note": note}
    return approval_submit(actor=actor, case=case, kind=Kind.CLASSIFICATION, payload=payload, request=request)


def closure_needs_classification(*, case: Case) -> bool:
    """Whether closing this case must also decide its case type (the district requires one, it has none)."""
    return case.case_type_id is None and DistrictPolicy.for_district(case.district_id).closure_needs_classification


def closure_submit(
    *,
    actor: Actor,
    case: Case,
    closure_reason: str,
    evaluation: str,
    goal_evaluations: dict[int, dict] | None = None,
    case_type: CaseType | None = None,
    crisis_level: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest | None:
    """Submit the closure (종결): a reason, an overall evaluation and one per goal of the active plan.

    ``goal_evaluations`` maps a goal's id to {"result": GoalResult, "note": str}. Errors on a goal are
    keyed ``goal_<id>``. Where the district requires a case type on closure and the case has none
    (``closure_needs_classification``), the closure proposes one (``case_type``, ``crisis_level``),
    applied with it.
    """
    _require_change(actor, case)
    evaluation = (evaluation or "").strip()
    goal_evaluations = goal_evaluations or {}
    errors = {}
    if not workflow.can_enter(case.stage, Stage.CLOSED):
        errors["stage"] = _("‘%(stage)s’ 단계의 사례는 종결할 수 없습니다.") % {"stage": Stage(case.stage).label}
    if closure_reason not in ClosureReason.values:
        errors["closure_reason"] = _("종결 사유를 고르세요.")
    if not evaluation:
        errors["evaluation"] = _("종합 평가를 적어야 합니다.")
    elif len(evaluation) > 4000:
        errors["evaluation"] = _("종합 평가가 너무 깁니다.")
    plan, goals = workflow.active_plan_goals(case=case)
    goal_ids = {goal.pk for goal in goals}
    if set(goal_evaluations) - goal_ids:
        errors["goals"] = _("시행 중인 계획의 목표만 평가할 수 있습니다.")
    goal_rows = []
    for goal in goals:
        given = goal_evaluations.get(goal.pk) or {}
        result, note = given.get("result", ""), (given.get("note") or "").strip()
        if result not in GoalResult.values:
            errors[f"goal_{goal.pk}"] = _("이 목표의 달성 정도를 고르세요.")
        goal_rows.append({"goal": goal.pk, "description": goal.description, "result": result, "note": note[:500]})
    classification = {}
    if closure_needs_classification(case=case):
        if case_type is None or case_type.district_id != case.district_id or not case_type.is_active:
            errors["case_type"] = _("이 시군구는 사례 구분 없이 종결하지 않습니다. 사례 구분을 고르세요.")
        if crisis_level not in CrisisLevel.values:
            errors["crisis_level"] = _("위기도를 고르세요.")
        if case_type is not None:
            classification = {"case_type": case_type.pk, "crisis_level": crisis_level}
    if errors:
        raise ValidationError(errors)
    payload = {
        "closure_reason": closure_reason,
        "evaluation": evaluation,
        "plan": str(plan.uuid) if plan else None,
        "goals": goal_rows,
        **classification,
    }
    return approval_submit(actor=actor, case=case, kind=Kind.CLOSURE, payload=payload, request=request)


def follow_up_start(*, actor: Actor, case: Case, request: HttpRequest | None = None) -> Case:
    """Move a closed case to follow-up (사후관리)."""
    _require_change(actor, case)
    if case.stage != Stage.CLOSED:
        raise ValidationError({"to_stage": _("종결된 사례만 사후관리로 옮길 수 있습니다.")})
    return case_change_stage(
        actor=actor, case=case, to_stage=Stage.FOLLOW_UP, reason=_("사후관리 시작"), request=request
    )


def case_reopen(*, actor: Actor, case: Case, reason: str, request: HttpRequest | None = None) -> Case:
    """재개: a closed case (or one in follow-up) continues from intake; its history stays."""
    _require_change(actor, case)
    reason = (reason or "").strip()
    if workflow.spec(case.stage).open:
        raise ValidationError({"reason": _("종결되었거나 사후관리 중인 사례만 재개할 수 있습니다.")})
    if not reason:
        raise ValidationError({"reason": _("재개 사유를 적어야 합니다.")})
    return case_change_stage(
        actor=actor,
        case=case,
        to_stage=Stage.INTAKE,
        reason=_("재개: %(reason)s") % {"reason": reason[:NOTE_MAX]},
        request=request,
    )
