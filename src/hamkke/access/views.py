from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.audit.models import Action
from hamkke.audit.services import audit_denied, audit_record
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .forms import EmergencyAccessForm, EmergencyReviewForm
from .policy import CASEWORK, REVIEW_EMERGENCY_ACCESS, may


@require_http_methods(["GET", "POST"])
def emergency_open(request, uuid):
    """The reason form. It shows nothing of the case (not its number, lead agency, worker or crisis
    level) before a reason is given; showing it and every refusal are in the access log."""
    case = scoped_or_404(request, selectors.case_existence_for_actor, object_type="case", uuid=uuid)
    if not may(request.actor, CASEWORK):
        audit_denied(actor=request.actor, request=request, object_type="case", object_id=str(case.uuid))
        raise PermissionDenied
    if request.method == "GET":
        audit_record(
            actor=request.actor,
            action=Action.VIEW,
            object_type="emergencyaccess",
            object_id=str(case.uuid),
            request=request,
            detail="emergency access form",
        )
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.emergency_access_open(
                actor=request.actor, case=case, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.warning(request, _("긴급 열람이 기록되었습니다. 시군구 관리자가 검토합니다."))
            return redirect("cases:detail", uuid=case.uuid)
    return render(request, "access/emergency_form.html", {"form": form})


def emergency_review_list(request):
    if not may(request.actor, REVIEW_EMERGENCY_ACCESS):
        raise PermissionDenied
    show_all = request.GET.get("all") == "1"
    accesses = selectors.emergency_accesses_for_review(actor=request.actor, unreviewed_only=not show_all)
    return render(
        request,
        "access/emergency_review.html",
        {"accesses": accesses[:200], "show_all": show_all, "form": EmergencyReviewForm()},
    )


@require_POST
def emergency_review(request, uuid):
    if not may(request.actor, REVIEW_EMERGENCY_ACCESS):
        raise PermissionDenied
    access = scoped_or_404(request, selectors.emergency_access_get_for_review, object_type="emergencyaccess", uuid=uuid)
    form = EmergencyReviewForm(request.POST)
    if form.is_valid():
        try:
            services.emergency_access_review(
                actor=request.actor, access=access, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("검토를 기록했습니다."))
    else:
        messages.error(request, _("검토 의견을 적으세요."))
    return redirect("access:emergency_review")
