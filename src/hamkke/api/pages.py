"""The API guide page (/api/): how to authenticate, the docs, and the user's API tokens."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .authentication import second_factor_done
from .forms import TokenForm


def second_factor_required(view):
    """Tokens outlive the session: only a session that passed the second factor (where the role
    requires one) may see or make them."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not second_factor_done(request.user):
            return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapped


def _index(request, form=None, new_key=""):
    actor = request.actor
    tokens = list(selectors.tokens_for_actor(actor=actor).order_by("revoked_at", "-created_at")[:200])
    return render(
        request,
        "api/index.html",
        {
            "form": form or TokenForm(),
            "tokens": tokens,
            "new_key": new_key,
            "may_create": actor.membership is not None,
            "revocable": {t.pk for t in tokens if t.revoked_at is None and services.may_revoke(actor, t)},
        },
    )


@require_GET
@second_factor_required
def index(request):
    return _index(request)


@require_http_methods(["POST"])
@second_factor_required
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.api_token_create(actor=request.actor, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Shown once on this response (never stored, never put in a redirect or the session).
            messages.success(
                request,
                _("API 토큰 ‘%(name)s’을 만들었습니다. 지금 복사하세요: 다시 볼 수 없습니다.") % {"name": token.name},
            )
            return _index(request, new_key=key)
    return _index(request, form=form)


@require_POST
@second_factor_required
def token_revoke(request, uuid):
    token = scoped_or_404(request, selectors.token_get_for_actor, object_type="apitoken", uuid=uuid)
    try:
        services.api_token_revoke(actor=request.actor, token=token, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("API 토큰 ‘%(name)s’을 폐기했습니다.") % {"name": token.name})
    return redirect("api:index")
