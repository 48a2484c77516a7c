"""Case team views (사례 팀): add a partner agency, a partner leaves, the lead is transferred."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .team_forms import LeadTransferForm, ParticipantAddForm, ParticipantLeaveForm


def _team_form_view(request, uuid, form_class, service, template, success):
    case = scoped_or_404(request, selectors.case_get_for_actor, object_type="case", uuid=uuid, permission=CHANGE_CASE)
    form = form_class(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.actor, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cases:detail", uuid=case.uuid)
    return render(request, template, {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def participant_add(request, uuid):
    return _team_form_view(
        request,
        uuid,
        ParticipantAddForm,
        services.case_add_participant,
        "cases/team_participant_form.html",
        _("참여 기관을 추가했습니다."),
    )


@require_http_methods(["GET", "POST"])
def lead_transfer(request, uuid):
    return _team_form_view(
        request,
        uuid,
        LeadTransferForm,
        services.case_transfer_lead,
        "cases/team_transfer_form.html",
        _("주관 기관을 이관했습니다."),
    )


@require_POST
def participant_leave(request, uuid, participant_id):
    case = scoped_or_404(request, selectors.case_get_for_actor, object_type="case", uuid=uuid, permission=VIEW_CASE)
    participant = case.participants.filter(pk=participant_id).first()
    form = ParticipantLeaveForm(request.POST)
    if participant is None or not form.is_valid():
        messages.error(request, _("참여 종료를 처리할 수 없습니다."))
    else:
        try:
            services.case_participant_leave(
                actor=request.actor, participant=participant, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("참여를 종료했습니다."))
            if not selectors.case_in_scope(actor=request.actor, case=case):
                return redirect("cases:caseload")
    return redirect("cases:detail", uuid=case.uuid)
