"""Dashboards, the figures table, exports and case stories. Thin: parse, call one selector or service, render.

Figures outside the actor's scope raise PermissionDenied in the selectors (-> the 403 page); a
case or story outside the scope answers 404 through ``scoped_or_404`` like every case page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import APPROVE_CASE, CHANGE_CASE, DISTRICT_WIDE, can, may
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.downloads import download_response
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import outcomes, selectors, services
from .balance import caseload_balance, orphan_cases
from .charts import charts_for, heat_level
from .forms import PeriodForm, ServiceExportForm, StoryCaseForm, StoryDecisionForm, StoryEditForm
from .models import CaseStory
from .pdf import KoreanFontMissing


def _download(export: services.ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _query(form: PeriodForm) -> str:
    return urlencode(form.query(), doseq=True)


def _dong_heat(stats) -> list[dict]:
    top = {
        name: max([getattr(d, name) for d in stats.dongs] or [0])
        for name in ("households_new", "cases_active", "services", "amount")
    }
    return [
        {"row": d, **{f"{name}_heat": heat_level(getattr(d, name), top[name]) for name in top}} for d in stats.dongs
    ]


def dashboard(request):
    form = PeriodForm(request.GET or None, actor=request.actor)
    board = selectors.dashboard_for_actor(actor=request.actor, period=form.chosen_period, agency_ids=form.agency_ids)
    context = {
        "form": form,
        "board": board,
        "stats": board.stats,
        "charts": charts_for(board),
        "dongs": _dong_heat(board.stats),
        "query": _query(form),
    }
    template = "reports/_dashboard_body.html" if request.htmx else "reports/dashboard.html"
    return render(request, template, context)


def figures(request):
    form = PeriodForm(request.GET or None, actor=request.actor)
    stats = selectors.statistics_for_actor(actor=request.actor, period=form.chosen_period, agency_ids=form.agency_ids)
    scope = selectors.report_scope(actor=request.actor, agency_ids=form.agency_ids)
    found = outcomes.goal_outcomes(scope=scope, period=form.chosen_period)
    context = {
        "form": form,
        "stats": stats,
        "query": _query(form),
        "outcomes": found,
        "outcome_tables": [
            (_("사례 구분별"), found.by_case_type, _("사례 구분")),
            (_("생활 영역별"), found.by_domain, _("생활 영역")),
        ],
    }
    return render(request, "reports/figures.html", context)


def _export(request, kind: str):
    form = PeriodForm(request.GET or None, actor=request.actor)
    if form.is_bound and not form.is_valid():
        # The figures page shows what was wrong with the chosen period.
        return redirect(f"{reverse('reports:figures')}?{request.GET.urlencode()}")
    try:
        export = services.report_export(
            actor=request.actor, kind=kind, period=form.chosen_period, agency_ids=form.agency_ids, request=request
        )
    except KoreanFontMissing as missing:
        return render(request, "reports/font_missing.html", {"configured": missing.configured}, status=503)
    return _download(export)


def figures_xlsx(request):
    return _export(request, services.XLSX)


def report_pdf(request):
    return _export(request, services.PDF)


@require_http_methods(["GET", "POST"])
def services_export(request):
    """Raw service records (CSV or xlsx, streamed): personal data, so within the case scope and with a stated reason."""
    selectors.report_scope(actor=request.actor)  # 403 before showing the form to those without figures
    form = ServiceExportForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.service_records_export(actor=request.actor, request=request, **form.selection())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return download_response(export)
    return render(request, "reports/services_export.html", {"form": form})


# --- Case stories -------------------------------------------------------------------------------------


def stories(request):
    actor = request.actor
    if not selectors.may_see_reports(actor):
        raise PermissionDenied
    candidates = selectors.story_candidate_cases(actor=actor)
    form = StoryCaseForm(cases=candidates)
    listed = list(selectors.story_list_for_actor(actor=actor))
    shown = list(candidates)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="case",
        request=request,
        person_ids=[c.household.head.pk for c in shown if c.household.head],
        detail=f"{len(shown)} cases for a story, {len(listed)} stories",
    )
    return render(request, "reports/stories.html", {"form": form, "stories": listed, "has_candidates": bool(shown)})


@require_POST
def story_new(request):
    form = StoryCaseForm(request.POST, cases=selectors.story_candidate_cases(actor=request.actor))
    if not form.is_valid():
        messages.error(request, _("이야기를 만들 사례를 고르세요."))
        return redirect("reports:stories")
    return redirect("reports:case_story", uuid=form.cleaned_data["case"].uuid)


def _story_page(request, case, *, edit_form=None, decision_form=None, status=200):
    actor = request.actor
    story = selectors.story_for_case(actor=actor, case=case)
    may_write = can(actor, CHANGE_CASE, case)
    may_decide = story is not None and story.status == CaseStory.Status.PENDING and can(actor, APPROVE_CASE, case)
    if story is not None and may_write and edit_form is None:
        edit_form = StoryEditForm(initial={"title": story.title, "text": story.text})
    context = {
        "case": case,
        "story": story,
        "may_write": may_write,
        "edit_form": edit_form if may_write and story else None,
        "decision_form": (decision_form or StoryDecisionForm()) if may_decide else None,
    }
    return render(request, "reports/case_story.html", context, status=status)


def _audit_case_view(request, case):
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        request=request,
        person_ids=[p.pk for p in case.household.members.all()],
        detail="case story",
    )


def case_story(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)
    _audit_case_view(request, case)
    return _story_page(request, case)


@require_POST
def case_story_write(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=CHANGE_CASE)
    services.story_write(actor=request.actor, case=case, request=request)
    messages.success(request, _("타임라인에서 사례 이야기를 만들었습니다. 읽어 보고 고친 뒤 팀장 승인을 받으세요."))
    return redirect("reports:case_story", uuid=case.uuid)


def _get_story(request, uuid):
    return scoped_or_404(request, selectors.story_get_for_actor, object_type="casestory", uuid=uuid)


@require_POST
def story_edit(request, uuid):
    story = _get_story(request, uuid)
    form = StoryEditForm(request.POST)
    if form.is_valid():
        try:
            services.story_edit(
                actor=request.actor,
                story=story,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("고친 이야기를 저장했습니다. 팀장 승인을 다시 받아야 합니다."))
            return redirect("reports:case_story", uuid=story.case.uuid)
    return _story_page(request, story.case, edit_form=form, status=400)


@require_POST
def story_decide(request, uuid):
    story = _get_story(request, uuid)
    form = StoryDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.story_decide(
                actor=request.actor,
                story=story,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("검토 결과를 저장했습니다."))
            return redirect("reports:case_story", uuid=story.case.uuid)
    return _story_page(request, story.case, decision_form=form, status=400)


def story_download(request, uuid):
    story = _get_story(request, uuid)
    try:
        export = services.story_export(actor=request.actor, story=story, request=request)
    except ValidationError:
        messages.error(request, _("팀장이 승인한 이야기만 내려받을 수 있습니다."))
        return redirect("reports:case_story", uuid=story.case.uuid)
    return _download(export)


def balance(request):
    """사례 부담 균형: the team leader's view of each worker's weighted caseload (403 for other roles)."""
    rows = caseload_balance(actor=request.actor)
    return render(request, "reports/balance.html", {"rows": rows, "orphans": orphan_cases(actor=request.actor)})


@require_http_methods(["GET", "POST"])
def workshop(request):
    """사례 공유 워크숍 자료: pick approved stories, print them with the year's figures."""
    if not may(request.actor, DISTRICT_WIDE):
        raise PermissionDenied
    year = timezone.localdate().year
    if request.method == "POST":
        try:
            chosen_year = int(request.POST.get("year", year))
        except ValueError:
            chosen_year = 0
        try:
            pack = services.workshop_pack(
                actor=request.actor, year=chosen_year, story_uuids=request.POST.getlist("stories"), request=request
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            response = render(request, "reports/workshop_pack.html", {"pack": pack})
            response["Cache-Control"] = "no-store"
            return response
    stories = selectors.approved_stories_for_workshop(actor=request.actor)
    return render(request, "reports/workshop.html", {"stories": stories, "year": year})
