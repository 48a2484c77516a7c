"""Records tab, refusing households and the overdue list: thin views over selectors and services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkke.access.policy import RECORD_WORK, SUPERVISE_TEAM, can, may
from hamkke.access.sensitive import may_see_sensitive, without_sensitive
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import picker_options, scoped_or_404

from . import monitoring, selectors, services
from .forms import ContactRecordForm, RefusalScopeForm, service_formset

PAGE_SIZE = 20


def _paged(request, items, param: str, anchor: str = "", size: int = PAGE_SIZE):
    """A page of ``items`` chosen by ``?<param>=``; links keep the other query parameters."""
    page = Paginator(items, size).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}{anchor}"

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page


def _records_page(request, case, *, contact_form=None, formset=None):
    actor = request.actor
    may_record = can(actor, RECORD_WORK, case)
    sensitive_ok = may_see_sensitive(actor, case)
    if may_record:
        contact_form = contact_form or ContactRecordForm()
        formset = formset or service_formset(case=case, agency=actor.membership.agency)
    members = list(case.household.members.all())
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in members],
        request=request,
        detail="records",
    )
    context = {
        "case": case,
        "may_record": may_record,
        "contact_form": contact_form,
        "formset": formset,
        "contacts": _paged(
            request,
            without_sensitive(selectors.contact_records_for_case(case=case), allowed=sensitive_ok),
            "contacts",
            "#contact-list",
        ),
        "services": _paged(
            request,
            without_sensitive(selectors.service_records_for_case(case=case), allowed=sensitive_ok),
            "services",
            "#service-list",
        ),
        "sensitive_hidden": not sensitive_ok,
        "monitoring": monitoring.monitoring_for_case(case=case),
    }
    return render(request, "records/case_records.html", context)


@require_GET
def case_records(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)
    return _records_page(request, case)


@require_POST
def contact_add(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=RECORD_WORK)
    form = ContactRecordForm(request.POST)
    if form.is_valid():
        try:
            services.contact_record_add(actor=request.actor, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("상담·방문 기록을 저장했습니다."))
            return redirect("records:case", uuid=case.uuid)
    return _records_page(request, case, contact_form=form)


@require_POST
def services_add(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=RECORD_WORK)
    formset = service_formset(request.POST, case=case, agency=request.actor.membership.agency)
    if formset.is_valid():
        filled = formset.filled_forms()
        try:
            records = services.service_records_add(
                actor=request.actor, case=case, request=request, rows=[form.row() for form in filled]
            )
        except services.ServiceRowsInvalid as error:
            formset.non_form_errors().extend(error.messages)
            for position, row_error in error.row_errors.items():
                apply_service_errors(filled[position], row_error)
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
        else:
            messages.success(request, _("서비스 제공 기록 %(n)d건을 저장했습니다.") % {"n": len(records)})
            return redirect("records:case", uuid=case.uuid)
    return _records_page(request, case, formset=formset)


@require_GET
def pick_resource(request, uuid):
    """Options of the quick entry's resource picker: the district's active resources."""
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=RECORD_WORK)
    return picker_options(
        request, lambda q, limit: selectors.resource_options_for_case(case=case, query=q, limit=limit)
    )


@require_GET
def pick_agency(request, uuid):
    """Options of the quick entry's provider-agency picker: the district's active agencies."""
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=RECORD_WORK)
    return picker_options(request, lambda q, limit: selectors.agency_options_for_case(case=case, query=q, limit=limit))


@require_GET
def refusals(request):
    actor = request.actor
    form = RefusalScopeForm(request.GET or None)
    cases = selectors.refusing_cases_for_actor(actor=actor, scope=form.scope_value())
    page = _paged(request, cases, "page", size=PAGE_SIZE * 2)
    today = timezone.localdate()
    rows = [selectors.RefusalRow.of(case, today=today) for case in page.object_list]
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="case",
        request=request,
        person_ids=[r.case.household.head.pk for r in rows if r.case.household.head],
        detail=f"refusals: {len(rows)} cases",
    )
    return render(request, "records/refusals.html", {"form": form, "page": page, "rows": rows})


@require_GET
def overdue(request):
    actor = request.actor
    supervisor = may(actor, SUPERVISE_TEAM)
    scope = monitoring.SCOPE_AGENCY if supervisor else monitoring.SCOPE_MINE
    rows = monitoring.overdue_for_actor(actor=actor, scope=scope)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="case",
        request=request,
        person_ids=[r.case.household.head.pk for r in rows if r.case.household.head],
        detail=f"overdue ({scope}): {len(rows)} items",
    )
    context = {
        "rows": rows,
        "supervisor": supervisor,
        "by_worker": monitoring.overdue_by_worker(rows) if supervisor else [],
    }
    return render(request, "records/overdue.html", context)
