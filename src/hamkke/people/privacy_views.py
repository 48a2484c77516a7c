"""Privacy pages of a person: the full RRN (exceptional, audited) and the access-request export.

Both answer with ``Cache-Control: no-store``: neither the number nor the export may stay in a
browser or proxy cache.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hamkke.access.policy import CHANGE_CASE
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import privacy, selectors
from .privacy_forms import AccessRequestForm, FullRrnForm


@never_cache
@require_http_methods(["GET", "POST"])
def person_full_rrn(request, uuid):
    """A separate page (not inlined in the person page) so that the number never sits in a cached page."""
    person = scoped_or_404(request, selectors.person_get_for_actor, object_type="person", uuid=uuid)
    if not privacy.may_view_full_rrn(request.actor):
        audit_record(
            actor=request.actor,
            action=Action.DENIED,
            obj=person,
            person_ids=[person.pk],
            request=request,
            detail="full RRN: no permission",
        )
        raise PermissionDenied
    form = FullRrnForm(request.POST or None)
    full_rrn = ""
    if request.method == "POST" and form.is_valid():
        try:
            full_rrn = privacy.person_rrn_reveal(
                actor=request.actor, person=person, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if not full_rrn:
        audit_record(actor=request.actor, action=Action.VIEW, obj=person, person_ids=[person.pk], request=request)
    return render(request, "people/privacy/full_rrn.html", {"person": person, "form": form, "full_rrn": full_rrn})


@never_cache
@require_http_methods(["GET", "POST"])
def person_access_request(request, uuid):
    """정보주체 열람 청구 자료: the lead agency's team (CHANGE_CASE on one of the person's cases) only."""
    person = scoped_or_404(
        request, selectors.person_get_for_actor, object_type="person", uuid=uuid, permission=CHANGE_CASE
    )
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = privacy.person_data_export(
                actor=request.actor, person=person, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if form.cleaned_data["format"] == "json":
                response = HttpResponse(privacy.export_as_json(data), content_type="application/json; charset=utf-8")
                name = f"hamkke-access-request-{person.reference}-{timezone.localdate():%Y%m%d}.json"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
            return HttpResponse(privacy.export_as_html(data))
    audit_record(actor=request.actor, action=Action.VIEW, obj=person, person_ids=[person.pk], request=request)
    return render(request, "people/privacy/access_request.html", {"person": person, "form": form})
