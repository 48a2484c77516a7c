"""Writes for the service plan (서비스 계획): versions, goals, actions, asks and the person's agreement.

Life of a plan version: DRAFT → (person agrees) → SUBMITTED → ACTIVE, or RETURNED by the supervisor
and edited again. Reassessment (재사정) copies the ACTIVE plan into a new DRAFT version; the old one
stays ACTIVE (and readable for ever) until the new one is activated, which SUPERSEDES it.
Only DRAFT and RETURNED plans can be edited.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import APPROVE_CASE, CHANGE_CASE, can
from hamkke.accounts.actor import Actor
from hamkke.approvals.services import approval_submit, approvals_cancel_pending
from hamkke.assessment.models import Need, Strength
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases import workflow
from hamkke.cases.models import Case
from hamkke.cases.services import case_change_stage
from hamkke.cases.workflow import INACTIVE, ApprovalKind
from hamkke.core.event_time import future_date_message
from hamkke.core.locking import check_version
from hamkke.core.validation import clean_fields
from hamkke.districts.models import DistrictPolicy
from hamkke.resources.models import Resource

from .models import TEXT_MAX, Ask, Goal, GoalReview, Performer, PlanAction, ServicePlan
from .selectors import goal_needs

Status = ServicePlan.Status
EDITABLE = {Status.DRAFT, Status.RETURNED}
OPEN = {Status.DRAFT, Status.SUBMITTED, Status.RETURNED}  # a version still on its way to activation
OPEN_ACTION = {PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS}  # not done, cancelled or ended

# Who can carry out an action that uses a means (DOMAIN.md §4): the person uses their own inner
# resources; relationships are the person's or those people's; informal resources are the people
# around the person; formal services are provided by an agency or used by the person (with family).
FITTING_PERFORMERS: dict[str, set[str]] = {
    Strength.Side.INNER: {Performer.PERSON},
    Strength.Side.OUTER: {Performer.PERSON, Performer.FAMILY, Performer.FRIEND, Performer.NEIGHBOUR},
    Resource.Kind.INFORMAL: {Performer.PERSON, Performer.FRIEND, Performer.NEIGHBOUR, Performer.VOLUNTEER},
    Resource.Kind.FORMAL: {Performer.PERSON, Performer.FAMILY, Performer.AGENCY},
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _require_change(actor: Actor, case: Case) -> None:
    if not can(actor, CHANGE_CASE, case):
        raise PermissionDenied(_("이 사례의 서비스 계획을 바꿀 권한이 없습니다."))


def _require_editable(plan: ServicePlan) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "‘%(status)s’ 상태의 계획은 고칠 수 없습니다. 작성 중이거나 반려된 계획만 고칠 수 있습니다."
                )
                % {"status": Status(plan.status).label}
            }
        )


def _locked_plan(plan: ServicePlan, expected_version: int | None = None) -> ServicePlan:
    """Re-read the plan under a row lock (inside a transaction), so that two requests don't race.

    Every change to a plan goes through here and counts as an edit of the plan (core.locking): a
    worker who agrees or submits from a page that no longer shows the plan as it is gets a conflict.
    """
    locked = ServicePlan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
    check_version(locked, expected_version)
    locked.save(update_fields=["lock_version", "updated_at"])
    return locked


def plan_create(*, actor: Actor, case: Case, summary: str = "", request: HttpRequest | None = None) -> ServicePlan:
    """Start the first service plan of a case (version 1, DRAFT)."""
    _require_change(actor, case)
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("case_type").get(pk=case.pk)
        plans = ServicePlan.objects.filter(case=case)
        if case.case_type is not None and case.case_type.referral_only:
            raise ValidationError({NON_FIELD_ERRORS: _("서비스연계 사례는 서비스 계획 없이 연계와 점검만 합니다.")})
        if case.stage in INACTIVE:
            raise ValidationError({NON_FIELD_ERRORS: _("종결되었거나 사후관리 중인 사례에는 계획을 세울 수 없습니다.")})
        if plans.filter(status__in=OPEN).exists():
            raise ValidationError({NON_FIELD_ERRORS: _("이미 작성 중이거나 결재 중인 계획이 있습니다.")})
        if plans.exists():
            raise ValidationError({NON_FIELD_ERRORS: _("이미 계획이 있습니다. 재사정으로 새 판을 만드세요.")})
        if not goal_needs(case=case).exists():
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "당사자와 합의해 선택한 욕구가 없습니다. 먼저 사정에서 욕구를 합의하고 선택하세요."
                    )
                }
            )
        plan = ServicePlan.objects.create(
            district_id=case.district_id,
            case=case,
            version=1,
            status=Status.DRAFT,
            summary=summary.strip()[:TEXT_MAX],
            created_by=actor.user,
        )
        audit_record(actor=actor, action=Action.CREATE, obj=plan, case_id=case.pk, request=request, detail="v1")
    return plan


def plan_update_summary(
    *,
    actor: Actor,
    plan: ServicePlan,
    summary: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ServicePlan:
    """계획 요지: each version has its own summary, edited while the version is being written."""
    _require_change(actor, plan.case)
    summary = (summary or "").strip()
    with transaction.atomic():
        plan = _locked_plan(plan, expected_version)
        _require_editable(plan)
        plan.summary = summary
        clean_fields(plan, ["summary"])
        plan.save(update_fields=["summary", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="summary"
        )
    return plan


def goal_add(
    *,
    actor: Actor,
    plan: ServicePlan,
    need: Need,
    description: str,
    progress_measure: str = "",
    request: HttpRequest | None = None,
) -> Goal:
    """A goal tied to one selected, agreed need of the plan's case."""
    _require_change(actor, plan.case)
    description, progress_measure = description.strip(), progress_measure.strip()
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_editable(plan)
        errors = {}
        if need.case_id != plan.case_id or need.status != Need.Status.SELECTED or not need.agreed_text.strip():
            errors["need"] = _("이 사례에서 당사자와 합의해 선택한 욕구만 목표로 삼을 수 있습니다.")
        if not description:
            errors["description"] = _("목표를 적으세요.")
        goal = Goal(
            district_id=plan.district_id,
            plan=plan,
            need=need,
            description=description,
            progress_measure=progress_measure,
        )
        clean_fields(goal, ["description", "progress_measure"], errors=errors)
        goal.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=plan,
            case_id=plan.case_id,
            request=request,
            detail=f"goal +{goal.pk}",
        )
    return goal


