"""District settings (시군구 운영 기준): district case-management admins only, others 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import DISTRICT_SETTINGS, may
from hamkke.cases.models import CaseType
from hamkke.core.forms import apply_service_errors

from . import selectors, services
from .forms import CaseTypeForm, DistrictPolicyForm


def _require_admin(request) -> None:
    if not may(request.actor, DISTRICT_SETTINGS):
        raise PermissionDenied


def _render(request, *, policy_form=None, bound_type=None, new_form=None):
    actor = request.actor
    policy = selectors.district_policy_for_actor(actor=actor)
    type_forms = [
        (
            case_type,
            bound_type[1] if bound_type and bound_type[0].pk == case_type.pk else CaseTypeForm.for_case_type(case_type),
        )
        for case_type in selectors.case_types_for_settings(actor=actor)
    ]
    return render(
        request,
        "districts/settings.html",
        {
            "policy_form": policy_form or DistrictPolicyForm(instance=policy),
            "type_forms": type_forms,
            "new_form": new_form or CaseTypeForm(prefix="new"),
            "district": policy.district,
        },
    )


@require_http_methods(["GET", "POST"])
def settings_view(request):
    _require_admin(request)
    if request.method == "GET":
        return _render(request)
    form = DistrictPolicyForm(request.POST, instance=selectors.district_policy_for_actor(actor=request.actor))
    if form.is_valid():
        try:
            services.district_policy_update(actor=request.actor, changes=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("운영 기준을 저장했습니다."))
            return redirect("districts:settings")
    return _render(request, policy_form=form)


def _save_case_type(request, case_type: CaseType | None, form: CaseTypeForm):
    if form.is_valid():
        try:
            services.case_type_save(actor=request.actor, case_type=case_type, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("사례 구분을 저장했습니다."))
            return redirect("districts:settings")
    if case_type is None:
        return _render(request, new_form=form)
    return _render(request, bound_type=(case_type, form))


@require_POST
def case_type_add(request):
    _require_admin(request)
    return _save_case_type(request, None, CaseTypeForm(request.POST, prefix="new"))


@require_POST
def case_type_edit(request, pk: int):
    _require_admin(request)
    try:
        case_type = selectors.case_type_get_for_actor(actor=request.actor, pk=pk)
    except CaseType.DoesNotExist:
        raise Http404 from None
    return _save_case_type(request, case_type, CaseTypeForm.for_case_type(case_type, request.POST))
