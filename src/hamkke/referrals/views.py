"""의뢰: the case tab, the agency's referral inbox and one referral. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hamkke.access.policy import CHANGE_CASE, can
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.forms import Form, apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .forms import AcceptForm, CompleteForm, DeclineForm, ReferralSendForm
from .models import Referral

Status = Referral.Status


def _get_case(request, uuid):
    return scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)


def _get_referral(request, uuid):
    return scoped_or_404(request, selectors.referral_get_for_actor, object_type="referral", uuid=uuid)


def _send_form(actor, case, data=None) -> ReferralSendForm:
    return ReferralSendForm(
        data, agencies=selectors.referable_agencies(case=case), needs=selectors.referable_needs(actor=actor, case=case)
    )


def _render_case_tab(request, case, send_form=None):
    actor = request.actor
    may_send = can(actor, CHANGE_CASE, case)
    context = {
        "case": case,
        "referrals": selectors.referrals_for_case(actor=actor, case=case),
        "send_form": (send_form or _send_form(actor, case)) if may_send else None,
    }
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        request=request,
        person_ids=[p.pk for p in case.household.members.all()],
        detail="referrals tab",
    )
    return render(request, "referrals/case.html", context)


@require_GET
def case_tab(request, uuid):
    return _render_case_tab(request, _get_case(request, uuid))


@require_POST
def case_send(request, uuid):
    case = _get_case(request, uuid)
    form = _send_form(request.actor, case, request.POST)
    if form.is_valid():
        try:
            referral = services.referral_send(
                actor=request.actor,
                case=case,
                to_agency=form.cleaned_data["to_agency"],
                need=form.cleaned_data["need"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("‘%(agency)s’에 의뢰했습니다.") % {"agency": referral.to_agency.name})
            return redirect("referrals:case", uuid=case.uuid)
    # What the worker typed comes back, with the reason it was refused.
    return _render_case_tab(request, case, send_form=form)


@require_GET
def inbox(request):
    actor = request.actor
    lists = {
        "waiting": selectors.referrals_received_waiting(actor=actor),
        "answered": selectors.referrals_received_answered(actor=actor),
        "sent": selectors.referrals_sent(actor=actor),
    }
    shown = [r for rows in lists.values() for r in rows]
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="referral",
        request=request,
        person_ids=selectors.person_ids_shown(shown),
        detail=", ".join(f"{len(rows)} {key}" for key, rows in lists.items()),
    )
    return render(request, "referrals/inbox.html", lists)


# The answer forms of one referral: key -> (form class, who may use it, the status it needs).
ANSWERS = {
    "accept": (AcceptForm, services.is_receiver, Status.SENT),
    "decline": (DeclineForm, services.is_receiver, Status.SENT),
    "complete": (CompleteForm, services.is_receiver, Status.ACCEPTED),
    "withdraw": (Form, services.is_sender, Status.SENT),
}


def _available(actor, referral) -> set[str]:
    return {
        key
        for key, (_form, allowed, status) in ANSWERS.items()
        if referral.status == status and allowed(actor, referral)
    }


def _render_detail(request, referral, bound=None):
    actor = request.actor
    forms_shown = {key: ANSWERS[key][0]() for key in _available(actor, referral)}
    if bound:
        forms_shown.update(bound)
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=referral,
        case_id=referral.case_id,
        request=request,
        person_ids=selectors.person_ids_shown([referral]),
    )
    return render(request, "referrals/detail.html", {"referral": referral, "forms": forms_shown})


@require_GET
def detail(request, uuid):
    return _render_detail(request, _get_referral(request, uuid))


SERVICE_CALLS = {
    "accept": lambda actor, r, data, request: services.referral_accept(
        actor=actor, referral=r, note=data["note"], request=request
    ),
    "decline": lambda actor, r, data, request: services.referral_decline(
        actor=actor, referral=r, reason=data["reason"], request=request
    ),
    "complete": lambda actor, r, data, request: services.referral_complete(
        actor=actor, referral=r, note=data["note"], request=request
    ),
    "withdraw": lambda actor, r, data, request: services.referral_withdraw(actor=actor, referral=r, request=request),
}
DONE_MESSAGES = {
    "accept": gettext_lazy("의뢰를 수락했습니다. 사례 팀에 참여했습니다."),
    "decline": gettext_lazy("의뢰를 거절했습니다."),
    "complete": gettext_lazy("의뢰를 완료했습니다."),
    "withdraw": gettext_lazy("의뢰를 취소했습니다."),
}


def _answer(request, uuid, key: str):
    referral = _get_referral(request, uuid)
    form = ANSWERS[key][0](request.POST)
    if form.is_valid():
        try:
            SERVICE_CALLS[key](request.actor, referral, form.cleaned_data, request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, DONE_MESSAGES[key])
            return redirect("referrals:detail", uuid=referral.uuid)
    if key not in _available(request.actor, referral):
        # Answered or withdrawn meanwhile: the form is no longer on the page, so say why here.
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("referrals:detail", uuid=referral.uuid)
    return _render_detail(request, referral, bound={key: form})


@require_POST
def accept(request, uuid):
    return _answer(request, uuid, "accept")


@require_POST
def decline(request, uuid):
    return _answer(request, uuid, "decline")


@require_POST
def complete(request, uuid):
    return _answer(request, uuid, "complete")


@require_POST
def withdraw(request, uuid):
    return _answer(request, uuid, "withdraw")