def goal_remove(*, actor: Actor, goal: Goal, request: HttpRequest | None = None) -> None:
    """Remove a goal (and its actions) from a plan still being written."""
    _require_change(actor, goal.plan.case)
    with transaction.atomic():
        plan = _locked_plan(goal.plan)
        _require_editable(plan)
        goal_id = goal.pk
        goal.delete()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=plan,
            case_id=plan.case_id,
            request=request,
            detail=f"goal -{goal_id}",
        )


def _check_means(*, case: Case, performer: str, strength: Strength | None, resource: Resource | None) -> dict:
    errors = {}
    if strength is not None and resource is not None:
        errors["means"] = _("당사자 자원과 지역 자원 중 하나만 고르세요.")
        return errors
    if strength is not None and strength.case_id != case.pk:
        errors["means"] = _("이 사례 당사자의 자원만 쓸 수 있습니다.")
    elif resource is not None and (resource.district_id != case.district_id or not resource.is_active):
        errors["means"] = _("이 시군구에서 사용 중인 자원만 쓸 수 있습니다.")
    elif performer in Performer.values:
        source = strength.side if strength is not None else resource.kind if resource is not None else None
        if source is not None and performer not in FITTING_PERFORMERS[source]:
            fitting = ", ".join(str(Performer(p).label) for p in Performer.values if p in FITTING_PERFORMERS[source])
            errors["performer"] = _("이 자원을 쓰는 실행은 %(fitting)s이(가) 합니다.") % {"fitting": fitting}
    return errors


