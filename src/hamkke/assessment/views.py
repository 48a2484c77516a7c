"""The consultation and assessment tab of a case (상담·사정): thin views over the services.

Each kind of record (consultation, need, strength, crisis assessment) has an add form inline on
the tab (htmx swaps the section; without JavaScript the form posts normally) and, except crisis
assessments (a dated record: a new one supersedes the last), an edit page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hamkke.access.policy import CHANGE_CASE, can
from hamkke.access.sensitive import may_see_sensitive
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import apply_service_errors
from hamkke.core.locking import current_lock_version
from hamkke.core.views import render_with_messages, scoped_or_404

from . import selectors, services
from .forms import ConsultationForm, CrisisAssessmentForm, NeedForm, NeedStatusForm, StrengthForm


@dataclass(frozen=True)
class Section:
    """One kind of record on the tab: its form, services, selector and words."""

    form: type
    create: Callable
    title: str
    saved: str
    updated: str = ""  # what an edit says: "…을 수정했습니다", not the words of a new record
    update: Callable | None = None
    get: Callable | None = None
    object_kwarg: str = ""
    date_field: str = ""


SECTIONS = {
    "consultations": Section(
        form=ConsultationForm,
        create=services.consultation_record,
        update=services.consultation_update,
        get=selectors.consultation_get_for_actor,
        object_kwarg="consultation",
        date_field="held_on",
        title=gettext_lazy("초기상담"),
        saved=gettext_lazy("초기상담을 기록했습니다."),
        updated=gettext_lazy("초기상담을 수정했습니다."),
    ),
    "needs": Section(
        form=NeedForm,
        create=services.need_record,
        update=services.need_update,
        get=selectors.need_get_for_actor,
        object_kwarg="need",
        date_field="identified_on",
        title=gettext_lazy("욕구"),
        saved=gettext_lazy("욕구를 기록했습니다."),
        updated=gettext_lazy("욕구를 수정했습니다."),
    ),
    "strengths": Section(
        form=StrengthForm,
        create=services.strength_record,
        update=services.strength_update,
        get=selectors.strength_get_for_actor,
        object_kwarg="strength",
        title=gettext_lazy("강점·당사자 자원"),
        saved=gettext_lazy("강점·당사자 자원을 기록했습니다."),
        updated=gettext_lazy("강점·당사자 자원을 수정했습니다."),
    ),
    "crisis": Section(
        form=CrisisAssessmentForm,
        create=services.crisis_assessment_record,
        date_field="assessed_on",
        title=gettext_lazy("위기도 조사"),
        saved=gettext_lazy("위기도 조사를 기록했습니다."),
    ),
}


def _case(request, uuid, permission=None):
    kwargs = {"permission": permission} if permission else {}
    return scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid, **kwargs)


def _form(section: str, case, data=None, initial=None):
    # Ids per section: the tab holds several forms with fields of the same name (person, note).
    return SECTIONS[section].form(data, case=case, initial=initial, auto_id=f"id_{section}_%s")


def _blank_form(section: str, case):
    spec = SECTIONS[section]
    return _form(section, case, initial={spec.date_field: timezone.localdate()} if spec.date_field else None)


def _tab_context(request, case, *, bound: dict | None = None) -> dict:
    """Everything the tab shows; the personal data read is written to the access log."""
    actor = request.actor
    may_change = can(actor, CHANGE_CASE, case)
    members = list(case.household.members.all())
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in members],
        request=request,
        detail="assessment",
    )
    forms = {}
    if may_change:
        forms = {name: (bound or {}).get(name) or _blank_form(name, case) for name in SECTIONS}
    return {
        "case": case,
        "may_change": may_change,
        "forms": forms,
        "consultations": selectors.consultations_for_case(actor=actor, case=case),
        "needs": selectors.needs_for_case(actor=actor, case=case),
        "strengths": selectors.strengths_for_case(actor=actor, case=case),
        "crisis_assessments": selectors.crisis_assessments_for_case(actor=actor, case=case),
        "sensitive_hidden": not may_see_sensitive(actor, case),
    }


def assessment_case(request, uuid):
    """The tab: consultations, needs, strengths and crisis assessments of one case."""
    case = _case(request, uuid)
    return render(request, "assessment/case.html", _tab_context(request, case))


def _save(request, case, section: str, instance=None):
    """GET: the form page. POST: call the service; errors stay on the form with what was typed."""
    spec = SECTIONS[section]
    if request.method == "POST":
        form = _form(section, case, request.POST)
    elif instance is None:
        form = _blank_form(section, case)
    else:
        initial = model_to_dict(instance, fields=spec.form.base_fields)
        if "expected_version" in spec.form.base_fields:
            initial["expected_version"] = instance.lock_version
        form = _form(section, case, initial=initial)
    if instance is None:
        form.fields.pop("expected_version", None)  # a new record has no version to check
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                spec.create(actor=request.actor, case=case, request=request, **form.cleaned_data)
            else:
                spec.update(actor=request.actor, request=request, **{spec.object_kwarg: instance}, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error, current_version=current_lock_version(instance))
        else:
            messages.success(request, spec.saved if instance is None else spec.updated)
            if request.htmx and instance is None:
                return render_with_messages(request, f"assessment/_{section}.html", _tab_context(request, case))
            return redirect(reverse("assessment:case", args=[case.uuid]) + f"#{section}")
    if request.htmx and instance is None:
        context = _tab_context(request, case, bound={section: form})
        return render_with_messages(request, f"assessment/_{section}.html", context)
    audit_record(actor=request.actor, action=Action.VIEW, obj=instance or case, case_id=case.pk, request=request)
    return render(
        request,
        "assessment/form.html",
        {
            "case": case,
            "form": form,
            "section": section,
            "title": spec.title,
            "instance": instance,
        },
    )


@require_http_methods(["GET", "POST"])
def record_add(request, uuid, section: str):
    case = _case(request, uuid, CHANGE_CASE)
    return _save(request, case, section)


@require_http_methods(["GET", "POST"])
def record_edit(request, uuid, section: str, item):
    case = _case(request, uuid, CHANGE_CASE)
    spec = SECTIONS[section]
    instance = scoped_or_404(
        request, spec.get, object_type=spec.object_kwarg, uuid=item, case=case, permission=CHANGE_CASE
    )
    return _save(request, case, section, instance)


@require_http_methods(["GET", "POST"])
def need_status(request, uuid, item):
    """Select, set aside (with a reason), mark achieved or dropped."""
    case = _case(request, uuid, CHANGE_CASE)
    need = scoped_or_404(
        request, selectors.need_get_for_actor, object_type="need", uuid=item, case=case, permission=CHANGE_CASE
    )
    form = NeedStatusForm(request.POST or None, need=need)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.need_set_status(actor=request.actor, need=need, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error, current_version=current_lock_version(need))
        else:
            messages.success(
                request, _("욕구 상태를 ‘%(status)s’(으)로 바꿨습니다.") % {"status": changed.get_status_display()}
            )
            return redirect(reverse("assessment:case", args=[case.uuid]) + "#needs")
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=need,
        case_id=case.pk,
        person_ids=[need.person_id] if need.person_id else [],
        request=request,
    )
    return render(request, "assessment/need_status.html", {"case": case, "need": need, "form": form})
