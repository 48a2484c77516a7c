import uuid as uuid_lib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import CHANGE_CASE, may_see_rrn
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .forms import IdentityForm, PersonForm


def household_detail(request, uuid):
    household = scoped_or_404(request, selectors.household_get_for_actor, object_type="household", uuid=uuid)
    members = list(household.members.all())
    audit_record(
        actor=request.actor, action=Action.VIEW, obj=household, person_ids=[p.pk for p in members], request=request
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": members,
            "cases": selectors.household_cases_for_actor(actor=request.actor, household=household),
            "show_rrn": may_see_rrn(request.actor),
        },
    )


def person_detail(request, uuid):
    person = scoped_or_404(request, selectors.person_get_for_actor, object_type="person", uuid=uuid)
    audit_record(actor=request.actor, action=Action.VIEW, obj=person, person_ids=[person.pk], request=request)
    may_identify = not person.identity_known and selectors.person_may_change(actor=request.actor, person=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "household": person.household,
            "show_rrn": may_see_rrn(request.actor),
            "may_identify": may_identify,
        },
    )


@require_http_methods(["GET", "POST"])
def person_identify(request, uuid):
    """신원 확인 of a person registered unknown: the service checks and looks for duplicates again."""
    person = scoped_or_404(
        request, selectors.person_get_for_actor, object_type="person", uuid=uuid, permission=CHANGE_CASE
    )
    form = IdentityForm(request.POST or None, rrn_allowed=may_see_rrn(request.actor))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_complete_identity(actor=request.actor, person=person, request=request, **form.cleaned_data)
        except services.DuplicatePersonFound as error:
            form.duplicates = error.candidates
            apply_service_errors(form, error)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("신원을 확인했습니다."))
            return redirect("people:person", uuid=person.uuid)
    return render(request, "people/person_identify.html", {"form": form, "person": person})


@require_POST
def person_merge(request, uuid):
    """Merge the unknown person's household into the household of the match the worker chose."""
    person = scoped_or_404(
        request, selectors.person_get_for_actor, object_type="person", uuid=uuid, permission=CHANGE_CASE
    )
    try:
        into_uuid = uuid_lib.UUID(request.POST.get("into") or "")
    except ValueError:
        messages.error(request, _("합칠 당사자를 고르세요."))
        return redirect("people:person_identify", uuid=person.uuid)
    into = scoped_or_404(request, selectors.person_get_for_actor, object_type="person", uuid=into_uuid)
    try:
        household = services.household_merge(actor=request.actor, person=person, into=into, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:person_identify", uuid=person.uuid)
    messages.success(request, _("기존 가구와 합쳤습니다. 사례와 기록은 그대로 옮겨졌습니다."))
    return redirect("people:household", uuid=household.uuid)


@require_http_methods(["GET", "POST"])
def person_add(request, uuid):
    """Add a household member: only workers of an agency allowed to change one of its cases."""
    household = scoped_or_404(
        request, selectors.household_get_for_actor, object_type="household", uuid=uuid, permission=CHANGE_CASE
    )
    form = PersonForm(request.POST or None, rrn_allowed=may_see_rrn(request.actor))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_create(actor=request.actor, household=household, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("가구원을 추가했습니다."))
            return redirect("people:household", uuid=household.uuid)
    return render(request, "people/person_form.html", {"form": form, "household": household})