def action_add(
    *,
    actor: Actor,
    goal: Goal,
    description: str,
    performer: str,
    performer_name: str = "",
    due_on: datetime.date | None = None,
    strength: Strength | None = None,
    resource: Resource | None = None,
    request: HttpRequest | None = None,
) -> PlanAction:
    """An action for a goal: who does what, with which means (the person's own or a resource), by when."""
    case = goal.plan.case
    _require_change(actor, case)
    description, performer_name = description.strip(), performer_name.strip()
    with transaction.atomic():
        plan = _locked_plan(goal.plan)
        _require_editable(plan)
        errors = {}
        if not description:
            errors["description"] = _("실행 내용을 적으세요.")
        if performer not in Performer.values:
            errors["performer"] = _("수행자를 고르세요.")
        if due_on is not None and due_on < case.opened_on:
            errors["due_on"] = _("기한은 사례 개시일 이후여야 합니다.")
        errors.update(_check_means(case=case, performer=performer, strength=strength, resource=resource))
        action = PlanAction(
            district_id=plan.district_id,
            goal=goal,
            description=description,
            performer=performer,
            performer_name=performer_name,
            due_on=due_on,
            strength=strength,
            resource=resource,
        )
        clean_fields(action, ["description", "performer_name"], errors=errors)
        action.save()
        audit_record(actor=actor, action=Action.CREATE, obj=action, case_id=case.pk, request=request)
    return action


def action_remove(*, actor: Actor, action: PlanAction, request: HttpRequest | None = None) -> None:
    """Remove an action from a plan still being written."""
    case = action.goal.plan.case
    _require_change(actor, case)
    with transaction.atomic():
        plan = _locked_plan(action.goal.plan)
        _require_editable(plan)
        action_uuid = action.uuid
        action.delete()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=plan,
            case_id=case.pk,
            request=request,
            detail=f"action -{action_uuid}",
        )


