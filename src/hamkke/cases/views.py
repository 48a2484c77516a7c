"""Case views: thin — parse input, call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import CASEWORK, CHANGE_CASE, can, can_open_case, may, may_see_rrn
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.consents.selectors import consents_for_case
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404
from hamkke.people.services import DuplicatePersonFound
from hamkke.records.monitoring import monitoring_for_case

from . import search, selectors, services
from .forms import CaseloadFilterForm, CaseRegisterForm, CaseSearchForm, StageChangeForm

PAGE_SIZE = 25


def caseload(request):
    actor = request.actor
    form = CaseloadFilterForm(request.GET or None, district_id=actor.district_id)
    cases = selectors.case_list_for_actor(actor=actor, **form.selector_kwargs())
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    recent = [] if request.htmx else selectors.cases_recently_opened(actor=actor)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="case",
        request=request,
        person_ids=[c.household.head.pk for c in shown + recent if c.household.head],
        detail=f"{len(shown)} cases",
    )
    context = {
        "form": form,
        "page": page,
        "cases": shown,
        "recent": recent,
        "can_open_case": can_open_case(actor),
        "known_only": selectors.cases_known_without_content_for_actor(actor=actor),
        "may_request_emergency": may(actor, CASEWORK),  # the service's own rule (access.services)
    }
    template = "cases/_caseload_table.html" if request.htmx else "cases/caseload.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def case_search_view(request):
    """The header's search box (issue 13 §3). POST, like the person search: names typed stay out of URLs
    and logs. A case number in scope opens the case; the search itself is one access-log row."""
    actor = request.actor
    form = CaseSearchForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["query"]
        result = search.case_search(actor=actor, query=query)
        audit_record(
            actor=actor,
            action=Action.LIST,
            object_type="case",
            case_id=result.exact.pk if result.exact else None,
            person_ids=[] if result.exact else result.person_ids,
            request=request,
            detail=_("사례 검색(%(kinds)s): %(n)s건") % {"kinds": ", ".join(query.kinds), "n": len(result.cases)},
        )
        if result.exact:
            return redirect("cases:detail", uuid=result.exact.uuid)
    context = {"form": form, "result": result, "limit": search.SEARCH_LIMIT}
    return render(request, "cases/search.html", context)


def _case_context(request, case, stage_form=None):
    actor = request.actor
    may_change = can(actor, CHANGE_CASE, case)
    return {
        "case": case,
        "household": case.household,
        "members": list(case.household.members.all()),
        "participants": selectors.case_participants(case=case),
        "stage_history": selectors.case_stage_history(case=case),
        "consents": consents_for_case(case=case),
        "may_change": may_change,
        "show_rrn": may_see_rrn(actor),
        "monitoring": monitoring_for_case(case=case),
        "stage_form": stage_form
        or (StageChangeForm(current_stage=case.stage, version=case.lock_version) if may_change else None),
    }


def case_detail(request, uuid):
    case = scoped_or_404(request, selectors.case_get_for_actor, object_type="case", uuid=uuid)
    members = list(case.household.members.all())
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in members],
        request=request,
    )
    return render(request, "cases/detail.html", _case_context(request, case))


@require_POST
def case_stage(request, uuid):
    case = scoped_or_404(request, selectors.case_get_for_actor, object_type="case", uuid=uuid)
    form = StageChangeForm(request.POST, current_stage=case.stage, version=case.lock_version)
    if form.is_valid():
        try:
            services.case_change_stage(
                actor=request.actor,
                case=case,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                occurred_at=form.cleaned_data["occurred_at"],
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            )
        except ValidationError as error:
            case = selectors.case_get_for_actor(actor=request.actor, uuid=uuid)  # as it is now
            apply_service_errors(form, error, current_version=case.lock_version)
        else:
            messages.success(request, _("단계를 변경했습니다."))
            return redirect("cases:detail", uuid=case.uuid)
    # Nothing typed is lost: the form comes back with the worker's input and why it was refused.
    return render(request, "cases/detail.html", _case_context(request, case, stage_form=form))


@require_http_methods(["GET", "POST"])
def case_register_view(request):
    """발굴·접수. On submit, existing persons who may be the same are shown before anything is created."""
    actor = request.actor
    if not can_open_case(actor):
        raise PermissionDenied
    form = CaseRegisterForm(request.POST or None, district_id=actor.district_id, rrn_allowed=may_see_rrn(actor))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(
                actor=actor,
                dong=form.cleaned_data["dong"],
                address=form.cleaned_data["address"],
                address_detail=form.cleaned_data["address_detail"],
                head=form.head(),
                summary=form.cleaned_data["summary"],
                request=request,
                **form.intake(),
            )
        except DuplicatePersonFound as error:
            form.show_duplicates(error)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("가구를 등록하고 사례를 열었습니다."))
            return redirect("cases:detail", uuid=case.uuid)
    return render(request, "cases/register.html", {"form": form})
