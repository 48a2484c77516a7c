"""Conference and task views: thin — parse input, call one selector or service, render."""

import uuid as uuid_lib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkke.access.policy import VIEW_CASE
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import picker_options, scoped_or_404

from . import selectors, services
from .forms import (
    CaseAddForm,
    ConferenceFilterForm,
    ConferenceScheduleForm,
    DecisionForm,
    DiscussionForm,
    MinutesForm,
    TaskCancelForm,
    TaskCompleteForm,
)
from .models import Conference, Task

PAGE_SIZE = 20
UPCOMING_SHOWN = 100


def _conference(request, uuid) -> Conference:
    return scoped_or_404(request, selectors.conference_get_for_actor, object_type="conference", uuid=uuid)


def _task(request, uuid) -> Task:
    return scoped_or_404(request, selectors.task_get_for_actor, object_type="task", uuid=uuid)


def _audit_cases_shown(request, cases, detail: str) -> None:
    """One access-log row per case whose content (name, discussion, task) is on the page."""
    for case in cases:
        audit_record(
            actor=request.actor,
            action=Action.VIEW,
            obj=case,
            case_id=case.pk,
            person_ids=[p.pk for p in case.household.members.all()],
            request=request,
            detail=detail,
        )


def conference_url(conference) -> str:
    return reverse("conferences:detail", args=[conference.uuid])


def _complete_form(row, failed=None):
    if failed is not None and failed[0] == row.task.pk:
        return failed[1]
    return TaskCompleteForm(auto_id=f"task-{row.task.reference}-%s")


@require_GET
def conference_list(request):
    actor = request.actor
    form = ConferenceFilterForm(request.GET or None)
    kind = form.kind_value()
    upcoming = selectors.conference_list_for_actor(actor=actor, kind=kind, upcoming=True)[:UPCOMING_SHOWN]
    past = Paginator(selectors.conference_list_for_actor(actor=actor, kind=kind, upcoming=False), PAGE_SIZE)
    return render(
        request,
        "conferences/list.html",
        {
            "form": form,
            "upcoming": upcoming,
            "past": past.get_page(request.GET.get("page")),
            "may_schedule": services.may_schedule(actor),
        },
    )


def _case_from(request, value):
    """The case a new conference starts from (``?case=`` or the form's ``case``), read through the VIEW scope."""
    if not value:
        return None
    try:
        key = uuid_lib.UUID(str(value))
    except ValueError:
        raise Http404 from None
    return scoped_or_404(request, case_get_for_actor, object_type="case", uuid=key, permission=VIEW_CASE)


@require_http_methods(["GET", "POST"])
def conference_new(request):
    actor = request.actor
    if not services.may_schedule(actor):
        raise PermissionDenied
    case = _case_from(request, request.POST.get("case") if request.method == "POST" else request.GET.get("case"))
    if request.method == "POST" and "refresh" in request.POST:  # no-JS: redraw the attendee list, save nothing
        form = ConferenceScheduleForm.refreshed(request.POST, actor=actor, case=case)
    else:
        form = ConferenceScheduleForm(request.POST or None, actor=actor, case=case)
        if request.method == "POST" and form.is_valid():
            try:
                conference = services.conference_schedule(actor=actor, request=request, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("회의를 등록했습니다."))
                return redirect("conferences:detail", uuid=conference.uuid)
    if case is not None:
        _audit_cases_shown(request, [case], detail="new conference for the case")
    return render(request, "conferences/form.html", {"form": form, "case": case})


@require_POST
def attendee_options(request):
    """htmx: the agencies taking part and their workers, after an agency was picked or un-ticked."""
    if not services.may_schedule(request.actor):
        raise PermissionDenied
    form = ConferenceScheduleForm.refreshed(request.POST, actor=request.actor)
    return render(request, "conferences/_attendance.html", {"form": form})


@require_GET
def pick_agency(request):
    """Options of the schedule form's agency picker: the active agencies of the actor's district."""
    if not services.may_schedule(request.actor):
        raise PermissionDenied
    return picker_options(request, lambda q, limit: selectors.agency_options(actor=request.actor, query=q, limit=limit))