def action_set_status(
    *, actor: Actor, action: PlanAction, status: str, request: HttpRequest | None = None
) -> PlanAction:
    """Progress of an action (예정 → 진행 중 → 완료 / 취소), while the plan is being written or carried out."""
    case = action.goal.plan.case
    _require_change(actor, case)
    if status not in PlanAction.Status.values or status == PlanAction.Status.ENDED:  # ENDED: by closing only
        raise ValidationError({"status": _("알 수 없는 상태입니다.")})
    with transaction.atomic():
        plan = _locked_plan(action.goal.plan)
        if plan.status not in EDITABLE | {Status.ACTIVE}:
            raise ValidationError({"status": _("결재 중이거나 이전 판인 계획의 실행 상태는 바꿀 수 없습니다.")})
        previous = action.status
        action.status = status
        action.needs_review = action.needs_review and status in OPEN_ACTION  # finished: nothing to review
        action.save(update_fields=["status", "needs_review", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=action,
            case_id=case.pk,
            request=request,
            detail=f"status {previous} -> {status}",
        )
    return action


def action_review(
    *,
    actor: Actor,
    action: PlanAction,
    due_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> PlanAction:
    """An overdue action copied into a new version: confirm it as it is, or give it a new due date."""
    case = action.goal.plan.case
    _require_change(actor, case)
    with transaction.atomic():
        plan = _locked_plan(action.goal.plan)
        _require_editable(plan)
        action = PlanAction.objects.select_for_update().get(pk=action.pk)
        if due_on is not None:
            if due_on < timezone.localdate():
                raise ValidationError({"due_on": _("새 기한은 오늘 이후여야 합니다.")})
            action.due_on = due_on
        action.needs_review = False
        action.save(update_fields=["due_on", "needs_review", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=action,
            case_id=case.pk,
            request=request,
            detail="rescheduled" if due_on else "confirmed",
        )
    return action


def ask_record(
    *,
    actor: Actor,
    case: Case,
    whom: str,
    whom_role: str,
    method: str,
    asked_on: datetime.date,
    answer: str = Ask.Answer.PENDING,
    note: str = "",
    action: PlanAction | None = None,
    request: HttpRequest | None = None,
) -> Ask:
    """묻고 의논하고 부탁하기: who was asked (discussed with, asked for help), when, and their answer."""
    _require_change(actor, case)
    whom, note = whom.strip(), note.strip()
    errors = {}
    if not whom:
        errors["whom"] = _("누구에게 물었는지 적으세요.")
    if whom_role not in Performer.values:
        errors["whom_role"] = _("대상을 고르세요.")
    if method not in Ask.Method.values:
        errors["method"] = _("묻기, 의논하기, 부탁하기 중에서 고르세요.")
    if answer not in Ask.Answer.values:
        errors["answer"] = _("응답을 고르세요.")
    if asked_on > timezone.localdate():
        errors["asked_on"] = future_date_message()
    if action is not None:
        plan = action.goal.plan
        if plan.case_id != case.pk:
            errors["action"] = _("이 사례의 실행 계획이 아닙니다.")
        elif plan.status == Status.SUPERSEDED:
            errors["action"] = _("이전 판 계획의 실행에는 기록할 수 없습니다.")
    ask = Ask(
        district_id=case.district_id,
        case=case,
        action=action,
        whom=whom,
        whom_role=whom_role,
        method=method,
        asked_on=asked_on,
        answer=answer,
        note=note,
        recorded_by=actor.user,
    )
    clean_fields(ask, ["whom", "note"], errors=errors)
    with transaction.atomic():
        ask.save()
        audit_record(actor=actor, action=Action.CREATE, obj=ask, case_id=case.pk, request=request)
    return ask


def ask_answer(*, actor: Actor, ask: Ask, answer: str, request: HttpRequest | None = None) -> Ask:
    """Record the answer that came later (수락 / 거절 / 대기)."""
    _require_change(actor, ask.case)
    if answer not in Ask.Answer.values:
        raise ValidationError({"answer": _("응답을 고르세요.")})
    with transaction.atomic():
        previous = ask.answer
        ask.answer = answer
        ask.save(update_fields=["answer", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=ask,
            case_id=ask.case_id,
            request=request,
            detail=f"answer {previous} -> {answer}",
        )
    return ask


def plan_record_agreement(
    *,
    actor: Actor,
    plan: ServicePlan,
    agreed_on: datetime.date,
    method: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ServicePlan:
    """The person's agreement to the plan (당사자 동의): the date and how it was given."""
    _require_change(actor, plan.case)
    with transaction.atomic():
        plan = _locked_plan(plan, expected_version)
        _require_editable(plan)
        errors = {}
        if agreed_on > timezone.localdate():
            errors["agreed_on"] = future_date_message()
        elif agreed_on < plan.case.opened_on:
            errors["agreed_on"] = _(
                "동의일은 사례 개시일(%(date)s) 이후여야 합니다 — 그날 또는 그 뒤 날짜를 입력하세요"
            ) % {"date": plan.case.opened_on.isoformat()}
        if method not in ServicePlan.AgreementMethod.values:
            errors["method"] = _("동의 방법을 고르세요.")
        if errors:
            raise ValidationError(errors)
        plan.agreed_on, plan.agreement_method = agreed_on, method
        plan.save(update_fields=["agreed_on", "agreement_method", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="agreement"
        )
    return plan


def plan_submit(
    *, actor: Actor, plan: ServicePlan, expected_version: int | None = None, request: HttpRequest | None = None
) -> ServicePlan:
    """Submit the plan to the supervisor (결재 요청); where the district needs no approval, it is
    activated at once (the approval service calls the plan handler, ``plan_activate``)."""
    _require_change(actor, plan.case)
    with transaction.atomic():
        plan = _locked_plan(plan, expected_version)
        _require_editable(plan)
        goals = list(plan.goals.prefetch_related("actions"))
        errors: dict[str, list[str]] = {}
        if not goals:
            errors[NON_FIELD_ERRORS] = [_("목표가 하나 이상 있어야 합니다.")]
        elif without := [g for g in goals if not g.actions.all()]:
            errors[NON_FIELD_ERRORS] = [
                _("모든 목표에 실행 계획이 하나 이상 있어야 합니다: %(goals)s")
                % {"goals": ", ".join(f"‘{g.description[:30]}’" for g in without)}
            ]
        unreviewed = [a for g in goals for a in g.actions.all() if a.needs_review]
        if unreviewed:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("기한이 지난 실행 계획을 확인하거나 새 기한을 정하세요: %(actions)s")
                % {"actions": ", ".join(f"‘{a.description[:30]}’" for a in unreviewed)}
            )
        if not plan.agreed_on:
            errors["agreed_on"] = [_("당사자의 동의를 먼저 기록하세요.")]
        if errors:
            raise ValidationError(errors)
        plan.status = Status.SUBMITTED
        plan.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="submitted"
        )
        approval_submit(actor=actor, case=plan.case, kind=ApprovalKind.PLAN, plan=plan, request=request)
        plan.refresh_from_db()
    return plan


def plan_activate(*, actor: Actor, plan: ServicePlan, request: HttpRequest | None = None) -> ServicePlan:
    """Put a submitted plan into force (the approvals app calls this on approval).

    The previous ACTIVE version becomes SUPERSEDED; the reassessment date is set from the district's
    policy; a case waiting for its plan (planning, reassessment) moves on as the workflow says
    (to delivery, 서비스 제공 및 점검).
    """
    if not (can(actor, CHANGE_CASE, plan.case) or can(actor, APPROVE_CASE, plan.case)):
        raise PermissionDenied(_("이 사례의 서비스 계획을 확정할 권한이 없습니다."))
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != Status.SUBMITTED:
            raise ValidationError({NON_FIELD_ERRORS: _("결재 요청된 계획만 확정할 수 있습니다.")})
        superseded = ServicePlan.objects.filter(case_id=plan.case_id, status=Status.ACTIVE).exclude(pk=plan.pk)
        for old in superseded.select_for_update():
            old.status = Status.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])  # saved one by one: keeps the change history
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=old,
                case_id=plan.case_id,
                request=request,
                detail=f"superseded by v{plan.version}",
            )
        plan.status = Status.ACTIVE
        if plan.review_on is None:
            months = DistrictPolicy.for_district(plan.district_id).reassessment_months
            plan.review_on = add_months(timezone.localdate(), months)
        plan.save(update_fields=["status", "review_on", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="activated"
        )
        case = plan.case
        # A closure waiting for approval evaluated the goals of the plan this one replaces.
        approvals_cancel_pending(
            actor=actor,
            case=case,
            kinds=[ApprovalKind.CLOSURE],
            reason=_("시행 중인 서비스 계획이 바뀌어 취소되었습니다. 새 계획의 목표로 다시 평가하세요."),
            request=request,
        )
        to_stage = workflow.spec(case.stage).advances_on.get(ApprovalKind.PLAN)
        if to_stage:
            case_change_stage(
                actor=actor,
                case=case,
                to_stage=to_stage,
                reason=_("서비스 계획 확정"),
                approval=ApprovalKind.PLAN,
                request=request,
            )
    return plan


def plan_return(
    *, actor: Actor, plan: ServicePlan, comment: str = "", request: HttpRequest | None = None
) -> ServicePlan:
    """The supervisor returns a submitted plan (반려); it can be edited again.

    The comment itself is kept on the approval request (approvals app); the access log never holds free text.
    """
    if not (can(actor, CHANGE_CASE, plan.case) or can(actor, APPROVE_CASE, plan.case)):
        raise PermissionDenied(_("이 사례의 서비스 계획을 반려할 권한이 없습니다."))
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != Status.SUBMITTED:
            raise ValidationError({NON_FIELD_ERRORS: _("결재 요청된 계획만 반려할 수 있습니다.")})
        plan.status = Status.RETURNED
        plan.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="returned"
        )
    return plan


def plan_apply_approved(
    *, actor: Actor, case: Case, payload: dict, plan: ServicePlan | None, request: HttpRequest | None = None
) -> ServicePlan:
    """The plan approval handler: an approved (or not approval-bound) plan comes into force."""
    if plan is None or plan.case_id != case.pk:
        raise ValidationError({"plan": _("이 사례의 서비스 계획을 지정하세요.")})
    return plan_activate(actor=actor, plan=plan, request=request)


def plan_withdraw(
    *,
    actor: Actor,
    plan: ServicePlan | None,
    comment: str = "",
    returned: bool,
    request: HttpRequest | None = None,
) -> ServicePlan | None:
    """The plan approval ended unapplied: returned by the supervisor (반려), or recalled by its
    submitter or cancelled (a draft again, to be edited and resubmitted). The approvals service
    checked who may do that."""
    if plan is None:
        return None
    if returned:
        return plan_return(actor=actor, plan=plan, comment=comment, request=request)
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != Status.SUBMITTED:
            return plan
        plan.status = Status.DRAFT
        plan.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="withdrawn"
        )
    return plan


