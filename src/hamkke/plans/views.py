"""Service plan tab of a case: thin views — parse input, call a service, render the plan page again.

Every write answers with a redirect (POST-redirect-GET) or, on an error, the page with the form as
typed and the reason.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE, can
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import apply_service_errors
from hamkke.core.locking import VERSION_MISSING
from hamkke.core.views import scoped_or_404
from hamkke.reports.pdf import KoreanFontMissing
from hamkke.resources.selectors import SOURCES, resource_proposals

from . import selectors, services
from .forms import (
    ActionForm,
    ActionReviewForm,
    ActionStatusForm,
    AgreementForm,
    AskAnswerForm,
    AskForm,
    GoalForm,
    SummaryForm,
)
from .models import Ask, Goal, GoalReview, PlanAction, ServicePlan
from .own_plan import own_plan
from .own_plan_pdf import own_plan_pdf

EDITABLE, STATUS_CHANGEABLE = services.EDITABLE, services.EDITABLE | {ServicePlan.Status.ACTIVE}


def _case(request, uuid, permission=VIEW_CASE):
    return scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=permission)


def _plan_url(case, anchor: str = "", goal: Goal | None = None) -> str:
    """The plan page; with ``goal``, its action form stays on that goal (to add the next action)."""
    query = f"?goal={goal.pk}" if goal else ""
    return reverse("plans:case", args=[case.uuid]) + query + (f"#{anchor}" if anchor else "")


def _chosen_goal(plan: ServicePlan | None, raw) -> Goal | None:
    if plan is None or not raw:
        return None
    try:
        return selectors.plan_goal(plan=plan, goal_id=int(raw))
    except (ValueError, TypeError, Goal.DoesNotExist):
        return None


def _proposal_groups(proposals) -> list[dict]:
    """Proposals grouped by source, in the DOMAIN.md §4 order, same life domain first within each."""
    groups = []
    for source in SOURCES:
        items = [p for p in proposals if p.source == source]
        if items:
            groups.append(
                {
                    "source": source,
                    "label": items[0].source_label,
                    "matching": [p for p in items if p.same_domain],
                    "others": [p for p in items if not p.same_domain],
                }
            )
    return groups


def _action_form(request, case, plan, goals, data=None, goal_raw=None) -> ActionForm:
    goal = _chosen_goal(plan, goal_raw) or (goals[0] if goals else None)
    proposals = resource_proposals(actor=request.actor, case=case, need=goal.need) if goal else []
    return ActionForm(
        data, goals=plan.goals.select_related("need"), proposals=proposals, initial={"goal": goal.pk if goal else None}
    )


def _render(
    request,
    case,
    plan: ServicePlan | None,
    *,
    readonly: bool = False,
    forms: dict | None = None,
    ask_forms: dict | None = None,
    errors: dict | None = None,
):
    """The plan page (the latest version, or any version read-only).

    ``forms`` (bound, with errors) replace the blank ones; ``ask_forms`` are keyed by action uuid
    (None: an ask not tied to an action); ``errors`` are messages for the create and submit buttons.
    """
    actor = request.actor
    forms, ask_forms, errors = forms or {}, ask_forms or {}, errors or {}
    may_change = can(actor, CHANGE_CASE, case) and not readonly
    editable = may_change and plan is not None and plan.status in EDITABLE
    goals = list(plan.goals.all()) if plan else []
    rows = []
    for goal in goals:
        actions = []
        for action in goal.actions.all():
            actions.append(
                {
                    "action": action,
                    "ask_form": ask_forms.get(action.uuid) or (AskForm(action=action) if may_change else None),
                    "status_form": ActionStatusForm(initial={"status": action.status}),
                }
            )
        rows.append({"goal": goal, "actions": actions})
    members = list(case.household.members.all())
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in members],
        request=request,
        detail=f"plan v{plan.version}" if plan else "plan",
    )
    context = {
        "case": case,
        "plan": plan,
        "readonly": readonly,
        "versions": selectors.plan_versions(case=case),
        "rows": rows,
        "may_change": may_change,
        "editable": editable,
        "status_changeable": may_change and plan is not None and plan.status in STATUS_CHANGEABLE,
        "attainment_choices": GoalReview.Attainment.choices,
        "occasion_choices": GoalReview.Occasion.choices,
        "today": timezone.localdate(),
        "needs": selectors.goal_needs(case=case),
        "general_asks": selectors.asks_without_action(case=case),
        "ask_form": ask_forms.get(None) or (AskForm() if may_change else None),
        "answer_form": AskAnswerForm(),
        "return_comment": selectors.plan_return_comment(plan=plan) if plan else "",
        "referral_only": bool(case.case_type and case.case_type.referral_only),
    }
    if editable:
        context["goal_form"] = forms.get("goal") or GoalForm(needs=context["needs"])
        context["agreement_form"] = forms.get("agreement") or AgreementForm(plan=plan)
        context["submit_errors"] = errors.get("submit")
        if goals:
            action_form = forms.get("action") or _action_form(
                request, case, plan, goals, goal_raw=request.GET.get("goal")
            )
            context["action_form"] = action_form
            context["proposal_groups"] = _proposal_groups(action_form.proposals)
    context["create_errors"] = errors.get("create")
    return render(request, "plans/plan.html", context)


@require_GET
def plan_case(request, uuid):
    case = _case(request, uuid)
    return _render(request, case, selectors.plan_detail(actor=request.actor, case=case))


@require_GET
def plan_version(request, uuid, version: int):
    case = _case(request, uuid)
    try:
        plan = selectors.plan_detail(actor=request.actor, case=case, version=version)
    except ServicePlan.DoesNotExist:
        raise Http404 from None
    return _render(request, case, plan, readonly=True)


@require_GET
def plan_proposals(request, uuid):
    """htmx: the proposals for the chosen goal's need, as radio buttons of the action form."""
    case = _case(request, uuid, CHANGE_CASE)
    plan = selectors.plan_latest(case=case)
    goal = _chosen_goal(plan, request.GET.get("goal"))
    if goal is None:
        raise Http404
    proposals = resource_proposals(actor=request.actor, case=case, need=goal.need)
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        request=request,
        person_ids=[p.pk for p in case.household.members.all()],
        detail="plan proposals",
    )
    form = ActionForm(goals=plan.goals.select_related("need"), proposals=proposals, initial={"goal": goal.pk})
    return render(
        request,
        "plans/_proposals.html",
        {
            "case": case,
            "proposal_groups": _proposal_groups(proposals),
            "action_form": form,
            "goal": goal,
        },
    )


