"""Writes for API tokens: creation and revocation, both audited (the secret itself is never stored)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import DISTRICT_WIDE, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.validation import clean_fields

from .models import ApiToken

KEY_PREFIX = "hk_"
SHOWN_PREFIX = 10  # characters of the key kept in clear, to tell tokens apart in lists
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)  # last_used_at is written at most this often


def token_hash(key: str) -> str:
    """SHA-256 of the secret: 256 random bits need no slow or keyed hash to stay unguessable."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *,
    actor: Actor,
    name: str,
    expires_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token acting as the actor's user *in the actor's current membership*.

    Returns the token and its secret key; the key is shown once and only its hash is kept.
    """
    if actor.membership is None:
        raise PermissionDenied(_("소속 기관이 없어 API 토큰을 만들 수 없습니다."))
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("토큰 이름을 적으세요(예: 통계 연동 서버).")
    if expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = _("만료일은 내일 이후여야 합니다.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.min)) if expires_on else None
    token = ApiToken(
        district_id=actor.district_id,
        user=actor.user,
        membership=actor.membership,
        name=name,
        prefix=key[:SHOWN_PREFIX],
        key_hash=token_hash(key),
        expires_at=expires_at,
    )
    clean_fields(token, ["name"], errors=errors)
    with transaction.atomic():
        token.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=token,
            request=request,
            detail=f"api token {token.prefix} for membership {actor.membership.pk}",
        )
    return token, key


def may_revoke(actor: Actor, token: ApiToken) -> bool:
    """The token's owner, or the district admin of its district (to cut off a leaked token)."""
    if actor.membership is None or actor.district_id != token.district_id:
        return False
    return token.user_id == actor.user.pk or may(actor, DISTRICT_WIDE)


def api_token_revoke(*, actor: Actor, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    if not may_revoke(actor, token):
        raise PermissionDenied(_("이 API 토큰을 폐기할 권한이 없습니다."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("이미 폐기된 토큰입니다."))
        token.revoked_at, token.revoked_by = timezone.now(), actor.user
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=token, request=request, detail=f"api token {token.prefix} revoked"
        )
    return token


def api_tokens_revoke_all(*, user, reason: str, request: HttpRequest | None = None) -> int:
    """Revoke every active token of the user (log out everywhere, a changed password): a token
    minted with a stolen password must not outlive the victim's reaction. Returns how many."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:
        token.revoked_at, token.revoked_by = now, user
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_record(
            actor=Actor(user=user, membership=token.membership),
            action=Action.UPDATE,
            obj=token,
            request=request,
            detail=f"api token {token.prefix} revoked: {reason}",
        )
    return len(tokens)


def on_credentials_reset(sender, *, user, reason: str, request: HttpRequest | None = None, **kwargs) -> None:
    """Receiver of hamkke.accounts.services.credentials_reset (connected in ApiConfig.ready)."""
    api_tokens_revoke_all(user=user, reason=reason, request=request)


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token for this secret, its user, membership and agency all still active; else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "membership__agency", "membership__district")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    membership = token.membership
    if not (token.user.is_active and membership.is_active and membership.agency.is_active):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