def plan_end_open_actions(
    *, actor: Actor, case: Case, from_stage: str, to_stage: str, request: HttpRequest | None = None
) -> int:
    """A case that stops being worked on (closed) ends its plan's open actions with the closure reason,
    so its plan no longer says "예정". Registered with the workflow (PlansConfig.ready)."""
    if workflow.spec(to_stage).open or not workflow.spec(from_stage).open:
        return 0
    actions = PlanAction.objects.filter(
        district_id=case.district_id,
        goal__plan__case_id=case.pk,
        goal__plan__status=Status.ACTIVE,
        status__in=OPEN_ACTION,
    )
    ended = actions.update(
        status=PlanAction.Status.ENDED, ended_reason=case.closure_reason, needs_review=False, updated_at=timezone.now()
    )
    if ended:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"{ended} actions ended",
        )
    return ended


def plan_approval_url(approval) -> str:
    """Where a plan request's plan is shown: that version of the plan (the inbox links there)."""
    return reverse("plans:version", args=[approval.case.uuid, approval.plan.version])


def plan_new_version(*, actor: Actor, case: Case, request: HttpRequest | None = None) -> ServicePlan:
    """재사정: a new DRAFT version copying the ACTIVE plan's goals and actions.

    Goals whose need is no longer selected (achieved, set aside, dropped) are not carried over.
    Finished actions stay finished; cancelled ones are left behind; open ones whose due date has
    passed are marked for review (the worker confirms or reschedules them before submitting).
    The summary starts as the old one's and is the new version's own to edit.
    The ACTIVE version stays in force until the new one is activated.
    """
    _require_change(actor, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        plans = ServicePlan.objects.filter(case=case)
        if case.stage in INACTIVE:
            raise ValidationError({NON_FIELD_ERRORS: _("종결되었거나 사후관리 중인 사례에는 계획을 세울 수 없습니다.")})
        if plans.filter(status__in=OPEN).exists():
            raise ValidationError({NON_FIELD_ERRORS: _("이미 작성 중이거나 결재 중인 계획이 있습니다.")})
        current = plans.filter(status=Status.ACTIVE).first()
        if current is None:
            raise ValidationError({NON_FIELD_ERRORS: _("시행 중인 계획이 없습니다. 새 계획을 만드세요.")})
        version = plans.aggregate(last=Max("version"))["last"] + 1
        plan = ServicePlan.objects.create(
            district_id=case.district_id,
            case=case,
            version=version,
            status=Status.DRAFT,
            summary=current.summary,
            created_by=actor.user,
        )
        still_selected = set(goal_needs(case=case).values_list("pk", flat=True))
        today = timezone.localdate()
        for goal in current.goals.prefetch_related("actions"):
            if goal.need_id not in still_selected:
                continue
            copy = Goal.objects.create(
                district_id=case.district_id,
                plan=plan,
                need_id=goal.need_id,
                description=goal.description,
                progress_measure=goal.progress_measure,
            )
            PlanAction.objects.bulk_create(
                [
                    PlanAction(
                        district_id=case.district_id,
                        goal=copy,
                        description=a.description,
                        strength_id=a.strength_id,
                        resource_id=a.resource_id,
                        performer=a.performer,
                        performer_name=a.performer_name,
                        due_on=a.due_on,
                        status=a.status,
                        needs_review=a.status in OPEN_ACTION and a.due_on is not None and a.due_on < today,
                    )
                    for a in goal.actions.all()
                    if a.status not in (PlanAction.Status.CANCELLED, PlanAction.Status.ENDED)
                ]
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=plan,
            case_id=case.pk,
            request=request,
            detail=f"v{version} from v{current.version}",
        )
    return plan


def plan_handover_record(
    *,
    actor: Actor,
    plan: ServicePlan,
    handover: str,
    handed_over_on: datetime.date,
    request: HttpRequest | None = None,
) -> ServicePlan:
    """How the person received their own plan (당사자용 계획서): handed, read aloud, sent, or declined."""
    _require_change(actor, plan.case)
    errors = {}
    if handover not in ServicePlan.Handover.values:
        errors["handover"] = _("전달 방법을 고르세요.")
    if handed_over_on is None or handed_over_on > timezone.localdate():
        errors["handed_over_on"] = _("전달일은 오늘이나 그 이전이어야 합니다 (예: 2026-12-04).")
    if errors:
        raise ValidationError(errors)
    plan.handover, plan.handed_over_on = handover, handed_over_on
    plan.save(update_fields=["handover", "handed_over_on", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=plan, case_id=plan.case_id, request=request, detail="handover")
    return plan


def goal_review_record(
    *,
    actor: Actor,
    goal: Goal,
    reviewed_on: datetime.date,
    attainment: int,
    occasion: str = GoalReview.Occasion.REVIEW,
    note: str = "",
    request: HttpRequest | None = None,
) -> GoalReview:
    """Rate a goal on the goal attainment scale (−2 … +2) at a review or at closure; ratings are kept
    over time (the latest one counts in the outcome figures)."""
    case = goal.plan.case
    _require_change(actor, case)
    errors = {}
    if attainment not in GoalReview.Attainment.values:
        errors["attainment"] = _("달성 정도를 −2부터 +2 사이에서 고르세요.")
    if occasion not in GoalReview.Occasion.values:
        errors["occasion"] = _("평가 시점을 고르세요.")
    if reviewed_on is None or reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("평가일은 오늘이나 그 이전이어야 합니다 (예: 2026-12-04).")
    elif reviewed_on < case.opened_on:
        errors["reviewed_on"] = _("평가일은 사례 개시일 이후여야 합니다.")
    if errors:
        raise ValidationError(errors)
    review = GoalReview.objects.create(
        district_id=goal.district_id,
        goal=goal,
        reviewed_on=reviewed_on,
        occasion=occasion,
        attainment=attainment,
        note=(note or "").strip(),
        recorded_by=actor.user,
    )
    audit_record(actor=actor, action=Action.CREATE, obj=review, case_id=case.pk, request=request)
    return review
