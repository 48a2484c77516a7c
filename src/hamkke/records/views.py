"""Records tab, refusing households and the overdue list: thin views over selectors and services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkke.access.policy import RECORD_WORK, SUPERVISE_TEAM, can, may
from hamkke.access.sensitive import may_see_sensitive
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import RequestKeyForm, apply_service_errors
from hamkke.core.views import picker_options, scoped_or_404

from . import monitoring, selectors, services
from .forms import ContactRecordForm, RefusalScopeForm, VisitForm, service_formset

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


def _records_page(request, case, *, contact_form=None, formset=None, key_form=None):
    actor = request.actor
    may_record = can(actor, RECORD_WORK, case)
    if may_record:
        contact_form = contact_form or ContactRecordForm()
        formset = formset or service_formset(case=case, agency=actor.membership.agency)
        key_form = key_form or RequestKeyForm()
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
        "key_form": key_form,
        "contacts": _paged(
            request, selectors.contact_records_for_case(actor=actor, case=case), "contacts", "#contact-list"
        ),
        "services": _paged(
            request, selectors.service_records_for_case(actor=actor, case=case), "services", "#service-list"
        ),
        "sensitive_hidden": not may_see_sensitive(actor, case),
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
            record = services.contact_record_add(actor=request.actor, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _saved_message(request, record, _("상담·방문 기록을 저장했습니다."))
            return redirect("records:case", uuid=case.uuid)
    return _records_page(request, case, contact_form=form)


@require_POST
def services_add(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=RECORD_WORK)
    formset = service_formset(request.POST, case=case, agency=request.actor.membership.agency)
    key_form = RequestKeyForm(request.POST)
    if formset.is_valid():
        filled = formset.filled_forms()
        try:
            records = services.service_records_add(
                actor=request.actor,
                case=case,
                request=request,
                rows=[form.row() for form in filled],
                idempotency_key=key_form.key(),
            )
        except services.ServiceRowsInvalid as error:
            formset.non_form_errors().extend(error.messages)
            for position, row_error in error.row_errors.items():
                apply_service_errors(filled[position], row_error)
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
        else:
            _saved_message(request, records[0], _("서비스 제공 기록 %(n)d건을 저장했습니다.") % {"n": len(records)})
            return redirect("records:case", uuid=case.uuid)
    return _records_page(request, case, formset=formset, key_form=key_form)


def _saved_message(request, record, saved: str) -> None:
    if getattr(record, "replayed", False):
        messages.info(request, _("이미 저장된 기록입니다. 같은 내용을 두 번 보내 한 번만 저장했습니다."))
    else:
        messages.success(request, saved)


def _wants_json(request) -> bool:
    """A note sent by hamkke-offline.js (kept on the device while the signal was gone)."""
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "POST"])
def visit(request, uuid):
    """ "방문 기록": a visit or call in three taps, from the case or the caseload (issue 14).

    The same door for a note typed offline and sent later by hamkke-offline.js: it answers JSON —
    201 created, 200 already there (same idempotency key), 400 with the reasons, and 404 when the
    case is no longer open to the worker (the device keeps the note and says so).
    """
    try:
        case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=RECORD_WORK)
    except Http404:
        if request.method == "POST" and _wants_json(request):
            message = _(
                "이 사례에 더 이상 기록할 수 없어 저장하지 않았습니다(접근 권한이 바뀌었거나 사례를 볼 수 없음)."
            )
            return JsonResponse({"status": "refused", "message": message}, status=404)
        raise
    purpose = services.contact_purpose_for(case)
    form = VisitForm(request.POST or None, purpose=purpose)
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.contact_record_add(
                    actor=request.actor, case=case, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if _wants_json(request):
                    if not request.headers.get("X-Hamkke-Background"):  # sent from the form: the next page says so
                        _saved_message(request, record, _("방문 기록을 저장했습니다."))
                    replayed = getattr(record, "replayed", False)
                    return JsonResponse(
                        {"status": "existing" if replayed else "created", "record": str(record.uuid)},
                        status=200 if replayed else 201,
                    )
                _saved_message(request, record, _("방문 기록을 저장했습니다."))
                return redirect("cases:detail", uuid=case.uuid)
        if _wants_json(request):
            errors = {name: [str(m) for m in messages_] for name, messages_ in form.errors.items()}
            text = " ".join(m for messages_ in errors.values() for m in messages_)
            return JsonResponse({"status": "invalid", "message": text, "errors": errors}, status=400)
    audit_record(
        actor=request.actor, action=Action.VIEW, obj=case, case_id=case.pk, request=request, detail="visit form"
    )
    more = [form[name] for name in VisitForm.MORE]
    main_fields = [form[name] for name in ("contacted_at", "note", "next_contact_on")]
    context = {"case": case, "form": form, "main_fields": main_fields, "more_fields": more}
    return render(request, "records/visit.html", context, status=400 if form.errors else 200)


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
