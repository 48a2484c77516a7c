"""Two-factor set-up and verification, logging out everywhere, changing the password."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.forms import Form

from .services import user_logout_everywhere, user_password_changed
from .twofactor import confirmed_device, qr_svg_data_uri


class TokenForm(Form):
    token = forms.RegexField(
        label=gettext_lazy("인증 코드(6자리)"),
        regex=r"^\d{6}$",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("숫자 6자리를 입력하세요.")},
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    if confirmed_device(request.user):
        return redirect("otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "Hamkke"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(
                actor=request.actor,
                action=Action.UPDATE,
                object_type="user",
                object_id=str(request.user.pk),
                request=request,
                detail="2fa enrolled",
            )
            messages.success(request, _("2단계 인증을 설정했습니다."))
            return redirect(_next(request))
        form.add_error("token", _("코드가 맞지 않습니다. 앱의 현재 코드를 다시 입력하세요."))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": qr_svg_data_uri(device),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next(request))
        audit_record(
            actor=request.actor,
            action=Action.LOGIN_FAILED,
            object_type="user",
            object_id=str(request.user.pk),
            request=request,
            detail="2fa code refused",
        )
        form.add_error("token", _("코드가 맞지 않습니다. 앱의 현재 코드를 다시 입력하세요."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@require_POST
def logout_everywhere(request):
    """End every session of this user, on every device (e.g. after losing a phone)."""
    user_logout_everywhere(actor=request.actor, request=request)
    logout(request)
    messages.success(request, _("모든 기기에서 로그아웃했습니다. 이 계정의 API 토큰도 모두 폐기했습니다."))
    return redirect("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, plus: the user's API tokens are revoked (accounts.services)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(actor=self.request.actor, user=form.user, request=self.request)
        return response