def _service_error_page(request, case, key: str, form, error: ValidationError):
    apply_service_errors(form, error)
    return _render(request, case, selectors.plan_detail(actor=request.actor, case=case), forms={key: form})


@require_POST
def plan_create_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    try:
        services.plan_create(actor=request.actor, case=case, request=request)
    except ValidationError as error:
        return _render(
            request, case, selectors.plan_detail(actor=request.actor, case=case), errors={"create": error.messages}
        )
    messages.success(request, _("서비스 계획(1판)을 만들었습니다. 목표와 실행 계획을 적으세요."))
    return redirect(_plan_url(case))


@require_POST
def plan_new_version_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    try:
        plan = services.plan_new_version(actor=request.actor, case=case, request=request)
    except ValidationError as error:
        return _render(
            request, case, selectors.plan_detail(actor=request.actor, case=case), errors={"create": error.messages}
        )
    messages.success(
        request, _("재사정: 계획 %(v)s판을 만들었습니다. 확정될 때까지 이전 판이 시행됩니다.") % {"v": plan.version}
    )
    return redirect(_plan_url(case))


@require_POST
def goal_add_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    plan = selectors.plan_latest(case=case)
    if plan is None:
        raise Http404
    form = GoalForm(request.POST, needs=selectors.goal_needs(case=case))
    if form.is_valid():
        try:
            services.goal_add(actor=request.actor, plan=plan, request=request, **form.cleaned_data)
        except ValidationError as error:
            return _service_error_page(request, case, "goal", form, error)
        messages.success(request, _("목표를 추가했습니다."))
        return redirect(_plan_url(case, "goals"))
    return _render(request, case, selectors.plan_detail(actor=request.actor, case=case), forms={"goal": form})


