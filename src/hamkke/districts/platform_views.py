"""The platform administrator's page (issue 16 item 6): districts, their agencies and first admins.

Thin views over ``districts.platform``; only ``MANAGE_DISTRICTS`` reaches them (others 404). The
initial password is kept in the session only between the form's POST and the result page, which
takes it out: a second look at the result page no longer shows it.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hamkke.access.policy import MANAGE_DISTRICTS, may

from . import platform
from .forms import DistrictSetupForm
from .models import Agency

_RESULT_KEY = "hamkke_platform_result"


def _require_platform_admin(request) -> None:
    if not may(request.actor, MANAGE_DISTRICTS):
        raise Http404


def _render(request, form):
    return render(
        request,
        "districts/platform.html",
        {
            "rows": platform.districts_overview(actor=request.actor),
            "form": form,
            "kinds": [(kind.value, kind.label) for kind in Agency.Kind],
        },
    )


@require_http_methods(["GET", "POST"])
def districts_view(request):
    _require_platform_admin(request)
    if request.method == "GET":
        initial = {key: request.GET[key] for key in ("code", "name") if key in request.GET}
        return _render(request, DistrictSetupForm(initial=initial))
    form = DistrictSetupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = platform.district_setup(
                actor=request.actor,
                code=data["code"],
                name=data["name"],
                agencies=data["agencies"],
                admin_username=data["admin_username"],
                admin_email=data["admin_email"],
                admin_display_name=data["admin_display_name"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            request.session[_RESULT_KEY] = {
                "district": result.district.name,
                "code": result.district.code,
                "district_created": result.district_created,
                "agencies": [(agency.name, created) for agency, created in result.agencies],
                "admin": result.admin.get_username() if result.admin else "",
                "admin_created": result.admin_created,
                "password": result.initial_password,
            }
            return redirect("districts:platform_result")
    return _render(request, form)


def result_view(request):
    _require_platform_admin(request)
    result = request.session.pop(_RESULT_KEY, None)  # shown once
    return render(request, "districts/platform_result.html", {"result": result})
