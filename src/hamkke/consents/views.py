from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import CHANGE_CASE
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .forms import ConsentForm


@require_http_methods(["GET", "POST"])
def consent_add(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, permission=CHANGE_CASE)
    form = ConsentForm(request.POST or None, case=case, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.actor, case=case, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("정보제공 동의를 기록했습니다."))
            return redirect("cases:detail", uuid=case.uuid)
    return render(request, "consents/consent_form.html", {"form": form, "case": case})


@require_POST
def consent_withdraw_view(request, uuid):
    consent = scoped_or_404(
        request, selectors.consent_get_for_actor, object_type="consent", uuid=uuid, permission=CHANGE_CASE
    )
    try:
        services.consent_withdraw(actor=request.actor, consent=consent, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("동의 철회를 기록했습니다. 참여 기관의 열람이 즉시 중단됩니다."))
    return redirect("cases:detail", uuid=consent.case.uuid)
