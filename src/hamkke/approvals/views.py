"""결재·종결 tab of a case, and the approval inbox (결재함). Thin: parse, call one service/selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkke.access.policy import APPROVE_CASE, CHANGE_CASE, can
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases import workflow
from hamkke.cases.selectors import case_get_for_actor, case_types_for_district
from hamkke.cases.workflow import Classification, Stage, can_enter
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404
from hamkke.districts.models import DistrictPolicy

from . import selectors, services
from .forms import ClassificationForm, ClosureForm, DecisionForm, RecallForm, ReopenForm
from .models import ApprovalRequest
from .payloads import describe

Kind = ApprovalRequest.Kind


def _get_case(request, uuid):
    return scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)


def _decision_form(approval, data=None) -> DecisionForm:
    return DecisionForm(data, auto_id=f"id_{approval.uuid.hex[:8]}_%s")


def _annotate(approvals, *, today, with_forms: bool = False, forms: dict | None = None) -> list:
    """Attach what the templates show: readable lines, days waiting, and a decision form."""
    forms = forms or {}
    for approval in approvals:
        approval.lines = describe(approval)
        # The decided thing itself (the plan), else the case's approvals tab.
        show = workflow.approval_handler(approval.kind).url
        approval.target_url = show(approval) if show else reverse("approvals:case", args=[approval.case.uuid])
        approval.days_waiting = selectors.days_waiting(approval, today)
        if with_forms and approval.status == ApprovalRequest.Status.PENDING:
            approval.decision_form = forms.get(approval.pk) or _decision_form(approval)
    return approvals


def _classification_form(case, data=None) -> ClassificationForm:
    initial = {"case_type": case.case_type_id, "crisis_level": case.crisis_level}
    return ClassificationForm(data, initial=initial, case_types=case_types_for_district(district_id=case.district_id))


def _closure_form(case, goals, data=None) -> ClosureForm:
    case_types = None
    if services.closure_needs_classification(case=case):
        case_types = case_types_for_district(district_id=case.district_id)
    return ClosureForm(data, goals=goals, case_types=case_types)


def _render_tab(request, case, **bound):
    actor = request.actor
    today = timezone.localdate()
    may_change = can(actor, CHANGE_CASE, case)
    policy = DistrictPolicy.for_district(case.district_id)
    history = _annotate(
        list(selectors.approvals_for_case(case=case)),
        today=today,
        with_forms=can(actor, APPROVE_CASE, case),
        forms=bound.get("decision_forms"),
    )
    pending = {a.kind for a in history if a.status == ApprovalRequest.Status.PENDING}
    plan, goals = workflow.active_plan_goals(case=case)
    context = {
        "case": case,
        "may_change": may_change,
        "policy": policy,
        "history": history,
        "pending": pending,
        "active_plan": plan,
        "classification_form": None,
        "closure_form": None,
        "reopen_form": None,
        "follow_up": [
            {"slot": slot, "overdue": slot.overdue(today)}
            for slot in selectors.follow_up_schedule(case=case, policy=policy)
        ],
        "can_start_follow_up": may_change and case.stage == Stage.CLOSED,
    }
    if may_change:
        if workflow.spec(case.stage).classification != Classification.NO and Kind.CLASSIFICATION not in pending:
            context["classification_form"] = bound.get("classification_form") or _classification_form(case)
        if can_enter(case.stage, Stage.CLOSED) and Kind.CLOSURE not in pending:
            context["closure_form"] = bound.get("closure_form") or _closure_form(case, goals)
        if not workflow.spec(case.stage).open:
            context["reopen_form"] = bound.get("reopen_form") or ReopenForm()
    members = list(case.household.members.all())
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in members],
        request=request,
        detail="approvals tab",
    )
    return render(request, "approvals/case.html", context)


@require_GET
def case_tab(request, uuid):
    return _render_tab(request, _get_case(request, uuid))


@require_POST
def case_classify(request, uuid):
    case = _get_case(request, uuid)
    form = _classification_form(case, request.POST)
    if form.is_valid():
        try:
            approval = services.classification_submit(
                actor=request.actor,
                case=case,
                case_type=form.cleaned_data["case_type"],
                crisis_level=form.cleaned_data["crisis_level"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("사례 구분 결재를 요청했습니다.") if approval else _("사례 구분을 정했습니다."))
            return redirect("approvals:case", uuid=case.uuid)
    return _render_tab(request, case, classification_form=form)


@require_POST
def case_close(request, uuid):
    case = _get_case(request, uuid)
    _plan, goals = workflow.active_plan_goals(case=case)
    form = _closure_form(case, goals, request.POST)
    if form.is_valid():
        try:
            approval = services.closure_submit(
                actor=request.actor,
                case=case,
                closure_reason=form.cleaned_data["closure_reason"],
                evaluation=form.cleaned_data["evaluation"],
                goal_evaluations=form.goal_evaluations(),
                case_type=form.cleaned_data.get("case_type"),
                crisis_level=form.cleaned_data.get("crisis_level", ""),
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("종결 결재를 요청했습니다.") if approval else _("사례를 종결했습니다."))
            return redirect("approvals:case", uuid=case.uuid)
    return _render_tab(request, case, closure_form=form)


@require_POST
def case_follow_up(request, uuid):
    case = _get_case(request, uuid)
    try:
        services.follow_up_start(actor=request.actor, case=case, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("사후관리 단계로 옮겼습니다."))
    return redirect("approvals:case", uuid=case.uuid)


@require_POST
def case_reopen(request, uuid):
    case = _get_case(request, uuid)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.case_reopen(actor=request.actor, case=case, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("사례를 재개했습니다. 접수 단계부터 이어집니다."))
            return redirect("approvals:case", uuid=case.uuid)
    return _render_tab(request, case, reopen_form=form)


def _render_inbox(request, forms=None):
    actor = request.actor
    today = timezone.localdate()
    pending = _annotate(list(selectors.approval_inbox(actor=actor)), today=today, with_forms=True, forms=forms)
    mine = _annotate(selectors.approvals_submitted_by(actor=actor), today=today)
    heads = [a.case.household.head for a in pending + mine]
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="approvalrequest",
        request=request,
        person_ids=[h.pk for h in heads if h],
        detail=f"{len(pending)} pending, {len(mine)} mine",
    )
    return render(request, "approvals/inbox.html", {"pending": pending, "mine": mine})


@require_GET
def inbox(request):
    return _render_inbox(request)


@require_POST
def decide(request, uuid):
    """Approve or return. A worker of the team reaches the request but is refused (403) by the service."""
    approval = scoped_or_404(request, selectors.approval_get_for_actor, object_type="approvalrequest", uuid=uuid)
    form = _decision_form(approval, request.POST)
    if form.is_valid():
        try:
            approval = services.approval_decide(
                actor=request.actor,
                approval=approval,
                approve=form.approve,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.htmx:
                row = _annotate([approval], today=timezone.localdate())[0]
                return render(request, "approvals/_pending_row.html", {"approval": row, "decided": True})
            done = _("승인했습니다.") if approval.status == ApprovalRequest.Status.APPROVED else _("반려했습니다.")
            messages.success(request, done)
            target = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
            return redirect("approvals:inbox")
    if request.htmx:
        row = _annotate([approval], today=timezone.localdate(), with_forms=True, forms={approval.pk: form})[0]
        return render(request, "approvals/_pending_row.html", {"approval": row})
    if approval.status != ApprovalRequest.Status.PENDING:  # decided meanwhile: no form left to show
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("approvals:inbox")
    # What the supervisor typed comes back, with the reason it was refused.
    return _render_inbox(request, forms={approval.pk: form})


@require_POST
def recall(request, uuid):
    """회수: the submitter takes back a pending request (the service refuses anyone else)."""
    approval = scoped_or_404(request, selectors.approval_get_for_actor, object_type="approvalrequest", uuid=uuid)
    form = RecallForm(request.POST)
    if form.is_valid():
        try:
            services.approval_recall(
                actor=request.actor, approval=approval, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("결재 요청을 회수했습니다. 고쳐서 다시 올릴 수 있습니다."))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("approvals:inbox")