@require_POST
def goal_remove_view(request, uuid, goal_id: int):
    case = _case(request, uuid, CHANGE_CASE)
    goal = _chosen_goal(selectors.plan_latest(case=case), goal_id)
    if goal is None:
        raise Http404
    try:
        services.goal_remove(actor=request.actor, goal=goal, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("목표를 지웠습니다."))
    return redirect(_plan_url(case, "goals"))


@require_POST
def action_add_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    plan = selectors.plan_detail(actor=request.actor, case=case)
    if plan is None:
        raise Http404
    goals = list(plan.goals.all())
    form = _action_form(request, case, plan, goals, data=request.POST, goal_raw=request.POST.get("goal"))
    if form.is_valid():
        try:
            action = services.action_add(actor=request.actor, request=request, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("실행 계획을 추가했습니다."))
            return redirect(_plan_url(case, f"action-{action.uuid}", goal=action.goal))
    return _render(request, case, plan, forms={"action": form})


def _action(case, action_uuid) -> PlanAction:
    try:
        return selectors.plan_action(case=case, uuid=action_uuid)
    except (PlanAction.DoesNotExist, ValidationError):  # ValidationError: not a UUID (a hidden field edited)
        raise Http404 from None


@require_POST
def action_remove_view(request, uuid, action_uuid):
    case = _case(request, uuid, CHANGE_CASE)
    try:
        services.action_remove(actor=request.actor, action=_action(case, action_uuid), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("실행 계획을 지웠습니다."))
    return redirect(_plan_url(case, "goals"))


@require_POST
def action_status_view(request, uuid, action_uuid):
    case = _case(request, uuid, CHANGE_CASE)
    action = _action(case, action_uuid)
    form = ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"status": _("알 수 없는 상태입니다.")})
        services.action_set_status(
            actor=request.actor, action=action, status=form.cleaned_data["status"], request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("실행 상태를 바꿨습니다."))
    return redirect(_plan_url(case, f"action-{action.uuid}"))


@require_POST
def ask_add_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    action = _action(case, request.POST["action"]) if request.POST.get("action") else None
    form = AskForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.ask_record(actor=request.actor, case=case, action=action, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("묻고 의논하고 부탁한 내용을 기록했습니다."))
            return redirect(_plan_url(case, f"action-{action.uuid}" if action else "asks"))
    return _render(
        request,
        case,
        selectors.plan_detail(actor=request.actor, case=case),
        ask_forms={action.uuid if action else None: form},
    )


@require_POST
def ask_answer_view(request, uuid, ask_id: int):
    case = _case(request, uuid, CHANGE_CASE)
    try:
        ask = selectors.case_ask(case=case, ask_id=ask_id)
    except Ask.DoesNotExist:
        raise Http404 from None
    form = AskAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"answer": _("응답을 고르세요.")})
        services.ask_answer(actor=request.actor, ask=ask, answer=form.cleaned_data["answer"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("응답을 기록했습니다."))
    return redirect(_plan_url(case, f"action-{ask.action.uuid}" if ask.action_id else "asks"))


@require_POST
def agreement_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    plan = selectors.plan_latest(case=case)
    if plan is None:
        raise Http404
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            services.plan_record_agreement(actor=request.actor, plan=plan, request=request, **form.cleaned_data)
        except ValidationError as error:
            return _service_error_page(request, case, "agreement", form, error)
        messages.success(request, _("당사자의 동의를 기록했습니다."))
        return redirect(_plan_url(case, "agreement"))
    return _render(request, case, selectors.plan_detail(actor=request.actor, case=case), forms={"agreement": form})


@require_POST
def plan_submit_view(request, uuid):
    case = _case(request, uuid, CHANGE_CASE)
    plan = selectors.plan_latest(case=case)
    if plan is None:
        raise Http404
    expected_version = _int_or_none(request.POST.get("expected_version"))
    if expected_version is None:  # without it the lost-update check would be skipped
        return _render(
            request,
            case,
            selectors.plan_detail(actor=request.actor, case=case),
            errors={"submit": [str(VERSION_MISSING)]},
        )
    try:
        plan = services.plan_submit(actor=request.actor, plan=plan, request=request, expected_version=expected_version)
    except ValidationError as error:
        return _render(
            request, case, selectors.plan_detail(actor=request.actor, case=case), errors={"submit": error.messages}
        )
    if plan.status == ServicePlan.Status.ACTIVE:
        messages.success(request, _("서비스 계획을 확정했습니다."))
    else:
        messages.success(request, _("서비스 계획의 결재를 요청했습니다."))
    return redirect(_plan_url(case))


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def goal_review_view(request, uuid, goal_id: int):
    """목표 달성 평가: rate a goal of the latest plan on the attainment scale."""
    case = _case(request, uuid, CHANGE_CASE)
    goal = _chosen_goal(selectors.plan_latest(case=case), goal_id)
    if goal is None:
        raise Http404
    try:
        reviewed_on = datetime.date.fromisoformat(request.POST.get("reviewed_on", ""))
    except ValueError:
        reviewed_on = None
    try:
        attainment = int(request.POST.get("attainment", ""))
    except ValueError:
        attainment = None
    try:
        services.goal_review_record(
            actor=request.actor,
            goal=goal,
            reviewed_on=reviewed_on,
            attainment=attainment,
            occasion=request.POST.get("occasion") or GoalReview.Occasion.REVIEW,
            note=request.POST.get("note", "")[:2000],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("목표 달성 정도를 기록했습니다."))
    return redirect(_plan_url(case, "goals", goal))


# --- the person's own plan (당사자용 계획서) ------------------------------------------------------


def _own_plan_case(request, uuid):
    """The lead agency's team makes and hands over the person's plan (it reads the whole plan)."""
    case = _case(request, uuid, permission=CHANGE_CASE)
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in case.household.members.all()],
        request=request,
        detail="own plan",
    )
    return case


