"""Two-factor authentication (TOTP, django-otp): required for admin and auditor roles and platform admins.

A user who holds any active membership with a role in REQUIRED_ROLES must verify a TOTP code
after the password before any page opens; workers may turn it on for themselves.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role

REQUIRED_ROLES = {Role.DISTRICT_ADMIN, Role.AGENCY_ADMIN, Role.AUDITOR}
# The API is left to its own guard (hamkke.api refuses a session still waiting for its second factor,
# and token requests carry no session).
ALWAYS_OPEN = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/i18n/",
    "/static/",
    "/api/v1/",
    "/api/schema/",
    "/healthz",  # machine endpoints (hamkke.ops): no session
    "/readyz",
    "/metrics",
)


def requires_2fa(user) -> bool:
    if not settings.HAMKKE_REQUIRE_2FA:
        return False
    if getattr(user, "is_platform_admin", False):
        return True
    return Membership.objects.filter(user=user, is_active=True, role__in=REQUIRED_ROLES).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def qr_svg_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware: send users who must use 2FA to set it up or verify it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALWAYS_OPEN)
            and not user.is_verified()
            and requires_2fa(user)
        ):
            target = "otp_verify" if confirmed_device(user) else "otp_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
