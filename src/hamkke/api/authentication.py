"""How API requests say who they are: a token (machine clients) or the browser session (with CSRF)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record

from . import services

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token hk_…`` (or ``Bearer``). The token's membership becomes the actor."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        token = None
        if len(parts) == 2:
            try:
                token = services.api_token_authenticate(key=parts[1].decode())
            except UnicodeDecodeError:
                token = None
        if token is None:
            audit_record(
                actor=Actor(user=AnonymousUser(), membership=None),
                action=Action.LOGIN_FAILED,
                request=request,
                detail="api token refused",
            )
            raise exceptions.AuthenticationFailed(_("API 토큰이 올바르지 않거나 폐기·만료되었습니다."))
        # Selectors and services read request.actor (hamkke.accounts.middleware): here it is the
        # token's membership, not the session's agency choice.
        request._request.actor = Actor(user=token.user, membership=token.membership)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="hamkke"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The logged-in browser (the docs page, htmx): the actor is the session's, writes need the CSRF token.

    A session still waiting for its second factor (roles that require it) is not enough.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not second_factor_done(result[0]):
            raise exceptions.PermissionDenied(_("2단계 인증을 마친 뒤 API를 쓸 수 있습니다."))
        return result


def second_factor_done(user) -> bool:
    """False for a user whose role requires two-factor authentication and whose session lacks it."""
    from hamkke.accounts.twofactor import requires_2fa

    is_verified = getattr(user, "is_verified", None)
    return not requires_2fa(user) or (is_verified is not None and is_verified())
