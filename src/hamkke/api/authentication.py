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
            audit_record(actor=Actor(user=AnonymousUser(), membership=None), action=Action.LOGIN_FAILED,
                         request=request, detail="api token refused")
            raise exceptions.AuthenticationFailed(_("API 토큰이 올바르지 않거나 폐기·만료되었습니다."))
        # Selectors and services read request.actor (hamkke.accounts.middleware): here it is the
        # token's membership, not the session's agency choice.
        request._request.actor = Actor(user=token.user, membership=token.membership)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="hamkke"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The logged-in browser (the docs page, htmx): the actor is the session's, writes need the CSRF token."""