def _case_tab(request, case, *, status: int = 200):
    actor = request.actor
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in case.household.members.all()],
        request=request,
        detail="conferences tab",
    )
    context = {
        "case": case,
        "rows": selectors.conferences_of_case(actor=actor, case=case),
        "upcoming": selectors.conferences_to_bring_case(actor=actor, case=case),
        "may_bring": services.may_bring_cases(actor),
        "may_schedule": services.may_schedule(actor),
    }
    return render(request, "conferences/case_tab.html", context, status=status)


@require_GET
def case_tab(request, uuid):
    """The case's conferences: where it was discussed, and the upcoming ones it can be put on."""
    return _case_tab(request, scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid))


@require_POST
def case_bring(request, uuid):
    """Put the case on the table of an upcoming conference chosen on the case's conference tab."""
    actor = request.actor
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)
    if not services.may_bring_cases(actor):
        raise PermissionDenied
    choices = {str(c.uuid): c for c in selectors.conferences_to_bring_case(actor=actor, case=case)}
    conference = choices.get(request.POST.get("conference", ""))
    if conference is None:
        messages.error(request, _("사례를 올릴 회의를 목록에서 고르세요."))
        return _case_tab(request, case, status=400)
    try:
        services.conference_add_case(actor=actor, conference=conference, case=case, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _case_tab(request, case, status=400)
    messages.success(request, _("‘%(title)s’ 회의에 사례를 올렸습니다.") % {"title": conference.title})
    return redirect(f"{conference_url(conference)}#case-{case.reference}")


def _detail(
    request, conference, *, minutes_form=None, decision_form=None, discussion_failed=None, complete_failed=None
):
    actor = request.actor
    page = selectors.conference_page(actor=actor, conference=conference)
    _audit_cases_shown(request, page.shown_cases, detail=f"conference {conference.reference}")
    open_for_work = conference.status != Conference.Status.CANCELLED
    if page.may_manage and open_for_work:
        minutes_form = minutes_form or MinutesForm(conference=conference)
        decision_form = decision_form or DecisionForm(
            conference=conference,
            agency_ids=[a.pk for a in page.agencies],
            cases=[d.case for d in page.discussed if d.case is not None],
        )
    may_discuss = open_for_work and (page.may_manage or page.may_add_case)
    for item in page.discussed:
        failed = discussion_failed if discussion_failed and discussion_failed[0] == item.item.pk else None
        item.form = (
            (
                failed[1]
                if failed
                else DiscussionForm(
                    initial={"discussion": item.item.discussion}, auto_id=f"case-{item.case.reference}-%s"
                )
            )
            if may_discuss and item.visible
            else None
        )
    for row in page.tasks:
        row.form = _complete_form(row, complete_failed) if row.may_complete else None
    return render(
        request,
        "conferences/detail.html",
        {
            "page": page,
            "conference": conference,
            "minutes_form": minutes_form,
            "decision_form": decision_form,
            "cancel_form": TaskCancelForm(),
            "hidden_label": _("비공개 사례 (권한 없음)"),
        },
    )


@require_GET
def conference_detail(request, uuid):
    return _detail(request, _conference(request, uuid))


@require_POST
def conference_record(request, uuid):
    conference = _conference(request, uuid)
    form = MinutesForm(request.POST, conference=conference)
    if form.is_valid():
        try:
            services.conference_record(
                actor=request.actor, conference=conference, request=request, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("회의록을 저장했습니다."))
            return redirect("conferences:detail", uuid=conference.uuid)
    return _detail(request, conference, minutes_form=form)


@require_POST
def conference_cancel(request, uuid):
    conference = _conference(request, uuid)
    try:
        services.conference_cancel(actor=request.actor, conference=conference, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("회의를 취소했습니다."))
    return redirect("conferences:detail", uuid=conference.uuid)


@require_http_methods(["GET", "POST"])
def case_add(request, uuid):
    """Bring a case to the table: the choice lists the cases the actor may VIEW (a list read: audited)."""
    actor = request.actor
    conference = _conference(request, uuid)
    if not services.may_add_case(actor, conference):
        raise PermissionDenied
    cases = list(selectors.cases_addable(actor=actor, conference=conference))
    form = CaseAddForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_add_case(
                actor=actor,
                conference=conference,
                case=form.cleaned_data["case"],
                discussion=form.cleaned_data["discussion"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("논의 사례를 추가했습니다."))
            return redirect("conferences:detail", uuid=conference.uuid)
    heads = [c.household.head for c in cases]
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="case",
        request=request,
        person_ids=[h.pk for h in heads if h],
        detail=f"conference {conference.reference}: case choice",
    )
    template = "conferences/_case_add_form.html" if request.htmx else "conferences/case_add.html"
    return render(request, template, {"conference": conference, "form": form})


@require_POST
def case_discussion(request, uuid, case_uuid):
    conference = _conference(request, uuid)
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=case_uuid, permission=VIEW_CASE)
    form = DiscussionForm(request.POST, auto_id=f"case-{case.reference}-%s")
    if form.is_valid():
        try:
            item = services.conference_case_discuss(
                actor=request.actor,
                conference=conference,
                case=case,
                discussion=form.cleaned_data["discussion"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("논의 내용을 저장했습니다."))
            return redirect(f"{conference_url(conference)}#case-{item.case.reference}")
    item = conference.discussed.filter(case=case).first()
    return _detail(request, conference, discussion_failed=(item.pk, form) if item else None)


@require_POST
def decision_add(request, uuid):
    conference = _conference(request, uuid)
    page = selectors.conference_page(actor=request.actor, conference=conference)
    form = DecisionForm(
        request.POST,
        conference=conference,
        agency_ids=[a.pk for a in page.agencies],
        cases=[d.case for d in page.discussed if d.case is not None],
    )
    if form.is_valid():
        try:
            services.decision_to_task(
                actor=request.actor, conference=conference, request=request, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("결정 사항을 과제로 등록했습니다."))
            return redirect(f"{conference_url(conference)}#tasks")
    return _detail(request, conference, decision_form=form)


@require_GET
def task_list(request):
    return _tasks_page(request)


def _tasks_page(request, complete_failed=None):
    actor = request.actor
    tasks = selectors.task_list_for_actor(actor=actor)
    shown = tasks.shown_cases
    if shown:
        heads = [c.household.head for c in shown]
        audit_record(
            actor=actor,
            action=Action.LIST,
            object_type="task",
            request=request,
            person_ids=[h.pk for h in heads if h],
            detail=f"{len(tasks.open)} open tasks",
        )
    for row in tasks.open:
        row.form = _complete_form(row, complete_failed) if row.may_complete else None
    return render(request, "conferences/tasks.html", {"tasks": tasks, "hidden_label": _("비공개 사례 (권한 없음)")})


@require_POST
def task_complete(request, uuid):
    task = _task(request, uuid)
    form = TaskCompleteForm(request.POST, auto_id=f"task-{task.reference}-%s")
    back_to_conference = request.POST.get("back") == "conference"
    if form.is_valid():
        try:
            services.task_complete(actor=request.actor, task=task, note=form.cleaned_data["note"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("과제를 완료했습니다."))
            if back_to_conference:
                return redirect(f"{conference_url(task.conference)}#tasks")
            return redirect("conferences:tasks")
    if back_to_conference:
        return _detail(request, _conference(request, task.conference.uuid), complete_failed=(task.pk, form))
    return _tasks_page(request, complete_failed=(task.pk, form))


@require_POST
def task_cancel(request, uuid):
    task = _task(request, uuid)
    form = TaskCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.task_cancel(actor=request.actor, task=task, reason=reason, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("과제를 취소했습니다."))
    return redirect(f"{conference_url(task.conference)}#tasks")