@require_GET
def own_plan_view(request, uuid):
    case = _own_plan_case(request, uuid)
    context = {
        "case": case,
        "own": own_plan(actor=request.actor, case=case),
        "may_change": True,
        "handover_choices": ServicePlan.Handover.choices,
        "today": timezone.localdate(),
    }
    return render(request, "plans/own_plan.html", context)


@require_GET
def own_plan_pdf_view(request, uuid):
    case = _own_plan_case(request, uuid)
    own = own_plan(actor=request.actor, case=case)
    if own is None:
        raise Http404
    try:
        content = own_plan_pdf(own)
    except KoreanFontMissing as missing:
        return render(request, "reports/font_missing.html", {"configured": missing.configured}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def own_plan_handover_view(request, uuid):
    case = _own_plan_case(request, uuid)
    own = own_plan(actor=request.actor, case=case)
    if own is None:
        raise Http404
    try:
        handed_over_on = datetime.date.fromisoformat(request.POST.get("handed_over_on", ""))
    except ValueError:
        handed_over_on = None
    try:
        services.plan_handover_record(
            actor=request.actor,
            plan=own.plan,
            handover=request.POST.get("handover", ""),
            handed_over_on=handed_over_on,
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("당사자용 계획서를 어떻게 전했는지 기록했습니다."))
    return redirect("plans:own_plan", case.uuid)


@require_POST
def summary_view(request, uuid):
    """계획 요지 of the version being written (each version has its own)."""
    case = _case(request, uuid, CHANGE_CASE)
    plan = selectors.plan_latest(case=case)
    if plan is None:
        raise Http404
    form = SummaryForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"summary": _("계획 요지가 너무 깁니다.")})
        services.plan_update_summary(
            actor=request.actor,
            plan=plan,
            summary=form.cleaned_data["summary"],
            expected_version=form.cleaned_data["expected_version"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("계획 요지를 고쳤습니다."))
    return redirect(_plan_url(case, "plan-head"))


@require_POST
def action_review_view(request, uuid, action_uuid):
    """Confirm an overdue action carried into a new version, or reschedule it."""
    case = _case(request, uuid, CHANGE_CASE)
    action = _action(case, action_uuid)
    form = ActionReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"due_on": _("날짜를 YYYY-MM-DD 형식으로 넣으세요.")})
        services.action_review(actor=request.actor, action=action, due_on=form.cleaned_data["due_on"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("실행 계획의 기한을 확인했습니다."))
    return redirect(_plan_url(case, f"action-{action.uuid}"))
